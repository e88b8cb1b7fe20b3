package io.traceline.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An access token obtained with the OAuth2 password grant, kept fresh.
 *
 * <p>A token counts as stale once two thirds of its lifetime have passed: Keycloak's defaults are 5 min
 * for the {@code traceline} realm and 60 s for {@code master} (the admin token), and provisioning 20
 * tenants or a load run both outlast those. {@link #accessToken()} refreshes on the calling thread
 * (setup code); the load itself reads {@link #cachedAccessToken()}, which never blocks, while
 * {@link TokenRefresher} renews in the background.
 */
final class PasswordGrant {

    private record Token(String value, Instant issuedAt, Duration lifetime) {
        boolean isStale(Instant now) {
            return now.isAfter(issuedAt.plus(lifetime.multipliedBy(2).dividedBy(3)));
        }
    }

    private final SetupHttp http;
    private final URI tokenEndpoint;
    private final String description;
    private final String form;
    private volatile Token current;

    private PasswordGrant(SetupHttp http, URI keycloakUrl, String realm, String description,
            Map<String, String> parameters) {
        this.http = http;
        this.tokenEndpoint = URI.create(keycloakUrl + "/realms/" + realm + "/protocol/openid-connect/token");
        this.description = description;
        this.form = parameters.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** A user of a realm signing in through a public client, asking for the given scopes. */
    static PasswordGrant user(SetupHttp http, URI keycloakUrl, String realm, String clientId,
            String username, String password, String scope) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", "password");
        parameters.put("client_id", clientId);
        parameters.put("username", username);
        parameters.put("password", password);
        parameters.put("scope", scope);
        return new PasswordGrant(http, keycloakUrl, realm, username + "@" + realm, parameters);
    }

    /** Keycloak's bootstrap admin in the master realm, for the admin REST API. */
    static PasswordGrant masterAdmin(SetupHttp http, URI keycloakUrl, String username, String password) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", "password");
        parameters.put("client_id", "admin-cli");
        parameters.put("username", username);
        parameters.put("password", password);
        return new PasswordGrant(http, keycloakUrl, "master", username + "@master", parameters);
    }

    /** The current token, fetched again first if missing or stale. Blocking: setup code only. */
    String accessToken() {
        Token token = current;
        if (token == null || token.isStale(Instant.now())) {
            token = refresh();
        }
        return token.value();
    }

    /** The last token fetched, without blocking; {@link #accessToken()} must have run once. */
    String cachedAccessToken() {
        Token token = current;
        if (token == null) {
            throw new IllegalStateException("no token fetched yet for " + description);
        }
        return token.value();
    }

    /** Fetches a new token if the current one is stale. Blocking: for {@link TokenRefresher}. */
    void renewIfStale() {
        Token token = current;
        if (token == null || token.isStale(Instant.now())) {
            refresh();
        }
    }

    private synchronized Token refresh() {
        Instant requestedAt = Instant.now();
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        SetupHttp.Response response = http.send(request);
        if (response.status() != 200) {
            throw new IllegalStateException("token for " + description + " refused by " + tokenEndpoint
                    + ": HTTP " + response.status() + " " + response.body());
        }
        JsonNode json = response.json();
        String accessToken = json.path("access_token").asText("");
        if (accessToken.isEmpty()) {
            throw new IllegalStateException("token response for " + description + " has no access_token: "
                    + response.body());
        }
        Duration lifetime = Duration.ofSeconds(json.path("expires_in").asLong(60));
        Token token = new Token(accessToken, requestedAt, lifetime);
        current = token;
        return token;
    }

    @Override
    public String toString() {
        return description;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
