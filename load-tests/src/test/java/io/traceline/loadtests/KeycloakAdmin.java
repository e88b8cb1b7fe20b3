package io.traceline.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The few Keycloak admin REST calls the setup needs, as the master realm's bootstrap admin (a dev run's
 * Keycloak; never point this at a production identity provider).
 */
final class KeycloakAdmin {

    private final SetupHttp http;
    private final URI realmAdminUrl;
    private final PasswordGrant admin;

    KeycloakAdmin(SetupHttp http, URI keycloakUrl, String realm, PasswordGrant admin) {
        this.http = http;
        this.realmAdminUrl = URI.create(keycloakUrl + "/admin/realms/" + realm);
        this.admin = admin;
    }

    /** The id of the user whose email is exactly {@code email}. */
    String userIdByEmail(String email) {
        URI uri = URI.create(realmAdminUrl + "/users?exact=true&email="
                + URLEncoder.encode(email, StandardCharsets.UTF_8));
        SetupHttp.Response response = http.get(uri, admin.accessToken());
        if (response.status() != 200) {
            throw new IllegalStateException("user search " + uri + ": HTTP " + response.status() + " "
                    + SetupHttp.abbreviate(response.body()));
        }
        for (JsonNode user : response.json()) {
            if (email.equalsIgnoreCase(user.path("email").asText())) {
                return user.path("id").asText();
            }
        }
        throw new IllegalStateException("no Keycloak user with email " + email + " in " + realmAdminUrl);
    }

    /**
     * Sets a permanent password and clears pending required actions, so the password grant accepts the
     * user (a temporary password, or any required action, makes Keycloak refuse it as "Account is not
     * fully set up").
     */
    void makeUsableWithPassword(String userId, String password) {
        URI user = URI.create(realmAdminUrl + "/users/" + userId);
        SetupHttp.Response reset = http.sendJson("PUT", URI.create(user + "/reset-password"), admin.accessToken(),
                Map.of("type", "password", "value", password, "temporary", false));
        if (reset.status() != 204) {
            throw new IllegalStateException("password reset for user " + userId + ": HTTP " + reset.status() + " "
                    + SetupHttp.abbreviate(reset.body()));
        }

        SetupHttp.Response current = http.get(user, admin.accessToken());
        if (current.status() != 200) {
            throw new IllegalStateException("read user " + userId + ": HTTP " + current.status());
        }
        JsonNode representation = current.json();
        if (representation.path("requiredActions").isEmpty()) {
            return;
        }
        // Send the whole representation back: a partial one can clear profile attributes it omits.
        ObjectNode updated = ((ObjectNode) representation);
        updated.putArray("requiredActions");
        SetupHttp.Response update = http.sendJson("PUT", user, admin.accessToken(), updated);
        if (update.status() != 204) {
            throw new IllegalStateException("clear required actions of user " + userId + ": HTTP "
                    + update.status() + " " + SetupHttp.abbreviate(update.body()));
        }
    }

    /**
     * The id of the user with this email, created (enabled, email verified) when there is none; either way
     * usable with {@code password} afterwards.
     */
    String ensureUser(String email, String givenName, String familyName, String password) {
        String id;
        try {
            id = userIdByEmail(email);
        } catch (IllegalStateException none) {
            SetupHttp.Response created = http.sendJson("POST", URI.create(realmAdminUrl + "/users"), admin.accessToken(),
                    Map.of("username", email, "email", email, "firstName", givenName, "lastName", familyName,
                            "enabled", true, "emailVerified", true));
            if (created.status() != 201 && created.status() != 409) {
                throw new IllegalStateException("create user " + email + ": HTTP " + created.status() + " "
                        + SetupHttp.abbreviate(created.body()));
            }
            id = userIdByEmail(email);
        }
        makeUsableWithPassword(id, password);
        return id;
    }

    /** Makes the user a member of the organization (a tenant); a member already is left as is. */
    void addOrganizationMember(String organizationId, String userId) {
        URI members = URI.create(realmAdminUrl + "/organizations/" + organizationId + "/members");
        SetupHttp.Response added = http.sendJson("POST", members, admin.accessToken(), userId);
        if (added.status() != 201 && added.status() != 409) {
            throw new IllegalStateException("add user " + userId + " to organization " + organizationId + ": HTTP "
                    + added.status() + " " + SetupHttp.abbreviate(added.body()));
        }
    }
}
