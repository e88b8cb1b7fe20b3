package io.traceline.loadtests;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditRecord;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.tenants.JdbcSettings;
import io.traceline.tenants.SchemaMigrator;
import io.traceline.tenants.TenantScope;
import io.traceline.tenants.TenantSlug;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * What the hash-chained audit write costs a business transaction (issue #4). A benchmark, not a test: run it
 * by hand (load-tests/README.md) and read the ratios it prints.
 *
 * <p>Against a fresh embedded PostgreSQL (fsync and synchronous commit on, {@code -Dfsync=off} to compare) with one tenant
 * schema migrated by the platform's own changelog, W writers (default 1 and 64) each run transactions
 * back to back for a fixed time, in three variants:
 * <ul>
 *   <li>{@code business only}: the business change alone (an UPDATE of one of 10,000 records, random);</li>
 *   <li>{@code chain off}: the same plus the same audit row, hashed the same way in one statement, into a
 *       copy of the audit table without the chain (no head, no lock, no predecessor): the ceiling the chain
 *       is measured against;</li>
 *   <li>{@code chain on}: the same through the platform's {@link AuditTrail}: {@code audit_append} locks the
 *       head row until commit, stamps, links and moves the head in one statement.</li>
 * </ul>
 * It prints throughput and latency per variant and the ratios chain on / chain off, then checks that the
 * chain it wrote is linear (1, 2, 3… each linked to the one before).
 */
public final class AuditChainBenchmark {

  private static final int RECORDS = 10_000;
  private static final String SLUG = "bench_audit";

  public static void main(String[] args) throws Exception {
    int[] writerCounts = Arrays.stream(System.getProperty("writers", "1,64").split(",")).map(String::trim)
        .mapToInt(Integer::parseInt).toArray();
    int seconds = Integer.getInteger("seconds", 20);
    int warmup = Integer.getInteger("warmupSeconds", 5);
    Path dataDir = Path.of(System.getProperty("dataDir", "target/bench-postgres")).toAbsolutePath();
    int maxWriters = Arrays.stream(writerCounts).max().orElse(1);

    // fsync=on (default) makes every commit wait for the disk as a production database does; the embedded
    // server's own default is off, which hides what holding the chain's lock across a commit costs.
    EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(true)
        .setServerConfig("fsync", System.getProperty("fsync", "on"))
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("max_connections", String.valueOf(maxWriters + 20))
        .start();
    String url = "postgresql://localhost:" + postgres.getPort() + "/postgres";
    Vertx vertx = Vertx.vertx();
    try {
      JdbcSettings jdbc = new JdbcSettings("jdbc:" + url, "postgres", "");
      new SchemaMigrator(jdbc).migrateTenant(new TenantSlug(SLUG));
      String schema = new TenantSlug(SLUG).schemaName();
      prepare(jdbc, schema);

      Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(maxWriters).setMaxWaitQueueSize(-1))
          .connectingTo(PgConnectOptions.fromUri(url).setUser("postgres").setPassword("")
              .setCachePreparedStatements(true))
          .using(vertx).build();
      TenantScope scope = new TenantScope(pool);
      AuditTrail trail = new AuditTrail();

      List<String> lines = new ArrayList<>();
      lines.add(String.format(Locale.ROOT, "%-7s | %-14s | %9s | %8s | %8s | %8s", "writers", "variant", "tx/s",
          "mean ms", "p50 ms", "p99 ms"));
      List<String> ratios = new ArrayList<>();
      for (int writers : writerCounts) {
        Result businessOnly = null;
        Result chainOff = null;
        Result chainOn = null;
        for (String variant : List.of("business only", "chain off", "chain on")) {
          BiFunction<SqlConnection, Integer, Future<?>> work = switch (variant) {
            case "business only" -> (connection, i) -> business(connection);
            case "chain off" -> (connection, i) -> business(connection).compose(before -> unchained(connection, before));
            default -> (connection, i) -> business(connection).compose(before -> trail.record(connection, event(before)));
          };
          run(vertx, scope, schema, writers, warmup, work);
          Result result = run(vertx, scope, schema, writers, seconds, work);
          lines.add(String.format(Locale.ROOT, "%-7d | %-14s | %9.1f | %8.2f | %8.2f | %8.2f", writers, variant,
              result.throughput(), result.mean(), result.percentile(50), result.percentile(99)));
          switch (variant) {
            case "business only" -> businessOnly = result;
            case "chain off" -> chainOff = result;
            default -> chainOn = result;
          }
        }
        ratios.add(String.format(Locale.ROOT, "%d writer(s): chain on / chain off: throughput %.2f×, p50 %.2f×, p99 %.2f×; "
                + "audit row (chain off) / business only: throughput %.2f×, p50 %.2f×", writers,
            chainOn.throughput() / chainOff.throughput(), chainOn.percentile(50) / chainOff.percentile(50),
            chainOn.percentile(99) / chainOff.percentile(99), chainOff.throughput() / businessOnly.throughput(),
            chainOff.percentile(50) / businessOnly.percentile(50)));
      }
      System.out.println();
      System.out.println("[traceline-audit-chain] " + seconds + " s per variant after " + warmup + " s warm-up; "
          + Runtime.getRuntime().availableProcessors() + " cores; embedded PostgreSQL " + settings(jdbc));
      lines.forEach(line -> System.out.println("[traceline-audit-chain] " + line));
      ratios.forEach(line -> System.out.println("[traceline-audit-chain] " + line));
      System.out.println("[traceline-audit-chain] " + checkChain(jdbc, schema));
      pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      postgres.close();
    }
  }

  /** The business records, and the audit table's twin without the chain (same columns, indexes and checks). */
  private static void prepare(JdbcSettings jdbc, String schema) throws Exception {
    try (Connection connection = jdbc.open(); Statement statement = connection.createStatement()) {
      statement.execute("SET search_path TO " + schema);
      statement.execute("CREATE TABLE bench_record (id integer PRIMARY KEY, version integer NOT NULL, payload jsonb NOT NULL)");
      statement.execute("INSERT INTO bench_record SELECT g, 1, jsonb_build_object('title', 'Record ' || g, 'status', "
          + "'draft') FROM generate_series(1, " + RECORDS + ") g");
      statement.execute("CREATE TABLE bench_audit_unchained (LIKE audit_event INCLUDING ALL)");
      statement.execute("CREATE SEQUENCE bench_audit_unchained_seq OWNED BY bench_audit_unchained.seq");
      statement.execute("ALTER TABLE bench_audit_unchained ALTER seq SET DEFAULT nextval('bench_audit_unchained_seq')");
      statement.execute("VACUUM ANALYZE bench_record");
    }
  }

  /** The business change: the next version of a random record; yields its values before and after. */
  private static Future<JsonObject[]> business(SqlConnection connection) {
    int id = ThreadLocalRandom.current().nextInt(1, RECORDS + 1);
    String status = ThreadLocalRandom.current().nextBoolean() ? "in_review" : "approved";
    return connection.preparedQuery("UPDATE bench_record SET version = version + 1, "
            + "payload = jsonb_set(payload, '{status}', to_jsonb($2::text)) WHERE id = $1 RETURNING id, version, payload")
        .execute(Tuple.of(id, status))
        .map(rows -> {
          var row = rows.iterator().next();
          JsonObject after = new JsonObject().put("id", row.getInteger("id")).put("version", row.getInteger("version"))
              .put("payload", row.getJsonObject("payload"));
          return new JsonObject[] {after.copy().put("version", row.getInteger("version") - 1), after};
        });
  }

  private static AuditEvent event(JsonObject[] values) {
    return AuditEvent.of(new AuditEvent.Actor("bench-user", "Bench User"), new AuditEvent.Source("bench", "127.0.0.1",
            null, "00000000000000000000000000000000"), "record.updated", "bench-record",
            String.valueOf(values[1].getInteger("id")))
        .withVersion(values[1].getInteger("version")).withValues(values[0], values[1]).withReason("Benchmark change");
  }

  /**
   * The same row, hashed the same way (content hash in the JVM, link hash and time by the database, in one
   * statement as audit_append does), without the chain: no head, no lock, no predecessor.
   */
  private static Future<?> unchained(SqlConnection connection, JsonObject[] values) {
    AuditEvent event = event(values);
    return connection.preparedQuery("INSERT INTO bench_audit_unchained (occurred_at, actor_id, actor_name, action, "
            + "entity_type, entity_id, entity_version, before_value, after_value, reason, client_id, client_ip, trace_id, "
            + "content_hash, prev_hash, hash) SELECT stamped, $1::text, $2::text, $3::text, $4::text, $5::text, $6::integer, "
            + "$7::jsonb, $8::jsonb, $9::text, $10::text, $11::text, $12::text, $13::text, "
            + "repeat('0', 64), encode(sha256(convert_to(format('{\"contentHash\":\"%s\",\"occurredAt\":\"%s\","
            + "\"prevHash\":\"%s\",\"seq\":0}', $13::text, to_char(stamped AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
            + "repeat('0', 64)), 'UTF8')), 'hex') FROM (SELECT clock_timestamp() AS stamped) clock")
        .execute(Tuple.tuple().addString(event.actor().id()).addString(event.actor().name())
            .addString(event.action()).addString(event.entityType()).addString(event.entityId())
            .addInteger(event.entityVersion()).addValue(event.before()).addValue(event.after()).addString(event.reason())
            .addString(event.source().clientId()).addString(event.source().ip()).addString(event.source().traceId())
            .addString(AuditRecord.contentHash(event)));
  }

  private static Result run(Vertx vertx, TenantScope scope, String schema, int writers, int seconds,
                            BiFunction<SqlConnection, Integer, Future<?>> work) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<long[]> perWriter = new ArrayList<>();
    List<Future<Void>> loops = new ArrayList<>();
    long started = System.nanoTime();
    for (int w = 0; w < writers; w++) {
      long[][] holder = {new long[1024]};
      int[] count = {0};
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> loop(scope, schema, work, deadline, holder, count, done));
      loops.add(done.future().map(v -> {
        synchronized (perWriter) {
          perWriter.add(Arrays.copyOf(holder[0], count[0]));
        }
        return null;
      }));
    }
    Future.all(loops).toCompletionStage().toCompletableFuture().get(seconds + 120L, TimeUnit.SECONDS);
    long elapsed = System.nanoTime() - started;
    long[] all = perWriter.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return new Result(all, elapsed);
  }

  private static void loop(TenantScope scope, String schema, BiFunction<SqlConnection, Integer, Future<?>> work,
                           long deadline, long[][] latencies, int[] count, Promise<Void> done) {
    if (System.nanoTime() >= deadline) {
      done.complete();
      return;
    }
    long start = System.nanoTime();
    scope.inTransaction(schema, connection -> work.apply(connection, count[0]))
        .onComplete(result -> {
          if (result.failed()) {
            done.fail(result.cause());
            return;
          }
          if (count[0] == latencies[0].length) {
            latencies[0] = Arrays.copyOf(latencies[0], latencies[0].length * 2);
          }
          latencies[0][count[0]++] = System.nanoTime() - start;
          loop(scope, schema, work, deadline, latencies, count, done);
        });
  }

  private static String settings(JdbcSettings jdbc) throws Exception {
    try (Connection connection = jdbc.open(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT current_setting('server_version'), current_setting('fsync'), "
             + "current_setting('synchronous_commit'), current_setting('wal_sync_method')")) {
      rows.next();
      return rows.getString(1) + " (fsync=" + rows.getString(2) + ", synchronous_commit=" + rows.getString(3)
          + ", wal_sync_method=" + rows.getString(4) + ")";
    }
  }

  /** Counts the chain's events and checks each links to the one before it, with no gap. */
  private static String checkChain(JdbcSettings jdbc, String schema) throws Exception {
    try (Connection connection = jdbc.open(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT count(*), coalesce(max(seq), 0), count(*) FILTER (WHERE broken) "
             + "FROM (SELECT seq, seq > 1 AND prev_hash IS DISTINCT FROM lag(hash) OVER (ORDER BY seq) AS broken FROM "
             + schema + ".audit_event) chain")) {
      rows.next();
      long events = rows.getLong(1);
      boolean linear = events == rows.getLong(2) && rows.getLong(3) == 0;
      return "chain written: " + events + " events, " + (linear ? "linear (no gap, every link intact)" : "NOT LINEAR");
    }
  }

  private record Result(long[] sortedNanos, long elapsedNanos) {
    double throughput() {
      return sortedNanos.length / (elapsedNanos / 1e9);
    }

    double mean() {
      return Arrays.stream(sortedNanos).average().orElse(0) / 1e6;
    }

    double percentile(int p) {
      if (sortedNanos.length == 0) {
        return 0;
      }
      int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
      return sortedNanos[Math.max(0, Math.min(index, sortedNanos.length - 1))] / 1e6;
    }
  }
}
