package io.traceline.loadtests;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Tenant traffic against a running platform: virtual users arrive at a steady rate (open model), each
 * acting as the admin of one of {@code tenants} tenants. Each reads {@code /me} and {@code /role-grants}
 * of its tenant; one in ten also asks for another tenant's {@code /me} with its own token and must get
 * 404, so the wall between tenants is checked under load, not only in tests.
 *
 * <p>The ceiling (DESIGN.md §7) runs first, in the same run, with the same arrival profile and the same
 * request count per user: {@code /health/live}, which touches neither the token check nor the database.
 * After the run the console shows the tenant phase's latencies as ratios of the ceiling's.
 *
 * <p>Parameters: see {@link LoadTestSettings} and load-tests/README.md.
 */
public class MultiTenantTrafficSimulation extends Simulation {

    private static final String TENANT_PHASE = "tenant";
    private static final String CEILING_PHASE = "ceiling";
    private static final Pattern PROBLEM_JSON = Pattern.compile("(?i)application/problem\\+json\\s*(;.*)?");

    private final LoadTestSettings settings = LoadTestSettings.fromSystemProperties();
    private final TenantFeeder feeder = new TenantFeeder();
    private final LatencyLedger ledger = new LatencyLedger();
    private TokenRefresher tokenRefresher;

    public MultiTenantTrafficSimulation() {
        HttpProtocolBuilder protocol = http
                .baseUrl(settings.baseUrl().toString())
                .acceptHeader("application/json")
                .userAgentHeader("traceline-load-tests")
                // Gatling's default warm-up request goes to an outside host; measure nothing but the platform.
                .disableWarmUp();

        ScenarioBuilder tenantTraffic = scenario("tenant traffic")
                .feed(feeder)
                .exec(group(TENANT_PHASE).on(
                        measured(TENANT_PHASE, "me", http("me")
                                .get("/api/v1/t/#{slug}/me")
                                .header("Authorization", "Bearer #{token}")
                                .check(responseTimeInMillis().saveAs("responseTime"),
                                        status().is(200),
                                        jsonPath("$.tenant").isEL("#{slug}"))),
                        measured(TENANT_PHASE, "role-grants", http("role-grants")
                                .get("/api/v1/t/#{slug}/role-grants")
                                .header("Authorization", "Bearer #{token}")
                                .check(responseTimeInMillis().saveAs("responseTime"),
                                        status().is(200),
                                        jsonPath("$.items").exists())),
                        doIf(session -> session.getBoolean("probeWall")).then(
                                measured(TENANT_PHASE, "other tenant's me (404)", http("other tenant's me (404)")
                                        .get("/api/v1/t/#{otherSlug}/me")
                                        .header("Authorization", "Bearer #{token}")
                                        .check(responseTimeInMillis().saveAs("responseTime"),
                                                status().is(404),
                                                header("Content-Type")
                                                        .transform(type -> PROBLEM_JSON.matcher(type).matches())
                                                        .is(true),
                                                jsonPath("$.status").ofInt().is(404))))));

        // Same shape as the tenant traffic, nothing behind it: the ceiling the tenant phase is compared to.
        ScenarioBuilder ceilingTraffic = scenario("ceiling: /health/live")
                .exec(group(CEILING_PHASE).on(
                        measured(CEILING_PHASE, "live", liveRequest()),
                        measured(CEILING_PHASE, "live", liveRequest()),
                        doIf(session -> ThreadLocalRandom.current().nextInt(TenantFeeder.WALL_PROBE_ONE_IN) == 0)
                                .then(measured(CEILING_PHASE, "live", liveRequest()))));

        PopulationBuilder tenantPopulation = tenantTraffic.injectOpen(profile());
        PopulationBuilder population = settings.ceiling()
                ? ceilingTraffic.injectOpen(profile()).andThen(tenantPopulation)
                : tenantPopulation;

        List<Assertion> assertions = new ArrayList<>();
        // The one hard criterion: every request answered as expected, including every 404 at the wall.
        assertions.add(global().failedRequests().percent().is(0.0));
        if (settings.p95LimitMs() > 0) {
            // Loose on purpose: on 2 shared cores p99 swings from 250 ms to 3 s between identical runs.
            for (String request : List.of("me", "role-grants")) {
                assertions.add(details(TENANT_PHASE, request).responseTime().percentile(95.0)
                        .lt(settings.p95LimitMs()));
            }
        }

        setUp(population).protocols(protocol).assertions(assertions);
    }

    private OpenInjectionStep[] profile() {
        return new OpenInjectionStep[] {
            rampUsersPerSec(1).to(settings.usersPerSec()).during(settings.ramp()),
            constantUsersPerSec(settings.usersPerSec()).during(settings.hold())
        };
    }

    private static HttpRequestActionBuilder liveRequest() {
        return http("live").get("/health/live").check(responseTimeInMillis().saveAs("responseTime"), status().is(200));
    }

    /** The request, then its response time into the ledger (absent when no response came back). */
    private ChainBuilder measured(String phase, String name, HttpRequestActionBuilder request) {
        return exec(request).exec(session -> {
            if (session.contains("responseTime")) {
                ledger.record(phase, name, session.getInt("responseTime"));
                return session.remove("responseTime");
            }
            return session;
        });
    }

    @Override
    public void before() {
        PlatformSetup.log(settings.describe());
        SetupHttp http = new SetupHttp();
        PlatformSetup setup = new PlatformSetup(settings, http);
        setup.awaitPlatformAndKeycloak();
        List<PlatformSetup.TenantSession> tenants = setup.prepareTenants();
        tokenRefresher = new TokenRefresher(tenants.stream().map(PlatformSetup.TenantSession::admin).toList());
        feeder.start(tenants);
        PlatformSetup.log(tenants.size() + " tenants ready; load starts");
    }

    @Override
    public void after() {
        if (tokenRefresher != null) {
            tokenRefresher.close();
        }
        System.out.println();
        System.out.println("[traceline-ratios] " + settings.describe());
        System.out.print(ledger.report(TENANT_PHASE, CEILING_PHASE));
    }
}
