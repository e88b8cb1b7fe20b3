package io.traceline.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.traceline.platform.qualifications.internal.StatusRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The point-of-use qualification check (TRN-6, issue 7) against a running platform: {@code rate} requests a second for
 * {@code seconds}, open model (each request is sent at its planned time whatever the earlier ones do, and its latency is
 * measured from that time, so a stalled platform shows in the tail instead of slowing the load), against one tenant of
 * {@code people} people and {@code documents} documents everyone is required to train on. A benchmark, not a test
 * (DESIGN.md §7; results in load-tests/README.md).
 *
 * <p>Setup (not measured): the tenant's people are written with SQL as the schema owner (as the fan-out benchmark does),
 * the documents taken to effective through the API (their fan-outs assign everyone), then about 85 % of the
 * assignments completed and 2 % of the people put on leave with SQL, so answers vary (qualified, not current, on leave).
 * A machine login holding only {@code qualification-check} asks.
 *
 * <p>Phases, in one run on the same machine: the platform warmed up (not recorded); the <b>HTTP ceiling</b> — {@code GET
 * /health/live} at the same rate (the platform's HTTP server, no token, no database); the <b>platform</b>; the <b>SQL
 * ceiling</b> — the check's own statement over JDBC at the same rate on 8 connections (the database's share); the
 * platform again. It prints the statement's plan ({@code EXPLAIN (ANALYZE, BUFFERS)}) first.
 */
public final class QualificationCheckBenchmark {

    private static final double NANOS_PER_MS = 1e6;

    /** The platform's database, reached as the schemas' owner (-DjdbcUrl, -DjdbcUser, -DjdbcPassword). */
    record Database(String url, String user, String password) {
        static Database fromSystemProperties() {
            return new Database(System.getProperty("jdbcUrl", "jdbc:postgresql://localhost:54329/traceline"),
                    System.getProperty("jdbcUser", "postgres"), System.getProperty("jdbcPassword", ""));
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    private final LoadTestSettings settings;
    private final SetupHttp http = new SetupHttp();
    private final PlatformSetup setup;
    private final Database database = Database.fromSystemProperties();
    private final String password = System.getProperty("benchPassword", "Qualification-bench-1");
    private final Connection owner;
    private String machineId;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();

    /** What one phase measured: latency of each request from its planned time, and the answers. */
    record Phase(String name, int planned, double seconds, double[] latencyMs, int failed, Map<String, Integer> answers) {

        double percentile(int p) {
            double[] sorted = latencyMs.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, Math.min(index, sorted.length - 1))];
        }

        String describe() {
            return String.format(Locale.ROOT, "%-28s %6d requests in %5.1f s (%6.0f/s), %d failed; p50 %6.2f ms, "
                    + "p90 %6.2f ms, p99 %7.2f ms, max %7.1f ms%s", name, planned, seconds, latencyMs.length / seconds,
                    failed, percentile(50), percentile(90), percentile(99), percentile(100),
                    answers.isEmpty() ? "" : "; answers " + answers);
        }
    }

    private QualificationCheckBenchmark(LoadTestSettings settings) throws SQLException {
        this.settings = settings;
        this.setup = new PlatformSetup(settings, http);
        this.owner = database.connect();
    }

    public static void main(String[] args) throws Exception {
        int people = Integer.getInteger("people", 50_000);
        int documents = Integer.getInteger("documents", 3);
        int rate = Integer.getInteger("rate", 1_000);
        int seconds = Integer.getInteger("seconds", 30);
        int warmupSeconds = Integer.getInteger("warmupSeconds", 10);
        String slug = System.getProperty("tenant", "qual_bench");
        System.setProperty("tenants", "1");
        System.setProperty("tenantPrefix", System.getProperty("tenantPrefix", "qb"));
        QualificationCheckBenchmark benchmark = new QualificationCheckBenchmark(LoadTestSettings.fromSystemProperties());
        benchmark.run(slug, people, documents, rate, seconds, warmupSeconds);
        System.exit(0);
    }

