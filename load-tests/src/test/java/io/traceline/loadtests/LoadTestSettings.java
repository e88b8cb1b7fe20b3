package io.traceline.loadtests;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Knobs of a load run, read from system properties ({@code -Dname=value} on the Maven command line;
 * gatling-maven-plugin hands them to the forked Gatling JVM).
 */
record LoadTestSettings(
        URI baseUrl,
        URI keycloakUrl,
        String realm,
        String portalClientId,
        int tenants,
        String tenantPrefix,
        String tenantAdminPassword,
        double usersPerSec,
        Duration ramp,
        Duration hold,
        boolean ceiling,
        int p95LimitMs,
        String operatorUser,
        String operatorPassword,
        String kcAdminUser,
        String kcAdminPassword,
        Duration readyTimeout) {

    /** Same rule as the platform's tenant registry (DESIGN.md §3). */
    static final Pattern SLUG = Pattern.compile("^[a-z][a-z0-9_]{2,39}$");

    static LoadTestSettings fromSystemProperties() {
        LoadTestSettings settings = new LoadTestSettings(
                uri("baseUrl", "http://localhost:8080"),
                uri("keycloakUrl", "http://localhost:8180"),
                string("realm", "traceline"),
                string("portalClientId", "traceline-portal"),
                integer("tenants", 20),
                string("tenantPrefix", "lt"),
                string("tenantAdminPassword", "Load-test-admin-1"),
                decimal("usersPerSec", 10.0),
                Duration.ofSeconds(integer("rampSeconds", 30)),
                Duration.ofSeconds(integer("durationSeconds", 120)),
                Boolean.parseBoolean(string("ceiling", "true")),
                integer("p95LimitMs", 2000),
                string("operatorUser", "operator"),
                string("operatorPassword", "operator"),
                string("kcAdminUser", "admin"),
                string("kcAdminPassword", "admin"),
                Duration.ofSeconds(integer("readyTimeoutSeconds", 180)));
        settings.validate();
        return settings;
    }

    String slug(int index) {
        return String.format("%s_%03d", tenantPrefix, index);
    }

    private void validate() {
        if (tenants < 1) {
            throw new IllegalArgumentException("-Dtenants must be at least 1, was " + tenants);
        }
        if (!SLUG.matcher(slug(tenants)).matches()) {
            throw new IllegalArgumentException("-DtenantPrefix=" + tenantPrefix + " gives slug " + slug(tenants)
                    + ", which does not match " + SLUG.pattern());
        }
        if (usersPerSec <= 0) {
            throw new IllegalArgumentException("-DusersPerSec must be positive, was " + usersPerSec);
        }
    }

    /** One line for the console, so a recorded result carries the parameters it was measured with. */
    String describe() {
        return "baseUrl=" + baseUrl + " keycloakUrl=" + keycloakUrl + " tenants=" + tenants
                + " tenantPrefix=" + tenantPrefix + " usersPerSec=" + usersPerSec
                + " rampSeconds=" + ramp.toSeconds() + " durationSeconds=" + hold.toSeconds()
                + " ceiling=" + ceiling + " p95LimitMs=" + p95LimitMs;
    }

    private static String string(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int integer(String name, int fallback) {
        return Integer.parseInt(string(name, Integer.toString(fallback)));
    }

    private static double decimal(String name, double fallback) {
        return Double.parseDouble(string(name, Double.toString(fallback)));
    }

    private static URI uri(String name, String fallback) {
        String value = string(name, fallback);
        return URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
    }
}
