package io.traceline.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The training fan-out (issue 6, DESIGN.md §4) against a running platform, with its Postgres ceiling measured in the
 * same run on the same database (DESIGN.md §7: a benchmark, not a test; results in load-tests/README.md).
 *
 * <ol>
 *   <li><b>One tenant, {@code people} people, one revision affecting all</b> ({@code repeats} times, interleaved with
 *       the ceiling): a document mapped to the job role everyone holds is taken to effective through the API (the
 *       approver's signature); measured from the version's {@code effective_at} (the fan-out job's
 *       {@code created_at}, the same transaction) to the moment the benchmark first sees every chunk committed (it
 *       polls the chunk rows every 10 ms on the database clock). The ceiling: the same rows inserted by one
 *       server-side {@code INSERT … SELECT DISTINCT ON … ON CONFLICT DO NOTHING} into a copy of
 *       {@code training_assignment} in the same schema, with the same indexes, checks and foreign keys, growing in
 *       step with the real table; and the same split into two person-id halves run at once on two connections.
 *       Every measured run starts right after a {@code CHECKPOINT}, so each pays the same full-page writes.</li>
 *   <li><b>Firing the trigger again</b>: the enqueue of the same dedupe key, the statements the job queue runs in the
 *       trigger's transaction, returns the existing job; milliseconds per firing.</li>
 *   <li><b>A chunk run again with its rows committed</b>: every chunk of the last fan-out is put back to pending (as
 *       the schema owner) and the runtime runs them again; time and rows against their first run.</li>
 *   <li><b>{@code tenants} tenants × {@code peoplePerTenant} people</b>, every revision submitted with the same
 *       {@code effectiveAt}: from that instant to the last assignment committed, against the single-tenant ceiling for
 *       the same number of rows, measured before and after the burst.</li>
 * </ol>
 * The platform's heap and GC pauses come from its {@code /metrics} before and after each fan-out.
 */
public final class TrainingFanOutBenchmark {

    private static final String FAN_OUT = "training.fan-out";
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final double MIB = 1024 * 1024;

    /** What one fan-out took, on the database clock. */
    record FanOutRun(String jobId, OffsetDateTime effectiveAt, OffsetDateTime createdAt, OffsetDateTime plannedAt,
            OffsetDateTime firstClaim, OffsetDateTime committed, OffsetDateTime finishedAt, int chunks, long rows,
            double[] chunkMillis) {

        double totalMs() {
            return millis(effectiveAt, committed);
        }

        double chunkPhaseMs() {
            return millis(firstClaim, committed);
        }
    }

    /** A re-run of every chunk of a finished fan-out, and the rows it inserted. */
    record Rerun(FanOutRun run, long inserted) {
    }

    private final LoadTestSettings settings;
    private final SetupHttp http = new SetupHttp();
    private final PlatformSetup setup;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private final String password;
    private final Connection owner;

    private TrainingFanOutBenchmark(LoadTestSettings settings) throws SQLException {
        this.settings = settings;
        this.setup = new PlatformSetup(settings, http);
        this.jdbcUrl = System.getProperty("jdbcUrl", "jdbc:postgresql://localhost:54329/traceline");
        this.jdbcUser = System.getProperty("jdbcUser", "postgres");
        this.jdbcPassword = System.getProperty("jdbcPassword", "");
        this.password = System.getProperty("benchPassword", "Fanout-bench-1");
        this.owner = connect();
    }

    public static void main(String[] args) throws Exception {
        int people = Integer.getInteger("people", 100_000);
        int repeats = Integer.getInteger("repeats", 3);
        int tenants = Integer.getInteger("tenants", 0);
        int peoplePerTenant = Integer.getInteger("peoplePerTenant", tenants == 0 ? 0 : people / tenants);
        String single = System.getProperty("singleTenant", "fanout_single");
        int warmWalMb = Integer.getInteger("warmWalMb", 1500);
        if (System.getProperty("tenantPrefix") == null) {
            System.setProperty("tenantPrefix", "fo");
        }
        // LoadTestSettings checks the slug of the last tenant; 0 tenants (no multi-tenant phase) checks the first.
        System.setProperty("tenants", Integer.toString(Math.max(1, tenants)));
        LoadTestSettings settings = LoadTestSettings.fromSystemProperties();

        TrainingFanOutBenchmark benchmark = new TrainingFanOutBenchmark(settings);
        benchmark.run(single, people, repeats, tenants, peoplePerTenant, warmWalMb);
        System.exit(0);
    }

    private void run(String single, int people, int repeats, int tenants, int peoplePerTenant, int warmWalMb)
            throws Exception {
        setup.awaitPlatformAndKeycloak();
        log("platform " + settings.baseUrl() + ", database " + jdbcUrl + " (" + show("server_version") + ", fsync "
                + show("fsync") + ", synchronous_commit " + show("synchronous_commit") + ", shared_buffers "
                + show("shared_buffers") + ", max_wal_size " + show("max_wal_size") + ")");
        log("people=" + people + " repeats=" + repeats + " tenants=" + tenants + " peoplePerTenant=" + peoplePerTenant);
        FanOutTenant big = tenant(single, people);
        createCeilingTables(big);
        warmWal(warmWalMb);

        if (repeats > 0) {
            oneTenant(big, people, repeats);
        }
        if (tenants > 0) {
            manyTenants(big, tenants, peoplePerTenant, people);
        }
        log("platform still live: GET /health/live -> " + http.get(URI.create(settings.baseUrl() + "/health/live"), null)
                .status() + "; " + heap());
    }

    /** Parts 1 to 3: one tenant, {@code repeats} revisions affecting everyone, each with its ceilings. */
    private void oneTenant(FanOutTenant big, int people, int repeats) throws Exception {
        List<FanOutRun> platform = new ArrayList<>();
        List<Double> ceiling1 = new ArrayList<>();
        List<Double> ceiling2 = new ArrayList<>();
        FanOutTenant.Revision revision = null;
        for (int repeat = 1; repeat <= repeats; repeat++) {
            revision = big.draft("Fan-out benchmark " + Instant.now());
            big.submit(revision, null);
            boolean platformFirst = repeat % 2 == 1;
            if (platformFirst) {
                platform.add(platformRun(big, revision, "repeat " + repeat, people));
            }
            ceiling2.add(ceiling(big, revision, "bench_ceiling_2", 2, people, "repeat " + repeat, false));
            ceiling1.add(ceiling(big, revision, "bench_ceiling_1", 1, people, "repeat " + repeat, false));
            if (!platformFirst) {
                platform.add(platformRun(big, revision, "repeat " + repeat, people));
            }
        }
        FanOutRun last = platform.get(platform.size() - 1);
        double[] dedupe = dedupe(big, last.jobId());
        Rerun rerun = rerun(big, last, people);

        // The next major revision of the last document: its fan-out also supersedes the open assignments of 1.0 (the
        // ceilings close the same rows in their copies, in the same statement as their insert).
        FanOutTenant.Revision second = big.revise(revision, "Fan-out benchmark, second revision");
        big.submit(second, null);
        double second2 = ceiling(big, second, "bench_ceiling_2", 2, people, "second revision", true);
        double second1 = ceiling(big, second, "bench_ceiling_1", 1, people, "second revision", true);
        FanOutRun secondRun = platformRun(big, second, "second revision", people);
        long superseded = count("SELECT count(*) FROM " + big.schema() + ".training_assignment WHERE version_id = '"
                + revision.versionId() + "' AND status = 'superseded'");

        double platformMedian = median(platform.stream().mapToDouble(FanOutRun::totalMs).toArray());
        double c1 = median(ceiling1.stream().mapToDouble(Double::doubleValue).toArray());
        double c2 = median(ceiling2.stream().mapToDouble(Double::doubleValue).toArray());
        log("");
        log(String.format(Locale.ROOT, "SUMMARY 1 tenant x %,d people, %d repeats (medians)", people, repeats));
        log(String.format(Locale.ROOT, "  platform effective -> all committed  %8.0f ms  (runs: %s)", platformMedian,
                list(platform.stream().mapToDouble(FanOutRun::totalMs).toArray())));
        log(String.format(Locale.ROOT, "  ceiling, 1 statement                 %8.0f ms  (runs: %s)", c1, list(ceiling1)));
        log(String.format(Locale.ROOT, "  ceiling, 2 parallel statements       %8.0f ms  (runs: %s)", c2, list(ceiling2)));
        log(String.format(Locale.ROOT, "  platform / ceiling(1) = %.2fx (target <= 1.5x); platform / ceiling(2) = %.2fx; "
                + "ceiling(2) / ceiling(1) = %.2f", platformMedian / c1, platformMedian / c2, c2 / c1));
        log(String.format(Locale.ROOT, "  re-fired trigger (same dedupe key -> existing job): p50 %.2f ms, p99 %.2f ms, "
                + "max %.2f ms", dedupe[0], dedupe[1], dedupe[2]));
        log(String.format(Locale.ROOT, "  chunks run again with their rows committed: %.0f ms for all %d chunks, %d rows "
                + "inserted; first run %.0f ms (chunk phase, first claim -> last commit); median chunk %.0f ms vs %.0f ms",
                rerun.run().chunkPhaseMs(), rerun.run().chunks(), rerun.inserted(), last.chunkPhaseMs(),
                median(rerun.run().chunkMillis()), median(last.chunkMillis())));
        log(String.format(Locale.ROOT, "  second revision (supersedes %,d open assignments of 1.0): platform %.0f ms, "
                + "ceiling(1) %.0f ms, ceiling(2) %.0f ms -> %.2fx and %.2fx", superseded, secondRun.totalMs(), second1,
                second2, secondRun.totalMs() / second1, secondRun.totalMs() / second2));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Setup

    /** The tenant with its logins, roles and {@code people} people (see {@link FanOutTenant#prepare}). */
    private FanOutTenant tenant(String slug, int people) throws SQLException {
        return FanOutTenant.prepare(setup, settings, http, owner, slug, people, password);
    }

    /**
     * Copies of {@code training_assignment} for the ceiling: same columns, defaults, checks and indexes
     * ({@code LIKE … INCLUDING ALL}) and the same foreign keys, so a row costs there what it costs in the real table.
     */
    private void createCeilingTables(FanOutTenant tenant) throws SQLException {
        for (String table : List.of("bench_ceiling_1", "bench_ceiling_2")) {
            if (count("SELECT count(*) FROM pg_tables WHERE schemaname = '" + tenant.schema() + "' AND tablename = '"
                    + table + "'") == 1) {
                continue;
            }
            try (Statement sql = owner.createStatement()) {
                String name = tenant.schema() + "." + table;
                sql.execute("CREATE TABLE " + name + " (LIKE " + tenant.schema() + ".training_assignment INCLUDING ALL)");
                for (String[] reference : new String[][] {{"person_id", "person"}, {"requirement_id", "training_requirement"},
                        {"document_id", "document"}, {"version_id", "document_version"}}) {
                    sql.execute("ALTER TABLE " + name + " ADD FOREIGN KEY (" + reference[0] + ") REFERENCES "
                            + tenant.schema() + "." + reference[1] + " (id)");
                }
            }
        }
        // Each part-1 repeat adds the same rows to the real table and to both copies, so their sizes stay apart by what
        // they were apart before (other parts add to one side only): reported, since index size sways the insert cost.
        long real = count("SELECT count(*) FROM " + tenant.schema() + ".training_assignment");
        for (String table : List.of("bench_ceiling_1", "bench_ceiling_2")) {
            long copy = count("SELECT count(*) FROM " + tenant.schema() + "." + table);
            if (copy != real) {
                log("ceiling table " + table + " has " + copy + " rows, training_assignment " + real);
            }
        }
    }

    /** A fresh cluster zero-fills each new WAL segment: write and drop about {@code megabytes} of WAL first. */
    private void warmWal(int megabytes) throws SQLException {
        if (megabytes <= 0) {
            return;
        }
        long start = System.nanoTime();
        try (Statement sql = owner.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS public.bench_wal_warmup");
            // Rows of ~1.9 kB stay below the TOAST threshold: stored uncompressed, so the WAL is as large as the data.
            sql.execute("CREATE TABLE public.bench_wal_warmup (filler text)");
            int rows = megabytes * 1024 / 2;
            for (int done = 0; done < rows; done += 50_000) {
                sql.execute("INSERT INTO public.bench_wal_warmup SELECT repeat(md5(g::text), 59) FROM generate_series(1, "
                        + Math.min(50_000, rows - done) + ") g");
            }
            sql.execute("DROP TABLE public.bench_wal_warmup");
            sql.execute("CHECKPOINT");
        }
        log(String.format(Locale.ROOT, "WAL warmed: ~%d MB written and dropped in %.1f s", megabytes,
                (System.nanoTime() - start) / 1e9));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. The platform's fan-out and its ceiling

    /** Approves the submitted revision (effective at once) and follows its fan-out job until every chunk committed. */
    private FanOutRun platformRun(FanOutTenant tenant, FanOutTenant.Revision revision, String label, long expected)
            throws Exception {
        Map<String, Double> before = metrics();
        checkpoint();
        long start = System.nanoTime();
        JsonNode signed = tenant.approve(revision);
        double signMs = (System.nanoTime() - start) / 1e6;
        if (!"effective".equals(signed.path("version").path("state").asText())) {
            throw new IllegalStateException("the approval did not make the version effective: " + signed);
        }
        String jobId;
        OffsetDateTime effectiveAt;
        try (PreparedStatement find = owner.prepareStatement("SELECT j.id, v.effective_at FROM " + tenant.schema()
                + ".document_version v JOIN control.job j ON j.tenant = ? AND j.kind = '" + FAN_OUT + "' "
                + "AND j.dedupe_key = 'revision:' || v.id WHERE v.id = ?::uuid")) {
            find.setString(1, tenant.slug());
            find.setString(2, revision.versionId());
            try (ResultSet row = find.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no fan-out job for version " + revision.versionId());
                }
                jobId = row.getString(1);
                effectiveAt = row.getObject(2, OffsetDateTime.class);
            }
        }
        FanOutRun run = follow(jobId, effectiveAt, tenant, revision.versionId());
        Map<String, Double> after = metrics();
        log(String.format(Locale.ROOT, "platform, %s: effective -> all %,d rows committed %.0f ms (pickup and plan "
                + "%.0f ms, %d chunks %.0f ms; median chunk %.0f ms; job finished_at %.0f ms); approval request %.0f ms; "
                + "heap after %.0f MiB of %.0f MiB, GC pauses +%.0f (+%.0f ms, longest so far %.0f ms)", label, run.rows(),
                run.totalMs(), millis(run.effectiveAt(), run.plannedAt()), run.chunks(), run.chunkPhaseMs(),
                median(run.chunkMillis()), millis(run.effectiveAt(), run.finishedAt()), signMs,
                after.get("heap") / MIB, after.get("heapMax") / MIB, after.get("gcCount") - before.get("gcCount"),
                (after.get("gcSeconds") - before.get("gcSeconds")) * 1000, after.get("gcMax") * 1000));
        if (run.rows() != expected) {
            throw new IllegalStateException("expected " + expected + " assignments of the version, found " + run.rows());
        }
        return run;
    }

    /**
     * Polls the job's chunks every {@link #POLL} until all are committed ({@code state = 'done'} is visible only after
     * the chunk's transaction committed, with its rows); each chunk's duration is from its claim ({@code done_at} is
     * {@code now()}, its transaction's start) to the first poll that saw it done.
     */
    private FanOutRun follow(String jobId, OffsetDateTime effectiveAt, FanOutTenant tenant, String versionId)
            throws Exception {
        Map<Integer, OffsetDateTime[]> chunks = new HashMap<>();
        Integer total = null;
        OffsetDateTime committed = null;
        Instant deadline = Instant.now().plus(TIMEOUT);
        try (PreparedStatement poll = owner.prepareStatement("SELECT j.chunks_total, c.chunk_no, c.done_at, "
                + "clock_timestamp() FROM control.job j LEFT JOIN control.job_chunk c ON c.job_id = j.id "
                + "AND c.state = 'done' WHERE j.id = ?::uuid")) {
            poll.setString(1, jobId);
            while (committed == null) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("job " + jobId + " not done after " + TIMEOUT);
                }
                try (ResultSet rows = poll.executeQuery()) {
                    OffsetDateTime now = null;
                    while (rows.next()) {
                        total = (Integer) rows.getObject(1);
                        now = rows.getObject(4, OffsetDateTime.class);
                        if (rows.getObject(2) != null) {
                            chunks.putIfAbsent(rows.getInt(2), new OffsetDateTime[] {rows.getObject(3,
                                    OffsetDateTime.class), now});
                        }
                    }
                    if (total != null && chunks.size() == total) {
                        committed = now;
                    }
                }
                Thread.sleep(POLL.toMillis());
            }
        }
        OffsetDateTime finished = awaitFinished(jobId);
        OffsetDateTime firstClaim = chunks.values().stream().map(c -> c[0]).min(OffsetDateTime::compareTo).orElseThrow();
        double[] chunkMillis = chunks.values().stream().mapToDouble(c -> millis(c[0], c[1])).toArray();
        OffsetDateTime createdAt;
        OffsetDateTime plannedAt;
        try (Statement sql = owner.createStatement();
                ResultSet job = sql.executeQuery("SELECT created_at, planned_at FROM control.job WHERE id = '" + jobId + "'")) {
            job.next();
            createdAt = job.getObject(1, OffsetDateTime.class);
            plannedAt = job.getObject(2, OffsetDateTime.class);
        }
        if (!createdAt.equals(effectiveAt)) {
            log("note: job created_at " + createdAt + " differs from the version's effective_at " + effectiveAt);
        }
        long rows = count("SELECT count(*) FROM " + tenant.schema() + ".training_assignment WHERE version_id = '"
                + versionId + "'");
        return new FanOutRun(jobId, effectiveAt, createdAt, plannedAt, firstClaim, committed, finished, total, rows,
                chunkMillis);
    }

    /** The job's finished_at, set by the runtime's next scheduling round after the last chunk. */
    private OffsetDateTime awaitFinished(String jobId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (Instant.now().isBefore(deadline)) {
            try (Statement sql = owner.createStatement();
                    ResultSet job = sql.executeQuery("SELECT state, finished_at FROM control.job WHERE id = '" + jobId + "'")) {
                job.next();
                if ("succeeded".equals(job.getString(1))) {
                    return job.getObject(2, OffsetDateTime.class);
                }
                if ("dead".equals(job.getString(1))) {
                    throw new IllegalStateException("job " + jobId + " is dead");
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("job " + jobId + " not succeeded a minute after its last chunk");
    }

    /**
     * The ceiling: the revision's rows from the matrix (everyone holding a role the document's active requirement maps,
     * active, in the site scope), inserted by one statement, or by {@code statements} statements over person-id ranges
     * run at once on as many connections; milliseconds until every statement committed.
     */
    private double ceiling(FanOutTenant tenant, FanOutTenant.Revision revision, String table, int statements,
            long expected, String label, boolean supersede) throws Exception {
        String select = "SELECT DISTINCT ON (p.id, r.id) p.id AS person_id, r.id AS requirement_id, r.method, r.due_days "
                + "FROM training_requirement r "
                + "JOIN person_job_role h ON h.job_role_id = r.job_role_id AND h.valid_from <= current_date "
                + "AND (h.valid_to IS NULL OR h.valid_to > current_date) "
                + "JOIN person p ON p.id = h.person_id AND p.status = 'active' AND (r.site_id IS NULL OR p.site_id = r.site_id) "
                + "WHERE r.document_id = ?::uuid AND r.active AND (?::uuid IS NULL OR p.id > ?::uuid) "
                + "AND (?::uuid IS NULL OR p.id <= ?::uuid) ORDER BY p.id, r.id";
        // A later revision also closes the open assignments of the earlier ones, in the same statement.
        String superseded = !supersede ? "" : "WITH superseded AS (UPDATE " + table + " a SET status = 'superseded', "
                + "closed_at = now(), close_reason = 'Superseded (ceiling)' WHERE a.document_id = ?::uuid "
                + "AND a.version_id <> ?::uuid AND a.status = 'open' AND (?::uuid IS NULL OR a.person_id > ?::uuid) "
                + "AND (?::uuid IS NULL OR a.person_id <= ?::uuid) RETURNING 1) ";
        String insert = superseded + "INSERT INTO " + table + " (id, person_id, requirement_id, document_id, version_id, cycle, method, "
                + "due_at, cause, job_id) SELECT uuid_v7(), t.person_id, t.requirement_id, ?::uuid, ?::uuid, 1, t.method, "
                + "now() + make_interval(days => t.due_days), 'revision-effective', ?::uuid FROM (" + select + ") t "
                + "ON CONFLICT (person_id, requirement_id, version_id, cycle) DO NOTHING";
        List<String> bounds = new ArrayList<>();
        bounds.add(null);
        for (int k = 1; k < statements; k++) {
            try (Statement sql = owner.createStatement();
                    ResultSet split = sql.executeQuery("SELECT h.person_id FROM " + tenant.schema() + ".person_job_role h "
                            + "JOIN " + tenant.schema() + ".job_role j ON j.id = h.job_role_id AND j.code = '"
                            + FanOutTenant.JOB_ROLE + "' WHERE h.valid_to IS NULL ORDER BY h.person_id OFFSET "
                            + expected * k / statements + " LIMIT 1")) {
                split.next();
                bounds.add(split.getString(1));
            }
        }
        bounds.add(null);
        List<Connection> connections = new ArrayList<>();
        List<PreparedStatement> prepared = new ArrayList<>();
        String jobId = UUID.randomUUID().toString();
        for (int k = 0; k < statements; k++) {
            Connection connection = connect();
            try (Statement sql = connection.createStatement()) {
                sql.execute("SET search_path = " + tenant.schema());
            }
            PreparedStatement statement = connection.prepareStatement(insert);
            List<Object> values = new ArrayList<>();
            if (supersede) {
                values.addAll(Arrays.asList(revision.documentId(), revision.versionId(), bounds.get(k), bounds.get(k),
                        bounds.get(k + 1), bounds.get(k + 1)));
            }
            values.addAll(Arrays.asList(revision.documentId(), revision.versionId(), jobId, revision.documentId(),
                    bounds.get(k), bounds.get(k), bounds.get(k + 1), bounds.get(k + 1)));
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            connections.add(connection);
            prepared.add(statement);
        }
        checkpoint();
        ExecutorService pool = Executors.newFixedThreadPool(statements);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (PreparedStatement statement : prepared) {
            results.add(pool.submit(() -> {
                go.await();
                return statement.executeUpdate();
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        long rows = 0;
        for (Future<Integer> result : results) {
            rows += result.get();
        }
        double ms = (System.nanoTime() - start) / 1e6;
        pool.shutdown();
        for (Connection connection : connections) {
            connection.close();
        }
        log(String.format(Locale.ROOT, "ceiling, %s, %d statement%s: %,d rows in %.0f ms (%s)", label, statements,
                statements == 1 ? "" : "s at once", rows, ms, table));
        if (rows != expected) {
            throw new IllegalStateException("the ceiling inserted " + rows + " rows, expected " + expected);
        }
        return ms;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. The same trigger again

    /**
     * The enqueue a second firing of "version effective" makes, in a transaction like the trigger's: the insert with the
     * dedupe key {@code revision:<versionId>} finds the key taken and the existing job is read back (the statements of
     * the platform's job queue). Returns p50, p99 and max in ms over 200 firings, after 20 not counted.
     */
    private double[] dedupe(FanOutTenant tenant, String jobId) throws SQLException {
        String dedupeKey;
        String payload;
        int partition;
        try (Statement sql = owner.createStatement();
                ResultSet job = sql.executeQuery("SELECT dedupe_key, payload::text, partition_id FROM control.job WHERE id = '"
                        + jobId + "'")) {
            job.next();
            dedupeKey = job.getString(1);
            payload = job.getString(2);
            partition = job.getInt(3);
        }
        long jobsBefore = count("SELECT count(*) FROM control.job");
        double[] millis = new double[200];
        try (Connection trigger = connect()) {
            trigger.setAutoCommit(false);
            try (PreparedStatement insert = trigger.prepareStatement("INSERT INTO control.job (id, tenant, kind, payload, "
                    + "partition_id, run_at, state, dedupe_key, created_by) VALUES (?::uuid, ?, ?, ?::jsonb, ?, now(), "
                    + "'scheduled', ?, 'system') ON CONFLICT (coalesce(tenant, ''), kind, dedupe_key) "
                    + "WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id");
                    PreparedStatement existing = trigger.prepareStatement("SELECT id FROM control.job "
                            + "WHERE coalesce(tenant, '') = coalesce(?, '') AND kind = ? AND dedupe_key = ?")) {
                for (int i = -20; i < millis.length; i++) {
                    long start = System.nanoTime();
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setString(2, tenant.slug());
                    insert.setString(3, FAN_OUT);
                    insert.setString(4, payload);
                    insert.setInt(5, partition);
                    insert.setString(6, dedupeKey);
                    String id;
                    try (ResultSet inserted = insert.executeQuery()) {
                        if (inserted.next()) {
                            throw new IllegalStateException("the same dedupe key made a second job " + inserted.getString(1));
                        }
                    }
                    existing.setString(1, tenant.slug());
                    existing.setString(2, FAN_OUT);
                    existing.setString(3, dedupeKey);
                    try (ResultSet found = existing.executeQuery()) {
                        found.next();
                        id = found.getString(1);
                    }
                    trigger.commit();
                    if (!id.equals(jobId)) {
                        throw new IllegalStateException("the dedupe key " + dedupeKey + " found job " + id + ", not " + jobId);
                    }
                    if (i >= 0) {
                        millis[i] = (System.nanoTime() - start) / 1e6;
                    }
                }
            }
        }
        long jobsAfter = count("SELECT count(*) FROM control.job");
        Arrays.sort(millis);
        double[] result = {percentile(millis, 50), percentile(millis, 99), millis[millis.length - 1]};
        log(String.format(Locale.ROOT, "same trigger again (%s): %d firings, each returned job %s; jobs before %d, after %d; "
                + "p50 %.2f ms, p99 %.2f ms, max %.2f ms", dedupeKey, millis.length, jobId, jobsBefore, jobsAfter,
                result[0], result[1], result[2]));
        if (jobsAfter != jobsBefore) {
            throw new IllegalStateException("firing the trigger again created jobs");
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. Chunks run again with their rows committed

    /**
     * The runtime never claims a chunk marked done (its rows and the mark commit together), so to measure what running
     * a committed chunk again would cost, the schema owner puts every chunk of the job back to pending and the runtime
     * runs them all again, exactly as it ran them the first time.
     */
    private Rerun rerun(FanOutTenant tenant, FanOutRun first, long expected) throws Exception {
        String attempts = "SELECT count(*) FILTER (WHERE total_attempts = 1) || ' of ' || count(*) FROM control.job_chunk "
                + "WHERE job_id = '" + first.jobId() + "'";
        try (Statement sql = owner.createStatement(); ResultSet once = sql.executeQuery(attempts)) {
            once.next();
            log("chunks of job " + first.jobId() + " that ran exactly once in the first run: " + once.getString(1));
        }
        checkpoint();
        owner.setAutoCommit(false);
        try (Statement sql = owner.createStatement()) {
            sql.executeUpdate("UPDATE control.job SET state = 'running', finished_at = NULL WHERE id = '" + first.jobId() + "'");
            sql.executeUpdate("UPDATE control.job_chunk SET state = 'pending', next_attempt_at = now(), "
                    + "pending_since = now() WHERE job_id = '" + first.jobId() + "'");
            owner.commit();
        } finally {
            owner.setAutoCommit(true);
        }
        String versionId;
        try (Statement sql = owner.createStatement();
                ResultSet job = sql.executeQuery("SELECT payload ->> 'versionId' FROM control.job WHERE id = '"
                        + first.jobId() + "'")) {
            job.next();
            versionId = job.getString(1);
        }
        FanOutRun again = follow(first.jobId(), first.effectiveAt(), tenant, versionId);
        long inserted = count("SELECT coalesce(sum(rows_affected), 0) FROM control.job_chunk WHERE job_id = '"
                + first.jobId() + "'");
        log(String.format(Locale.ROOT, "chunks run again: %d chunks in %.0f ms (first claim -> last commit; first run %.0f "
                + "ms), median chunk %.0f ms (first run %.0f ms), rows inserted %d, assignments of the version %,d",
                again.chunks(), again.chunkPhaseMs(), first.chunkPhaseMs(), median(again.chunkMillis()),
                median(first.chunkMillis()), inserted, again.rows()));
        if (again.rows() != expected) {
            throw new IllegalStateException("the re-run changed the assignments: " + again.rows());
        }
        return new Rerun(again, inserted);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. Many tenants, revisions effective at the same instant

    /**
     * Polls until every fan-out of the burst has committed all its chunks; returns the database's clock when that was
     * first seen. The poll runs every 50 ms on the database it measures, so it must cost next to nothing: it counts the
     * succeeded fan-out jobs created since the effective instant (an index range of at most one row per tenant — a job
     * of one chunk succeeds in the transaction of its chunk), and only when all are there checks each burst job by its
     * dedupe key and its chunks, once. (The earlier poll compared every job's dedupe key with the whole key array,
     * every 50 ms: about an eighth of the machine's CPU during a burst, taken from the burst it measured.)
     */
    private OffsetDateTime awaitBurst(int tenants, String[] keys, Instant effectiveAt) throws Exception {
        Instant deadline = Instant.now().plus(TIMEOUT);
        try (PreparedStatement cheap = owner.prepareStatement("SELECT count(*), clock_timestamp() FROM control.job "
                + "WHERE state = 'succeeded' AND created_at >= ? AND kind = '" + FAN_OUT + "'");
             PreparedStatement exact = owner.prepareStatement("WITH j AS (SELECT j.id, j.chunks_total FROM control.job j "
                + "WHERE j.kind = '" + FAN_OUT + "' AND j.dedupe_key = ANY (?)) SELECT (SELECT count(*) FROM j), "
                + "(SELECT count(chunks_total) FROM j), (SELECT coalesce(sum(chunks_total), 0) FROM j), "
                + "(SELECT count(*) FROM control.job_chunk c JOIN j ON j.id = c.job_id WHERE c.state = 'done')")) {
            cheap.setObject(1, effectiveAt.minusSeconds(1).atOffset(ZoneOffset.UTC));
            exact.setArray(1, owner.createArrayOf("text", keys));
            while (true) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the burst's fan-outs not done after " + TIMEOUT);
                }
                OffsetDateTime seen;
                try (ResultSet row = cheap.executeQuery()) {
                    row.next();
                    seen = row.getLong(1) >= tenants ? row.getObject(2, OffsetDateTime.class) : null;
                }
                if (seen != null) {
                    try (ResultSet row = exact.executeQuery()) {
                        row.next();
                        if (row.getLong(1) == tenants && row.getLong(2) == tenants && row.getLong(4) == row.getLong(3)) {
                            return seen;
                        }
                    }
                }
                Thread.sleep(50);
            }
        }
    }

    private void manyTenants(FanOutTenant big, int tenants, int peoplePerTenant, int people) throws Exception {
        long rowsExpected = (long) tenants * peoplePerTenant;
        if (rowsExpected != people) {
            log("note: " + tenants + " x " + peoplePerTenant + " = " + rowsExpected + " rows against a ceiling of "
                    + people + " rows");
        }
        Instant setupStart = Instant.now();
        List<FanOutTenant> many = new ArrayList<>();
        List<FanOutTenant.Revision> revisions = new ArrayList<>();
        for (int i = 1; i <= tenants; i++) {
            FanOutTenant tenant = tenant(settings.slug(i), peoplePerTenant);
            many.add(tenant);
            revisions.add(tenant.draft("Fan-out burst " + Instant.now()));
        }
        log(String.format(Locale.ROOT, "%d tenants set up, each with a drafted revision, in %.0f s", tenants,
                Duration.between(setupStart, Instant.now()).toMillis() / 1e3));
        for (FanOutTenant tenant : many) {
            tenant.grantRoles(); // refreshes stale tokens before the timed pass; grants and acknowledgements are kept
        }
        Instant effectiveAt = Instant.now().plusSeconds(30 + tenants * 4L / 10).truncatedTo(ChronoUnit.SECONDS);
        log("submitting and approving every revision, effective at " + effectiveAt);
        for (int i = 0; i < tenants; i++) {
            many.get(i).submit(revisions.get(i), effectiveAt);
            JsonNode approved = many.get(i).approve(revisions.get(i));
            if (!"approved".equals(approved.path("version").path("state").asText())) {
                throw new IllegalStateException(many.get(i).slug() + ": expected the version approved, waiting for "
                        + effectiveAt + ": " + approved.path("version"));
            }
        }
        if (!Instant.now().isBefore(effectiveAt.minusSeconds(5))) {
            throw new IllegalStateException("approving every revision ended after " + effectiveAt.minusSeconds(5)
                    + ": the burst would not start at once");
        }
        FanOutTenant.Revision ceilingRevision = big.draft("Fan-out ceiling " + Instant.now());
        big.submit(ceilingRevision, null);
        List<Double> ceilings = new ArrayList<>();
        ceilings.add(ceiling(big, ceilingRevision, "bench_ceiling_1", 1, people, "before the burst", false));
        Map<String, Double> before = metrics();
        long wait = Duration.between(Instant.now(), effectiveAt).toMillis() - 3_000;
        if (wait > 0) {
            Thread.sleep(wait);
        }
        checkpoint();

        String[] keys = revisions.stream().map(r -> "revision:" + r.versionId()).toArray(String[]::new);
        OffsetDateTime committed = awaitBurst(tenants, keys, effectiveAt);
        Map<String, Double> after = metrics();
        // The same revision's rows again, so into the other copy (in the first they are there already).
        ceilings.add(ceiling(big, ceilingRevision, "bench_ceiling_2", 1, people, "after the burst", false));

        String versions = "ARRAY[" + String.join(",", revisions.stream().map(r -> "'" + r.versionId() + "'::uuid").toList())
                + "]";
        long rows = 0;
        for (int i = 0; i < tenants; i++) {
            rows += count("SELECT count(*) FROM " + many.get(i).schema() + ".training_assignment WHERE version_id = '"
                    + revisions.get(i).versionId() + "'");
        }
        String timers = "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag), max(lag) FROM (SELECT extract(epoch FROM "
                + "planned_at - run_at) * 1000 AS lag FROM control.job WHERE kind = 'document.effective' AND dedupe_key = "
                + "ANY (SELECT 'document-version:' || v FROM unnest(" + versions + ") v)) l";
        String fanOuts = "SELECT min(j.created_at), max(j.created_at), max(j.finished_at), sum(j.chunks_total), "
                + "min(j.planned_at), max(j.planned_at), (SELECT min(c.done_at) FROM control.job_chunk c WHERE c.job_id = "
                + "ANY (array_agg(j.id))) FROM control.job j WHERE j.kind = '" + FAN_OUT + "' AND j.dedupe_key = ANY (SELECT "
                + "'revision:' || v FROM unnest(" + versions + ") v)";
        double timerP50;
        double timerMax;
        OffsetDateTime firstEffective;
        OffsetDateTime lastEffective;
        OffsetDateTime finished;
        OffsetDateTime[] planned = new OffsetDateTime[3];
        long chunks;
        try (Statement sql = owner.createStatement()) {
            try (ResultSet lag = sql.executeQuery(timers)) {
                lag.next();
                timerP50 = lag.getDouble(1);
                timerMax = lag.getDouble(2);
            }
            try (ResultSet jobs = sql.executeQuery(fanOuts)) {
                jobs.next();
                firstEffective = jobs.getObject(1, OffsetDateTime.class);
                lastEffective = jobs.getObject(2, OffsetDateTime.class);
                finished = jobs.getObject(3, OffsetDateTime.class);
                chunks = jobs.getLong(4);
                for (int i = 0; i < 3; i++) {
                    planned[i] = jobs.getObject(5 + i, OffsetDateTime.class);
                }
            }
        }
        OffsetDateTime due = effectiveAt.atOffset(ZoneOffset.UTC);
        double totalMs = millis(due, committed);
        double ceiling = median(ceilings.stream().mapToDouble(Double::doubleValue).toArray());
        log("");
        log(String.format(Locale.ROOT, "SUMMARY %d tenants x %,d people, every revision effective at %s", tenants,
                peoplePerTenant, effectiveAt));
        log(String.format(Locale.ROOT, "  effective time -> all %,d rows committed: %.0f ms (%d fan-out jobs, %d chunks; "
                + "effective-date timers planned after p50 %.0f ms, max %.0f ms; versions effective from +%.0f to +%.0f ms; "
                + "last job finished_at +%.0f ms)", rows, totalMs, tenants, chunks, timerP50, timerMax,
                millis(due, firstEffective), millis(due, lastEffective), millis(due, finished)));
        log(String.format(Locale.ROOT, "  fan-out jobs planned from +%.0f to +%.0f ms, first fan-out chunk claimed at +%.0f ms; "
                + "%d tenants in the database", millis(due, planned[0]), millis(due, planned[1]), millis(due, planned[2]),
                count("SELECT count(*) FROM control.tenant")));
        log(String.format(Locale.ROOT, "  single-tenant ceiling for %,d rows, 1 statement: %s -> median %.0f ms", people,
                list(ceilings), ceiling));
        log(String.format(Locale.ROOT, "  burst / ceiling = %.2fx (target <= 2x); from the first version effective: %.2fx",
                totalMs / ceiling, millis(firstEffective, committed) / ceiling));
        log(String.format(Locale.ROOT, "  heap after %.0f MiB of %.0f MiB, GC pauses during the burst +%.0f (+%.0f ms)",
                after.get("heap") / MIB, after.get("heapMax") / MIB, after.get("gcCount") - before.get("gcCount"),
                (after.get("gcSeconds") - before.get("gcSeconds")) * 1000));
        if (rows != rowsExpected) {
            throw new IllegalStateException("expected " + rowsExpected + " assignments, found " + rows);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword);
    }

    private void checkpoint() throws SQLException {
        try (Statement sql = owner.createStatement()) {
            sql.execute("CHECKPOINT");
        }
    }

    private String show(String setting) throws SQLException {
        try (Statement sql = owner.createStatement(); ResultSet row = sql.executeQuery("SHOW " + setting)) {
            row.next();
            return row.getString(1);
        }
    }

    private long count(String query) throws SQLException {
        try (Statement sql = owner.createStatement(); ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Heap used and its maximum, GC pause count, total and longest pause (seconds), from the platform's /metrics. */
    private Map<String, Double> metrics() {
        String text = http.get(URI.create(settings.baseUrl() + "/metrics"), null).body();
        Map<String, Double> values = new HashMap<>(Map.of("heap", 0.0, "heapMax", 0.0, "gcCount", 0.0, "gcSeconds", 0.0,
                "gcMax", 0.0));
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
                values.merge("heap", value, Double::sum);
            } else if (line.startsWith("jvm_memory_max_bytes{area=\"heap\"") && value > 0) {
                values.merge("heapMax", value, Double::sum);
            } else if (line.startsWith("jvm_gc_pause_seconds_count")) {
                values.merge("gcCount", value, Double::sum);
            } else if (line.startsWith("jvm_gc_pause_seconds_sum")) {
                values.merge("gcSeconds", value, Double::sum);
            } else if (line.startsWith("jvm_gc_pause_seconds_max")) {
                values.merge("gcMax", value, Math::max);
            }
        }
        return values;
    }

    private String heap() {
        Map<String, Double> now = metrics();
        return String.format(Locale.ROOT, "heap %.0f MiB of %.0f MiB, %.0f GC pauses in all (%.0f ms)", now.get("heap") / MIB,
                now.get("heapMax") / MIB, now.get("gcCount"), now.get("gcSeconds") * 1000);
    }

    static double millis(OffsetDateTime from, OffsetDateTime to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double percentile(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    private static String list(double[] values) {
        return String.join(", ", Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
    }

    private static String list(List<Double> values) {
        return list(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static void log(String message) {
        System.out.println("[traceline-fanout] " + message);
    }
}
