package io.traceline.loadtests;

import io.traceline.platform.reports.internal.DocumentTrainingRepository;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The auditor's question (RPT-1) against a running platform: a document with three versions of history mapped to
 * {@code people} people, answered as JSON and CSV through the API, against the server-side time of the same SQL
 * ({@code EXPLAIN ANALYZE} of the platform's statement, measured in the same run, alternating); then a CSV of
 * {@code csvPeople} rows from a second tenant while sampling the platform's heap (run the platform with -Xmx256m). A
 * benchmark, not a test (DESIGN.md §7; results in load-tests/README.md).
 *
 * <p>Setup (not measured, reused by later runs): the people written with SQL as the schema owner ({@code
 * FanOutTenant.prepare}); the document and its three major revisions taken to effective through the API (each fan-out
 * assigns everyone and supersedes the open assignments of the version before); after each fan-out a share of the open
 * assignments completed with SQL right after it (85 % of 1.0, 60 % of 2.0, 30 % of 3.0) with a completion record
 * each, and a fifth of what stays open of 3.0 past its due date — so every verdict occurs.
 */
public final class DocumentTrainingReportBenchmark {

    private final LoadTestSettings settings;
    private final SetupHttp http = new SetupHttp();
    private final PlatformSetup setup;
    private final QualificationCheckBenchmark.Database database = QualificationCheckBenchmark.Database.fromSystemProperties();
    private final String password = System.getProperty("benchPassword", "Report-bench-1");
    private final Connection owner;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private DocumentTrainingReportBenchmark(LoadTestSettings settings) throws SQLException {
        this.settings = settings;
        this.setup = new PlatformSetup(settings, http);
        this.owner = database.connect();
    }

    public static void main(String[] args) throws Exception {
        int people = Integer.getInteger("people", 50_000);
        int csvPeople = Integer.getInteger("csvPeople", 100_000);
        int runs = Integer.getInteger("runs", 3);
        System.setProperty("tenants", "1");
        System.setProperty("tenantPrefix", System.getProperty("tenantPrefix", "rb"));
        DocumentTrainingReportBenchmark benchmark = new DocumentTrainingReportBenchmark(
                LoadTestSettings.fromSystemProperties());
        benchmark.run(people, csvPeople, runs);
        System.exit(0);
    }

    private void run(int people, int csvPeople, int runs) throws Exception {
        setup.awaitPlatformAndKeycloak();
        log("platform " + settings.baseUrl() + ", database " + database.url() + "; people=" + people + " csvPeople="
                + csvPeople + " runs=" + runs + "; load average " + loadAverage());
        Instant start = Instant.now();
        FanOutTenant tenant = FanOutTenant.prepare(setup, settings, http, owner, "report_bench", people, password);
        String[] document = historyOfThree(tenant, people);
        log("setup " + Duration.between(start, Instant.now()).toSeconds() + " s; " + verdictsInDatabase(tenant, document[0]));

        String base = settings.baseUrl() + "/api/v1/t/" + tenant.slug() + "/reports/document-training?document="
                + document[1];
        explain(tenant, document[0], true);
        fetch(tenant, base + "&format=json", "warm-up JSON (not recorded)");
        List<Double> api = new ArrayList<>();
        List<Double> csv = new ArrayList<>();
        List<Double> sql = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            sql.add(explain(tenant, document[0], false));
            api.add(fetch(tenant, base + "&format=json", "API JSON, run " + (i + 1)).seconds * 1000);
            csv.add(fetch(tenant, base + "&format=csv", "API CSV, run " + (i + 1)).seconds * 1000);
        }
        sql.add(explain(tenant, document[0], false));

        FanOutTenant big = FanOutTenant.prepare(setup, settings, http, owner, "report_bench_csv", csvPeople, password);
        String[] bigDocument = historyOfThree(big, csvPeople);
        String bigUrl = settings.baseUrl() + "/api/v1/t/" + big.slug() + "/reports/document-training?document="
                + bigDocument[1] + "&format=csv";
        fetch(big, bigUrl, "warm-up CSV (not recorded)");
        List<Fetched> bigRuns = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            bigRuns.add(fetchSamplingHeap(big, bigUrl, "CSV of " + csvPeople + " people, run " + (i + 1)));
        }
        double bigSql = explain(big, bigDocument[0], false);

        log("");
        log(String.format(Locale.ROOT, "SUMMARY the auditor's question, %,d people, 3 versions of history; medians of %d runs; "
                + "load average now %s (the machine is shared with other builds)", people, runs, loadAverage()));
        log(String.format(Locale.ROOT, "  server-side SQL (EXPLAIN ANALYZE execution time): %s ms, median %.0f ms",
                list(sql), median(sql)));
        log(String.format(Locale.ROOT, "  API JSON (whole body received): %s ms, median %.0f ms = %.2fx the SQL", list(api),
                median(api), median(api) / median(sql)));
        log(String.format(Locale.ROOT, "  API CSV (whole body received): %s ms, median %.0f ms = %.2fx the SQL", list(csv),
                median(csv), median(csv) / median(sql)));
        for (Fetched f : bigRuns) {
            log(String.format(Locale.ROOT, "  CSV %,d rows: %,d bytes in %.0f ms (first byte after %.0f ms), SQL %.0f ms; "
                    + "platform heap used max %.0f MiB of max %.0f MiB while streaming", f.lines - 1, f.bytes,
                    f.seconds * 1000, f.firstByteSeconds * 1000, bigSql, f.heapMaxUsed / 1048576.0, f.heapMax / 1048576.0));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Setup

    /** A document with versions 1.0, 2.0 and 3.0, completions after each fan-out; returns {id, number}. Reused. */
    private String[] historyOfThree(FanOutTenant tenant, int people) throws Exception {
        String schema = tenant.schema();
        String found = queryString("SELECT d.id || ' ' || d.number FROM " + schema + ".document d WHERE d.title = "
                + "'Report benchmark' AND (SELECT count(*) FROM " + schema + ".document_version v WHERE v.document_id = d.id "
                + "AND v.state IN ('effective', 'superseded')) = 3");
        if (found != null) {
            return found.split(" ");
        }
        FanOutTenant.Revision revision = tenant.draft("Report benchmark");
        int[] shares = {85, 60, 30};
        for (int v = 0; v < 3; v++) {
            if (v > 0) {
                revision = tenant.revise(revision, "Report benchmark");
            }
            tenant.submit(revision, null);
            tenant.approve(revision);
            awaitAssigned(schema, revision.versionId(), people);
            complete(schema, revision.versionId(), shares[v]);
            log("version " + revision.versionLabel() + " effective, assigned to " + people + " people, " + shares[v]
                    + " % completed");
        }
        try (Statement sql = owner.createStatement()) {
            sql.executeUpdate("UPDATE " + schema + ".training_assignment SET due_at = now() - interval '3 days' "
                    + "WHERE version_id = '" + revision.versionId() + "' AND status = 'open' "
                    + "AND abs(hashtext(person_id::text)) % 5 = 0");
            sql.execute("ANALYZE " + schema + ".training_assignment");
            sql.execute("ANALYZE " + schema + ".training_completion");
        }
        return new String[] {revision.documentId(), queryString("SELECT number FROM " + schema + ".document WHERE id = '"
                + revision.documentId() + "'")};
    }

    private void awaitAssigned(String schema, String versionId, int people) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (count("SELECT count(*) FROM " + schema + ".training_assignment WHERE version_id = '" + versionId + "'")
                < people) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the fan-out of " + versionId + " did not finish");
            }
            Thread.sleep(200);
        }
    }

    /**
     * Completes {@code share} % of the version's open assignments now, with a completion record each (flagged as a
     * back-fill by its reason).
     */
    private void complete(String schema, String versionId, int share) throws SQLException {
        try (Statement sql = owner.createStatement()) {
            sql.execute("SET search_path = " + schema);
            sql.executeUpdate("WITH done AS (UPDATE training_assignment SET status = 'completed', "
                    + "completed_at = now(), closed_at = now(), close_reason = 'Report benchmark' "
                    + "WHERE version_id = '" + versionId + "' AND status = 'open' "
                    + "AND abs(hashtext(person_id::text || '" + versionId + "')) % 100 < " + share + " "
                    + "RETURNING id, person_id, requirement_id, document_id, version_id, cycle, method, completed_at) "
                    + "INSERT INTO training_completion (id, assignment_id, person_id, requirement_id, document_id, "
                    + "version_id, cycle, method, result, trained_at, reason, recorded_by, recorded_by_name) "
                    + "SELECT uuid_v7(), id, person_id, requirement_id, document_id, version_id, cycle, method, "
                    + "'acknowledged', completed_at, 'Back-filled by the report benchmark', 'report-benchmark', "
                    + "'Report benchmark' FROM done");
        } finally {
            try (Statement sql = owner.createStatement()) {
                sql.execute("RESET search_path");
            }
        }
    }

    private String verdictsInDatabase(FanOutTenant tenant, String documentId) throws SQLException {
        return count("SELECT count(*) FROM " + tenant.schema() + ".training_assignment WHERE document_id = '" + documentId
                + "'") + " assignments of the document (" + count("SELECT count(*) FROM " + tenant.schema()
                + ".training_assignment WHERE document_id = '" + documentId + "' AND status = 'completed'")
                + " completed)";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Measurements

    /** The platform's statement in the database: {@code EXPLAIN (ANALYZE, BUFFERS)}, its execution time in ms. */
    private double explain(FanOutTenant tenant, String documentId, boolean print) throws SQLException {
        String statement = DocumentTrainingRepository.statement().replace("$1", "'" + documentId + "'::uuid")
                .replace("$2", "now()").replace("$3", "NULL");
        try (Statement sql = owner.createStatement()) {
            sql.execute("SET search_path = " + tenant.schema());
            StringBuilder plan = new StringBuilder();
            double executed = Double.NaN;
            try (ResultSet rows = sql.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + statement)) {
                while (rows.next()) {
                    String line = rows.getString(1);
                    plan.append("\n    ").append(line);
                    Matcher time = Pattern.compile("Execution Time: ([0-9.]+) ms").matcher(line);
                    if (time.find()) {
                        executed = Double.parseDouble(time.group(1));
                    }
                }
            }
            sql.execute("RESET search_path");
            if (print) {
                log("the report's statement, EXPLAIN (ANALYZE, BUFFERS):" + plan);
            }
            log(String.format(Locale.ROOT, "SQL (server-side execution) %.0f ms", executed));
            return executed;
        }
    }

    record Fetched(double seconds, double firstByteSeconds, long bytes, long lines, long heapMaxUsed, long heapMax) {
    }

    private Fetched fetch(FanOutTenant tenant, String url, String name) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer "
                + tenant.authorToken()).timeout(Duration.ofMinutes(10)).build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        double firstByte = (System.nanoTime() - start) / 1e9;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(name + ": HTTP " + response.statusCode() + " "
                    + new String(response.body().readAllBytes()));
        }
        long bytes = 0;
        long lines = 0;
        byte[] buffer = new byte[65536];
        try (InputStream body = response.body()) {
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        log(String.format(Locale.ROOT, "%-36s %,12d bytes, %,8d lines in %7.0f ms (headers after %5.0f ms)", name, bytes,
                lines, seconds * 1000, firstByte * 1000));
        return new Fetched(seconds, firstByte, bytes, lines, 0, 0);
    }

    /** As {@link #fetch}, sampling the platform's heap (its /metrics) every 100 ms meanwhile. */
    private Fetched fetchSamplingHeap(FanOutTenant tenant, String url, String name) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong maxUsed = new AtomicLong();
        AtomicLong max = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                long[] heap = heap();
                maxUsed.accumulateAndGet(heap[0], Math::max);
                max.set(heap[1]);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        Fetched fetched = fetch(tenant, url, name);
        done.set(true);
        sampler.join();
        return new Fetched(fetched.seconds, fetched.firstByteSeconds, fetched.bytes, fetched.lines, maxUsed.get(),
                max.get());
    }

    /** Heap used and max (bytes) summed over the heap pools, from the platform's Prometheus metrics. */
    private long[] heap() {
        long used = 0;
        long max = 0;
        for (String line : http.get(URI.create(settings.baseUrl() + "/metrics"), null).body().split("\n")) {
            if (line.contains("area=\"heap\"")) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (line.startsWith("jvm_memory_used_bytes")) {
                    used += (long) value;
                } else if (line.startsWith("jvm_memory_max_bytes") && value > 0) {
                    max += (long) value;
                }
            }
        }
        return new long[] {used, max};
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static String list(List<Double> values) {
        return Arrays.toString(values.stream().mapToLong(Math::round).toArray());
    }

    private long count(String query) throws SQLException {
        try (Statement sql = owner.createStatement(); ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    private String queryString(String query) throws SQLException {
        try (Statement sql = owner.createStatement(); ResultSet row = sql.executeQuery(query)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private static void log(String message) {
        System.out.println("[traceline-report] " + message);
    }
}