    private void run(String slug, int people, int documents, int rate, int seconds, int warmupSeconds) throws Exception {
        setup.awaitPlatformAndKeycloak();
        log("platform " + settings.baseUrl() + ", database " + database.url() + "; people=" + people + " documents=" + documents
                + " rate=" + rate + "/s seconds=" + seconds);
        Instant start = Instant.now();
        FanOutTenant tenant = FanOutTenant.prepare(setup, settings, http, owner, slug, people, password);
        List<String> numbers = documents(tenant, documents, people);
        completeTraining(tenant);
        PasswordGrant machine = machineLogin(tenant);
        log("setup " + Duration.between(start, Instant.now()).toSeconds() + " s; " + answersInDatabase(tenant));
        explain(tenant, numbers.get(0));

        String base = settings.baseUrl() + "/api/v1/t/" + slug + "/qualification-checks?person=";
        IntFunction<HttpRequest> check = i -> HttpRequest.newBuilder(URI.create(base + employee(people) + "&document="
                + numbers.get(ThreadLocalRandom.current().nextInt(numbers.size()))))
                .header("Authorization", "Bearer " + machine.cachedAccessToken()).timeout(Duration.ofSeconds(30)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(settings.baseUrl() + "/health/live"))
                .timeout(Duration.ofSeconds(30)).build();

        machine.accessToken();
        http(check, "warm-up (not recorded)", rate, warmupSeconds, machine);
        List<Phase> phases = new ArrayList<>();
        phases.add(http(i -> health, "ceiling: GET /health/live", rate, seconds, machine));
        phases.add(http(check, "platform, run 1", rate, seconds, machine));
        phases.add(statement(tenant, people, numbers, rate, seconds));
        phases.add(http(check, "platform, run 2", rate, seconds, machine));

        log("");
        log(String.format(Locale.ROOT, "SUMMARY point-of-use check, 1 tenant x %,d people x %d documents, %d requests/s "
                + "offered for %d s per phase", people, documents, rate, seconds));
        phases.forEach(phase -> log("  " + phase.describe()));
        Phase http = phases.get(0);
        Phase sql = phases.get(2);
        for (Phase platform : List.of(phases.get(1), phases.get(3))) {
            log(String.format(Locale.ROOT, "  %s: p50 %.2f ms = HTTP ceiling + %.2f ms (SQL ceiling p50 %.2f ms); "
                    + "p99 %.2f ms (%.1fx the HTTP ceiling's p99)", platform.name(), platform.percentile(50),
                    platform.percentile(50) - http.percentile(50), sql.percentile(50), platform.percentile(99),
                    platform.percentile(99) / http.percentile(99)));
        }
        log("checks counted by the platform: " + counted());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Setup

    private static String employee(int people) {
        return String.format("FO%07d", ThreadLocalRandom.current().nextInt(1, people + 1));
    }

    /** The numbers of {@code count} effective documents everyone must train on; made through the API when missing. */
    private List<String> documents(FanOutTenant tenant, int count, int people) throws Exception {
        List<String> numbers = effectiveDocuments(tenant);
        while (numbers.size() < count) {
            FanOutTenant.Revision revision = tenant.draft("Qualification benchmark " + (numbers.size() + 1));
            tenant.submit(revision, null);
            tenant.approve(revision);
            Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
            while (count("SELECT count(*) FROM " + tenant.schema() + ".training_assignment WHERE version_id = '"
                    + revision.versionId() + "'") < people) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the fan-out of " + revision.versionId() + " did not finish");
                }
                Thread.sleep(200);
            }
            numbers = effectiveDocuments(tenant);
            log("document " + numbers.size() + " effective, assigned to " + people + " people");
        }
        return numbers.subList(0, count);
    }

    private List<String> effectiveDocuments(FanOutTenant tenant) throws SQLException {
        List<String> numbers = new ArrayList<>();
        try (Statement sql = owner.createStatement(); ResultSet rows = sql.executeQuery("SELECT number FROM "
                + tenant.schema() + ".document WHERE status = 'effective' AND title LIKE 'Qualification benchmark%' "
                + "ORDER BY number")) {
            while (rows.next()) {
                numbers.add(rows.getString(1));
            }
        }
        return numbers;
    }

    /** Once per tenant: about 85 % of the open assignments completed (on dates over the past 300 days) and 2 % of the people on leave. */
    private void completeTraining(FanOutTenant tenant) throws SQLException {
        String schema = tenant.schema();
        if (count("SELECT count(*) FROM " + schema + ".training_assignment WHERE close_reason = "
                + "'Qualification benchmark'") > 0) {
            return; // a reused tenant keeps the answers of its first run
        }
        try (Statement sql = owner.createStatement()) {
            int completed = sql.executeUpdate("UPDATE " + schema + ".training_assignment SET status = 'completed', "
                    + "completed_at = now() - (abs(hashtext(person_id::text)) % 300) * interval '1 day', "
                    + "closed_at = now() - (abs(hashtext(person_id::text)) % 300) * interval '1 day', "
                    + "close_reason = 'Qualification benchmark' WHERE status = 'open' "
                    + "AND abs(hashtext(person_id::text || document_id::text)) % 100 < 85");
            int onLeave = sql.executeUpdate("UPDATE " + schema + ".person SET status = 'on_leave' WHERE status = 'active' "
                    + "AND employee_number LIKE 'FO%' AND abs(hashtext(employee_number)) % 100 < 2");
            sql.execute("ANALYZE " + schema + ".training_assignment");
            sql.execute("ANALYZE " + schema + ".person");
            log("completed " + completed + " assignments, " + onLeave + " people put on leave");
        }
    }

    /** A login of the tenant's organization holding only qualification-check, as an MES would have. */
    private PasswordGrant machineLogin(FanOutTenant tenant) {
        String email = "mes@" + tenant.slug().replace("_", "") + ".bench.example";
        KeycloakAdmin keycloak = setup.keycloakAdmin();
        String userId = keycloak.ensureUser(email, "Line", "MES", password);
        machineId = userId;
        keycloak.addOrganizationMember(tenant.organizationId(), userId);
        tenant.grant(userId, "qualification-check");
        return PasswordGrant.user(http, settings.keycloakUrl(), settings.realm(), settings.portalClientId(), email, password,
                "openid organization:" + tenant.slug());
    }

    private String answersInDatabase(FanOutTenant tenant) throws SQLException {
        return count("SELECT count(*) FROM " + tenant.schema() + ".training_assignment") + " assignments ("
                + count("SELECT count(*) FROM " + tenant.schema() + ".training_assignment WHERE status = 'completed'")
                + " completed)";
    }

    /** The check's statement for one person and document, with its plan and timing from the server. */
    private void explain(FanOutTenant tenant, String document) throws SQLException {
        try (Statement sql = owner.createStatement()) {
            sql.execute("SET search_path = " + tenant.schema());
        }
        try (PreparedStatement explain = owner.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) "
                + jdbcStatement(tenant))) {
            bind(explain, "FO0000042", document, machineId);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) {
                    plan.append("\n    ").append(rows.getString(1));
                }
            }
            log("the check's statement, EXPLAIN (ANALYZE, BUFFERS) for FO0000042 and " + document + ":" + plan);
        } finally {
            try (Statement sql = owner.createStatement()) {
                sql.execute("RESET search_path");
            }
        }
    }

    /** The platform's statement with JDBC placeholders ($1 to $6 appear once each, in order). */
    private static String jdbcStatement(FanOutTenant tenant) {
        return StatusRepository.lookupStatement(tenant.schema()).replaceAll("\\$[1-6]", "?");
    }

    private static void bind(PreparedStatement statement, String employeeNumber, String documentNumber, String caller)
            throws SQLException {
        statement.setNull(1, Types.OTHER);
        statement.setString(2, employeeNumber);
        statement.setNull(3, Types.OTHER);
        statement.setString(4, documentNumber);
        statement.setString(5, caller);
        statement.setArray(6, statement.getConnection().createArrayOf("text", new String[] {"qualification-check"}));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Load

    /** Sends {@code rate} requests a second for {@code seconds} at their planned times; latency from the planned time. */
    private Phase http(IntFunction<HttpRequest> request, String name, int rate, int seconds, PasswordGrant token)
            throws InterruptedException {
        int planned = rate * seconds;
        double[] latency = new double[planned];
        Arrays.fill(latency, Double.NaN);
        AtomicInteger failed = new AtomicInteger();
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> inFlight = new ArrayList<>(planned);
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < planned; i++) {
            long due = start + i * interval;
            LockSupport.parkNanos(due - System.nanoTime());
            if (i % rate == 0) {
                token.renewIfStale();
            }
            int index = i;
            inFlight.add(client.sendAsync(request.apply(i), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        latency[index] = (System.nanoTime() - due) / NANOS_PER_MS;
                        if (error != null || response.statusCode() != 200) {
                            failed.incrementAndGet();
                            answers.merge(error != null ? error.getClass().getSimpleName()
                                    : "HTTP " + response.statusCode(), 1, Integer::sum);
                        } else if (response.body().contains("\"allowed\"")) {
                            answers.merge(answer(response.body()), 1, Integer::sum);
                        }
                    }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        Phase phase = new Phase(name, planned, elapsed, Arrays.stream(latency).filter(v -> !Double.isNaN(v)).toArray(),
                failed.get(), new TreeMap<>(answers));
        log(phase.describe());
        return phase;
    }

    /** "allowed" or the refusal's reason, read from the answer's JSON. */
    private static String answer(String body) {
        JsonNode json = new SetupHttp.Response(200, body).json();
        return json.path("allowed").asBoolean() ? "allowed" : json.path("reason").asText();
    }

    /** The check's statement alone over JDBC at the same rate on 8 connections: what the database takes. */
    private Phase statement(FanOutTenant tenant, int people, List<String> numbers, int rate, int seconds)
            throws Exception {
        int connections = 8;
        BlockingQueue<PreparedStatement> statements = new ArrayBlockingQueue<>(connections);
        List<Connection> opened = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Connection connection = database.connect();
            try (Statement sql = connection.createStatement()) {
                sql.execute("SET search_path = " + tenant.schema());
            }
            opened.add(connection);
            statements.add(connection.prepareStatement(jdbcStatement(tenant)));
        }
        ExecutorService workers = Executors.newFixedThreadPool(connections * 2);
        int planned = rate * seconds;
        double[] latency = new double[planned];
        AtomicInteger failed = new AtomicInteger();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < planned; i++) {
            long due = start + i * interval;
            LockSupport.parkNanos(due - System.nanoTime());
            int index = i;
            workers.execute(() -> {
                PreparedStatement statement = null;
                try {
                    statement = statements.take();
                    bind(statement, employee(people), numbers.get(ThreadLocalRandom.current().nextInt(numbers.size())),
                            machineId);
                    try (ResultSet row = statement.executeQuery()) {
                        row.next();
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                } finally {
                    if (statement != null) {
                        statements.add(statement);
                    }
                    latency[index] = (System.nanoTime() - due) / NANOS_PER_MS;
                }
            });
        }
        workers.shutdown();
        workers.awaitTermination(5, TimeUnit.MINUTES);
        double elapsed = (System.nanoTime() - start) / 1e9;
        for (Connection connection : opened) {
            connection.close();
        }
        Phase phase = new Phase("ceiling: the statement (JDBC)", planned, elapsed, latency, failed.get(), Map.of());
        log(phase.describe());
        return phase;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    /** The platform's own count of checks by outcome, from its /metrics. */
    private String counted() {
        StringBuilder counts = new StringBuilder();
        for (String line : http.get(URI.create(settings.baseUrl() + "/metrics"), null).body().split("\n")) {
            if (line.startsWith("traceline_qualification_checks_total")) {
                counts.append(line.substring(line.indexOf('{'))).append("; ");
            }
        }
        return counts.toString();
    }

    private long count(String query) throws SQLException {
        try (Statement sql = owner.createStatement(); ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void log(String message) {
        System.out.println("[traceline-qualification] " + message);
    }
}
