package io.traceline.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Brings a running platform to the state the load needs: {@code tenants} tenants, each with a first admin
 * who can get a token by the password grant. Idempotent: a second run reuses the tenants of the first.
 */
final class PlatformSetup {

    /** A tenant the load drives, with a token source for its first admin. */
    record TenantSession(String slug, PasswordGrant admin) {
    }

    private final LoadTestSettings settings;
    private final SetupHttp http;
    private final PasswordGrant operator;
    private final KeycloakAdmin keycloakAdmin;

    PlatformSetup(LoadTestSettings settings, SetupHttp http) {
        this.settings = settings;
        this.http = http;
        this.operator = PasswordGrant.user(http, settings.keycloakUrl(), settings.realm(), settings.portalClientId(),
                settings.operatorUser(), settings.operatorPassword(), "openid");
        this.keycloakAdmin = new KeycloakAdmin(http, settings.keycloakUrl(), settings.realm(),
                PasswordGrant.masterAdmin(http, settings.keycloakUrl(), settings.kcAdminUser(),
                        settings.kcAdminPassword()));
    }

    void awaitPlatformAndKeycloak() {
        log("waiting for " + settings.baseUrl() + "/health/ready and Keycloak realm " + settings.realm());
        http.awaitStatus(URI.create(settings.baseUrl() + "/health/ready"), r -> r.status() == 200,
                settings.readyTimeout());
        http.awaitStatus(URI.create(settings.keycloakUrl() + "/realms/" + settings.realm()
                + "/.well-known/openid-configuration"), r -> r.status() == 200, settings.readyTimeout());
    }

    /** Provisions (or reuses) the tenants one after another: provisioning is heavy, the platform serializes it anyway. */
    List<TenantSession> prepareTenants() {
        List<TenantSession> sessions = new ArrayList<>();
        for (int i = 1; i <= settings.tenants(); i++) {
            sessions.add(prepareTenant(i));
        }
        return List.copyOf(sessions);
    }

    private TenantSession prepareTenant(int index) {
        Instant start = Instant.now();
        String slug = settings.slug(index);
        String number = String.format("%03d", index);
        String email = "admin@" + slug.replace("_", "") + ".example";

        Provisioned provisioned = provisionTenant(slug, "Load Tenant " + number, email, "Ada", "Admin");
        String outcome = provisioned.created() ? "created" : "reused";
        JsonNode tenant = provisioned.tenant();

        JsonNode firstAdmin = tenant.path("firstAdmin");
        String userId = firstAdmin.path("userId").asText("");
        if (userId.isEmpty()) {
            userId = keycloakAdmin.userIdByEmail(email);
        }
        String username = firstAdmin.path("username").asText(email);
        // The first admin's password is temporary (or, on a reused tenant, unknown to us): replace it.
        keycloakAdmin.makeUsableWithPassword(userId, settings.tenantAdminPassword());

        PasswordGrant admin = PasswordGrant.user(http, settings.keycloakUrl(), settings.realm(),
                settings.portalClientId(), username, settings.tenantAdminPassword(), "openid organization:*");
        preflight(slug, admin.accessToken());

        log(slug + " " + outcome + " and checked in " + Duration.between(start, Instant.now()).toMillis() + " ms");
        return new TenantSession(slug, admin);
    }

    /** A tenant once it is ready: the operator API's answer, and whether this call created it. */
    record Provisioned(JsonNode tenant, boolean created) {
    }

    /**
     * Provisions the tenant with this first admin, or reuses it (200): a 409 (the slug is taken with other
     * parameters) stops the run. Waits until the tenant is ready.
     */
    Provisioned provisionTenant(String slug, String displayName, String email, String givenName, String familyName) {
        ObjectNode body = SetupHttp.JSON.createObjectNode()
                .put("slug", slug)
                .put("displayName", displayName);
        body.putObject("firstAdmin")
                .put("email", email)
                .put("givenName", givenName)
                .put("familyName", familyName);

        SetupHttp.Response response = provision(body);
        boolean created = switch (response.status()) {
            case 201 -> true;
            case 200 -> false;
            case 409 -> throw new IllegalStateException("tenant " + slug + " exists with other parameters than "
                    + body + " (" + SetupHttp.abbreviate(response.body()) + "); pick another -DtenantPrefix");
            default -> throw new IllegalStateException("POST /api/v1/operator/tenants for " + slug + ": HTTP "
                    + response.status() + " " + SetupHttp.abbreviate(response.body()));
        };
        JsonNode tenant = response.json();
        if (!"ready".equals(tenant.path("state").asText())) {
            awaitTenantReady(slug);
        }
        return new Provisioned(tenant, created);
    }

    KeycloakAdmin keycloakAdmin() {
        return keycloakAdmin;
    }

    /**
     * POSTs the provisioning request; a 502 (a dependency failed mid-way, the tenant stays {@code failed} at
     * its last step) is repeated, as the API asks, since a repeat resumes where it stopped.
     */
    private SetupHttp.Response provision(ObjectNode body) {
        URI tenants = URI.create(settings.baseUrl() + "/api/v1/operator/tenants");
        SetupHttp.Response response = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            response = http.sendJson("POST", tenants, operator.accessToken(), body);
            if (response.status() != 502) {
                return response;
            }
            log(body.path("slug").asText() + " provisioning attempt " + attempt + " failed (502), resuming: "
                    + SetupHttp.abbreviate(response.body()));
            SetupHttp.sleep(Duration.ofSeconds(2));
        }
        return response;
    }

    private void awaitTenantReady(String slug) {
        URI status = URI.create(settings.baseUrl() + "/api/v1/operator/tenants/" + slug);
        Instant deadline = Instant.now().plus(settings.readyTimeout());
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            SetupHttp.Response response = http.get(status, operator.accessToken());
            if (response.status() == 200) {
                String state = response.json().path("state").asText();
                if ("ready".equals(state)) {
                    return;
                }
                if ("failed".equals(state)) {
                    throw new IllegalStateException("tenant " + slug + " failed to provision: " + response.body());
                }
            }
            last = "HTTP " + response.status() + " " + SetupHttp.abbreviate(response.body());
            SetupHttp.sleep(Duration.ofSeconds(1));
        }
        throw new IllegalStateException("tenant " + slug + " not ready after " + settings.readyTimeout().toSeconds()
                + " s; last: " + last);
    }

    /** Fails before the load, with a readable reason, rather than as thousands of failed requests. */
    private void preflight(String slug, String token) {
        SetupHttp.Response me = http.get(URI.create(settings.baseUrl() + "/api/v1/t/" + slug + "/me"), token);
        if (me.status() != 200 || !slug.equals(me.json().path("tenant").asText())) {
            throw new IllegalStateException("preflight GET /api/v1/t/" + slug + "/me: HTTP " + me.status() + " "
                    + SetupHttp.abbreviate(me.body()) + "; token organization claim: " + organizationClaim(token));
        }
    }

    private static String organizationClaim(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return "(not a JWT)";
        }
        try {
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            return SetupHttp.JSON.readTree(payload).path("organization").toString();
        } catch (Exception e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    static void log(String message) {
        System.out.println("[traceline-setup] " + message);
    }
}
