package io.traceline.platform.training.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The matrix's set-based SQL: who a document version (or one requirement) applies to, chunked by person id, and the
 * people-event reconciliation. Everything is computed in PostgreSQL; the JVM never holds the affected set.
 */
public final class MatrixRepository {

  /** People currently holding a job role (the period [valid_from, valid_to) contains today). */
  private static final String CURRENT_HOLDING = "h.valid_from <= current_date AND (h.valid_to IS NULL OR h.valid_to > current_date)";

  /**
   * The requirement {@code r} applies to person {@code p} as far as programs go (SPN-1): it has no program scope, or
   * {@code p} is a member of its program today. Set-based like the rest of the statement: a requirement without a
   * program never evaluates the EXISTS; with one, PostgreSQL either probes person_program_by_person per candidate or
   * (usually) hashes the memberships once per statement.
   */
  static final String IN_PROGRAM = inProgram("");

  /**
   * {@link #IN_PROGRAM} with a further condition on the memberships {@code m}: a fan-out chunk limits them to its
   * person-id range, a reconciliation to its people, so hashed memberships are an index scan of that slice, not of
   * every membership of the tenant.
   */
  private static String inProgram(String andMembership) {
    return "(r.program_id IS NULL OR EXISTS (SELECT 1 FROM person_program m "
        + "WHERE m.person_id = p.id AND m.program_id = r.program_id AND m.valid_from <= current_date "
        + "AND (m.valid_to IS NULL OR m.valid_to > current_date)" + andMembership + "))";
  }

  /** The requirement {@code r}'s job role (at its site) is no longer held by the person {@code p} of assignment {@code a}. */
  private static final String ROLE_GONE = "((r.site_id IS NOT NULL AND p.site_id <> r.site_id) OR NOT EXISTS (SELECT 1 "
      + "FROM person_job_role h WHERE h.person_id = a.person_id AND h.job_role_id = r.job_role_id AND " + CURRENT_HOLDING
      + "))";

  /**
   * Which method a revision asks of a requirement: none for impact "none" (never enqueued) or a minor revision the
   * requirement exempts; read-and-acknowledge for that impact or a minor revision that asks for it; else the
   * requirement's own method. $impact and $kind are the version's training impact and revision kind.
   */
  private static String method(String impact, String kind) {
    return "CASE WHEN " + impact + " = 'read-and-acknowledge' THEN 'read-and-acknowledge' "
        + "WHEN " + kind + " = 'minor' AND r.minor_revision = 'none' THEN NULL "
        + "WHEN " + kind + " = 'minor' AND r.minor_revision = 'read-and-acknowledge' THEN 'read-and-acknowledge' "
        + "ELSE r.method END";
  }

  /**
   * Person-id range of a chunk: lower exclusive, upper inclusive, null unbounded (read as the nil and the largest UUID,
   * nobody's id). The bounds are scalar subqueries of the chunk row, not a join with it: PostgreSQL evaluates them once
   * and scans indexes between them, so a chunk reads its own slice of the matrix rather than filtering the whole affected
   * set (which made every chunk cost as much as the whole fan-out's join). No chunk row: no bounds, nothing matches.
   */
  private static String inChunk(String column) {
    return column + " > (SELECT coalesce(lower_id, '00000000-0000-0000-0000-000000000000') FROM c) AND " + column
        + " <= (SELECT coalesce(upper_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff') FROM c)";
  }

  /**
   * Splits the people a fan-out may touch (mapped by an active requirement, or holding an open or completed
   * assignment of the document) into ranges of about {@code chunkSize}, records them for the job and returns
   * {@code [chunks, people]}.
   */
  public Future<long[]> planChunks(SqlConnection connection, UUID jobId, UUID documentId, UUID requirementId,
                                   int chunkSize) {
    String sql = "WITH affected AS ("
        + "SELECT p.id FROM training_requirement r "
        + "JOIN person_job_role h ON h.job_role_id = r.job_role_id AND " + CURRENT_HOLDING + " "
        + "JOIN person p ON p.id = h.person_id AND p.status = 'active' AND (r.site_id IS NULL OR p.site_id = r.site_id) "
        + "WHERE r.document_id = $1 AND r.active AND ($2::uuid IS NULL OR r.id = $2) AND " + IN_PROGRAM + " "
        + "UNION SELECT a.person_id FROM training_assignment a WHERE $2::uuid IS NULL AND a.document_id = $1 "
        + "AND a.status IN ('open', 'completed')), "
        + "numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n, count(*) OVER () AS total FROM affected) "
        + "SELECT id, total FROM numbered WHERE n % $3 = 0 OR n = total ORDER BY id";
    return connection.preparedQuery(sql).execute(Tuple.of(documentId, requirementId, chunkSize)).compose(rows -> {
      List<UUID> bounds = new ArrayList<>();
      long[] total = {0};
      rows.forEach(row -> {
        bounds.add(row.getUUID("id"));
        total[0] = row.getLong("total");
      });
      // Chunk k covers (bounds[k-1], bounds[k]]; the first starts unbounded and the last ends unbounded, so people
      // who join meanwhile are not missed. The last boundary (the greatest id) is dropped: the last chunk is open.
      if (!bounds.isEmpty()) {
        bounds.remove(bounds.size() - 1);
      }
      List<Tuple> chunks = new ArrayList<>();
      UUID lower = null;
      for (int k = 0; k <= bounds.size(); k++) {
        UUID upper = k < bounds.size() ? bounds.get(k) : null;
        chunks.add(Tuple.of(jobId, k, lower, upper));
        lower = upper;
      }
      return recordChunks(connection, chunks).map(v -> new long[] {chunks.size(), total[0]});
    });
  }

  /** Records chunks (job id, chunk number, lower and upper person id; null bounds are open); a re-run adds nothing. */
  private static Future<Void> recordChunks(SqlConnection connection, List<Tuple> chunks) {
    return connection.preparedQuery("INSERT INTO training_fanout_chunk (job_id, chunk_no, lower_id, upper_id) "
            + "VALUES ($1, $2, $3, $4) ON CONFLICT (job_id, chunk_no) DO NOTHING")
        .executeBatch(chunks).mapEmpty();
  }

  /**
   * True when the tenant has at most {@code chunkSize} people, active or not: whatever a fan-out touches then fits one
   * chunk, and no plan needs to count it. Reads at most {@code chunkSize + 1} ids of one index.
   */
  public Future<Boolean> fitsOneChunk(SqlConnection connection, int chunkSize) {
    return connection.preparedQuery("SELECT count(*) <= $1 AS fits FROM (SELECT 1 FROM person LIMIT $1 + 1) p")
        .execute(Tuple.of(chunkSize)).map(rows -> rows.iterator().next().getBoolean("fits"));
  }

  /**
   * What one chunk of a fan-out does. {@code whole}: the fan-out's only chunk, over everyone, without a recorded range
   * (its statement names no chunk table and no bounds, which a cold tenant's planning pays for).
   * {@code earlierVersions}: the document has versions numbered below this one; without them (a first version) nobody
   * has an older version's assignment to supersede or to be retrained from.
   */
  public record FanOut(UUID jobId, int chunkNo, boolean whole, UUID documentId, UUID versionId, UUID requirementId,
                       boolean earlierVersions, String impact, String revisionKind, OffsetDateTime dueFrom, String cause,
                       String supersededReason) {

    /** Whether the chunk looks at older versions' assignments: a revision's fan-out over a document that has them. */
    boolean looksAtOlderVersions() {
      return requirementId == null && earlierVersions;
    }
  }

  /**
   * One chunk: in one statement, closes the open assignments of older versions of the document as superseded (a
   * revision fan-out only) and inserts the assignments of this version for everyone in the chunk's range whom an
   * active requirement maps (job role currently held, site in scope, member of its program, active person) or who
   * completed training on an earlier version, within the chunk's person-id range unless it is the whole fan-out. Returns
   * what it did. A fan-out of one requirement, or of a document's first version, has no older versions to look at: its
   * statement leaves out the supersession and the previously trained, whose planning (two more scans of the
   * assignments, a four-way join) cost a cold tenant more than the rest of the statement's.
   *
   * <p>The chunk acts only while its version is the effective one. A fan-out that runs late, after a newer version
   * became effective, does nothing: the newer version's fan-out assigns these people, and open assignments of an
   * outdated version would otherwise stay open for good. The version row is share-locked for the statement, so making a
   * newer version effective (which updates this row) waits for a running chunk, and the newer fan-out, enqueued in
   * that transaction, sees the chunk's rows when it supersedes. Only older versions (by major.minor) are superseded.
   */
  public Future<ChunkDone> fanOutChunk(SqlConnection connection, FanOut fanOut) {
    return chunk(connection, fanOut, false).compose(done -> !done.programScoped() ? Future.succeededFuture(done)
        : chunk(connection, fanOut, true).map(more -> new ChunkDone(done.assigned() + more.assigned(),
            done.superseded() + more.superseded())));
  }

  /**
   * The chunk's statement. Most documents have no program-scoped requirement, and planning the membership test costs a
   * cold tenant a relation and its four indexes: so the chunk first runs for requirements without a program, and says
   * (from the same snapshot) whether the document has program-scoped ones; only then it runs again with the test
   * ({@code programs}), which adds their people and finds everything else done (the unique key, nothing left open).
   */
  private Future<ChunkDone> chunk(SqlConnection connection, FanOut fanOut, boolean programs) {
    String method = method("$6", "$7");
    boolean older = fanOut.looksAtOlderVersions();
    // The chunk's range, read from its row; a whole fan-out (chunk 0 of 1) has none and is gated on the version directly.
    String range = fanOut.whole() ? "" : "c AS (SELECT lower_id, upper_id FROM training_fanout_chunk WHERE job_id = $1 "
        + "AND chunk_no = $2 AND EXISTS (SELECT 1 FROM v)), ";
    Function<String, String> within = column -> fanOut.whole() ? "" : " AND " + inChunk(column);
    String sql = "WITH v AS (SELECT id, major, minor FROM document_version WHERE id = $4 AND state = 'effective' FOR SHARE), "
        + range
        + (!older ? "" : "older AS (SELECT o.id FROM document_version o, v WHERE o.document_id = $3 "
            + "AND (o.major, o.minor) < (v.major, v.minor)), "
            + "superseded AS (UPDATE training_assignment a SET status = 'superseded', closed_at = now(), close_reason = $10 "
            + "WHERE a.document_id = $3 AND a.version_id IN (SELECT id FROM older) AND a.status = 'open'"
            + within.apply("a.person_id") + " RETURNING a.id), ")
        + "candidates AS ("
        + "SELECT p.id AS person_id, r.id AS requirement_id, r.due_days, " + method + " AS method, $8::text AS cause, 1 AS rank "
        + "FROM training_requirement r "
        + "JOIN person_job_role h ON h.job_role_id = r.job_role_id AND " + CURRENT_HOLDING + " "
        + "JOIN person p ON p.id = h.person_id AND p.status = 'active' AND (r.site_id IS NULL OR p.site_id = r.site_id) "
        + "WHERE r.document_id = $3 AND r.active AND ($9::uuid IS NULL OR r.id = $9)"
        + (fanOut.whole() ? " AND EXISTS (SELECT 1 FROM v WHERE $2::int = 0)" : within.apply("h.person_id")) + " "
        + (programs ? "AND " + inProgram(within.apply("m.person_id")) : "AND r.program_id IS NULL")
        + (!older ? "" : " UNION ALL "
            + "SELECT a.person_id, a.requirement_id, r.due_days, " + method + ", 'previously-trained', 2 "
            + "FROM training_assignment a JOIN training_requirement r ON r.id = a.requirement_id "
            + "JOIN person p ON p.id = a.person_id AND p.status = 'active' "
            + "WHERE a.document_id = $3 AND a.version_id IN (SELECT id FROM older) AND a.status = 'completed'"
            + within.apply("a.person_id"))
        + "), "
        + "inserted AS (INSERT INTO training_assignment (id, person_id, requirement_id, document_id, version_id, cycle, "
        + "method, due_at, cause, job_id) "
        + "SELECT uuid_v7(), t.person_id, t.requirement_id, $3, $4, 1, t.method, $5::timestamptz + make_interval(days => t.due_days), "
        + "t.cause, $1 FROM (SELECT DISTINCT ON (person_id, requirement_id) * FROM candidates WHERE method IS NOT NULL "
        + "ORDER BY person_id, requirement_id, rank) t "
        + "ON CONFLICT (person_id, requirement_id, version_id, cycle) DO NOTHING RETURNING 1) "
        + "SELECT (SELECT count(*) FROM inserted) AS assigned, "
        + (older ? "(SELECT count(*) FROM superseded)" : "0::bigint") + " AS superseded, "
        + (programs ? "false" : "EXISTS (SELECT 1 FROM training_requirement s WHERE s.document_id = $3 AND s.active "
            + "AND s.program_id IS NOT NULL AND ($9::uuid IS NULL OR s.id = $9))") + " AS program_scoped";
    Object[] values = {fanOut.jobId(), fanOut.chunkNo(), fanOut.documentId(), fanOut.versionId(), fanOut.dueFrom(),
        fanOut.impact(), fanOut.revisionKind(), fanOut.cause(), fanOut.requirementId(), fanOut.supersededReason()};
    // Without the supersession the reason ($10) is not in the statement, and PostgreSQL cannot type an unused parameter.
    return connection.preparedQuery(sql)
        .execute(Tuple.from(older ? values : Arrays.copyOf(values, 9)))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new ChunkDone(row.getLong("assigned"), row.getLong("superseded"), row.getBoolean("program_scoped"));
        });
  }

  /**
   * What a chunk did: assignments inserted, open ones of older versions superseded; {@code programScoped}: the document
   * has program-scoped requirements, which a chunk without the membership test left out.
   */
  public record ChunkDone(long assigned, long superseded, boolean programScoped) {

    ChunkDone(long assigned, long superseded) {
      this(assigned, superseded, false);
    }
  }

  /** Counts of one reconciliation of people events. */
  public record Reconciled(int events, long cancelled, long paused, long resumed, long assigned) {
  }

  /**
   * Takes up to {@code limit} unconsumed people events (skipping those another transaction holds) and brings the
   * assignments of the people they name in line with who those people are now: a terminated person's open training
   * is cancelled; training whose job role is no longer held (or whose site no longer matches, or whose program the
   * person left) is cancelled; on leave,
   * due dates pause; back from leave they resume, shifted by the time away; and an active person gets every current
   * version their roles require that they do not have. Order-insensitive and idempotent: it reads today's state.
   */
  public Future<Reconciled> reconcile(SqlConnection connection, UUID jobId, int limit) {
    return connection.preparedQuery("WITH taken AS (SELECT id FROM person_event WHERE consumed_at IS NULL ORDER BY id "
            + "LIMIT $1 FOR UPDATE SKIP LOCKED), consumed AS (UPDATE person_event e SET consumed_at = now() FROM taken "
            + "WHERE e.id = taken.id RETURNING e.person_id, e.kind, e.program_id, e.id) "
            + "SELECT person_id, kind, program_id FROM consumed ORDER BY person_id, id")
        .execute(Tuple.of(limit))
        .compose(rows -> {
          // The cause a person's new assignments carry: a hire or a return over the role and program changes that came
          // with it; else a role gained, or a program joined for requirements of the programs the person joined.
          Map<UUID, String> causeOf = new LinkedHashMap<>();
          List<UUID> joinedBy = new ArrayList<>();
          List<UUID> joinedProgram = new ArrayList<>();
          rows.forEach(row -> {
            UUID person = row.getUUID("person_id");
            String kind = row.getString("kind");
            String cause = causeOf.getOrDefault(person, "role-gained");
            if ("hired".equals(kind) || ("returned".equals(kind) && !"hired".equals(cause))) {
              cause = kind;
            }
            causeOf.put(person, cause);
            if ("program-joined".equals(kind)) {
              joinedBy.add(person);
              joinedProgram.add(row.getUUID("program_id"));
            }
          });
          int events = rows.size();
          if (causeOf.isEmpty()) {
            return Future.succeededFuture(new Reconciled(0, 0, 0, 0, 0));
          }
          UUID[] ids = causeOf.keySet().toArray(new UUID[0]);
          String[] causes = causeOf.values().toArray(new String[0]);
          return update(connection, "UPDATE training_assignment a SET status = 'cancelled', closed_at = now(), "
                  + "close_reason = 'The person was terminated' FROM person p WHERE p.id = a.person_id "
                  + "AND a.person_id = ANY($1) AND a.status = 'open' AND p.status = 'terminated'", ids)
              // A lost role (or site) or a program left: what the requirement no longer asks is cancelled, saying why.
              .compose(terminated -> update(connection, "UPDATE training_assignment a SET status = 'cancelled', "
                  + "closed_at = now(), close_reason = 'No longer required: ' || CASE WHEN " + ROLE_GONE + " "
                  + "THEN 'job role ' || j.code || CASE WHEN r.site_id IS NOT NULL AND p.site_id <> r.site_id "
                  + "THEN ' at this site' ELSE '' END || ' not held' ELSE 'program ' || g.code || ' left' END "
                  + "FROM training_requirement r JOIN job_role j ON j.id = r.job_role_id "
                  + "LEFT JOIN program g ON g.id = r.program_id, person p "
                  + "WHERE r.id = a.requirement_id AND p.id = a.person_id "
                  + "AND a.person_id = ANY($1) AND a.status = 'open' AND a.cause <> 'previously-trained' "
                  + "AND (" + ROLE_GONE + " OR NOT " + inProgram(" AND m.person_id = ANY($1)") + ")", ids)
                  .map(roleLost -> terminated + roleLost))
              .compose(cancelled -> update(connection, "UPDATE training_assignment a SET paused_since = now() FROM person p "
                      + "WHERE p.id = a.person_id AND a.person_id = ANY($1) AND a.status = 'open' AND a.paused_since IS NULL "
                      + "AND p.status = 'on_leave'", ids)
                  .compose(paused -> update(connection, "UPDATE training_assignment a SET due_at = a.due_at + "
                          + "(now() - a.paused_since), paused_since = NULL FROM person p WHERE p.id = a.person_id "
                          + "AND a.person_id = ANY($1) AND a.paused_since IS NOT NULL AND p.status = 'active'", ids)
                      .compose(resumed -> assignCurrent(connection, jobId, ids, causes,
                              joinedBy.toArray(new UUID[0]), joinedProgram.toArray(new UUID[0]))
                          .map(assigned -> new Reconciled(events, cancelled, paused, resumed, assigned)))));
        });
  }

  /**
   * Inserts, for active people among {@code people}, the effective version of every document their current roles
   * require (at their site, in their programs) that they have no open, completed or superseded assignment of; a
   * version whose earlier assignment was cancelled (the role was lost, then regained) gets the next cycle, so the
   * cancellation stays in the history. A requirement of a program the person just joined ({@code joinedBy[i]} joined
   * {@code joinedProgram[i]}) is assigned with the cause program-joined unless a hire or return explains it.
   */
  private Future<Long> assignCurrent(SqlConnection connection, UUID jobId, UUID[] people, String[] causes,
                                     UUID[] joinedBy, UUID[] joinedProgram) {
    return connection.preparedQuery("INSERT INTO training_assignment (id, person_id, requirement_id, document_id, "
            + "version_id, cycle, method, due_at, cause, job_id) "
            + "SELECT uuid_v7(), t.person_id, t.requirement_id, t.document_id, t.version_id, "
            + "1 + coalesce((SELECT max(x.cycle) FROM training_assignment x WHERE x.person_id = t.person_id "
            + "AND x.requirement_id = t.requirement_id AND x.version_id = t.version_id), 0), "
            + "t.method, now() + make_interval(days => t.due_days), t.cause, $3 FROM ("
            + "SELECT DISTINCT ON (p.id, r.id) p.id AS person_id, r.id AS requirement_id, r.document_id, v.id AS version_id, "
            + "r.method, r.due_days, CASE WHEN w.cause <> 'role-gained' THEN w.cause WHEN r.program_id IS NOT NULL "
            + "AND EXISTS (SELECT 1 FROM unnest($4::uuid[], $5::uuid[]) AS j (person_id, program_id) "
            + "WHERE j.person_id = p.id AND j.program_id = r.program_id) THEN 'program-joined' ELSE 'role-gained' END AS cause "
            + "FROM unnest($1::uuid[], $2::text[]) AS w (person_id, cause) "
            + "JOIN person p ON p.id = w.person_id AND p.status = 'active' "
            + "JOIN person_job_role h ON h.person_id = p.id AND " + CURRENT_HOLDING + " "
            + "JOIN training_requirement r ON r.job_role_id = h.job_role_id AND r.active "
            + "AND (r.site_id IS NULL OR p.site_id = r.site_id) "
            + "JOIN document_version v ON v.document_id = r.document_id AND v.state = 'effective' "
            + "WHERE " + inProgram(" AND m.person_id = ANY($1)") + " "
            + "AND NOT EXISTS (SELECT 1 FROM training_assignment x WHERE x.person_id = p.id AND x.requirement_id = r.id "
            + "AND x.version_id = v.id AND x.status IN ('open', 'completed', 'superseded'))) t "
            + "ON CONFLICT (person_id, requirement_id, version_id, cycle) DO NOTHING")
        .execute(Tuple.tuple().addArrayOfUUID(people).addArrayOfString(causes).addUUID(jobId).addArrayOfUUID(joinedBy)
            .addArrayOfUUID(joinedProgram))
        .map(rows -> (long) rows.rowCount());
  }

  /**
   * The next cycle after completed assignment {@code completedId}: the document's effective version, due when the
   * qualification expires (completion + the requirement's interval); null when none is due (see RecertificationJob).
   */
  public Future<io.vertx.core.json.JsonObject> recertify(SqlConnection connection, UUID jobId, UUID completedId) {
    return connection.preparedQuery("INSERT INTO training_assignment (id, person_id, requirement_id, document_id, "
            + "version_id, cycle, method, due_at, cause, job_id) "
            + "SELECT uuid_v7(), a.person_id, a.requirement_id, a.document_id, v.id, a.cycle + 1, r.method, "
            + "a.completed_at + make_interval(months => r.recertify_months), 'recertification', $2 "
            + "FROM training_assignment a JOIN training_requirement r ON r.id = a.requirement_id AND r.active "
            + "AND r.recertify_months IS NOT NULL "
            + "JOIN person p ON p.id = a.person_id AND p.status = 'active' "
            + "JOIN document_version v ON v.document_id = a.document_id AND v.state = 'effective' "
            + "WHERE a.id = $1 AND a.status = 'completed' "
            + "AND EXISTS (SELECT 1 FROM person_job_role h WHERE h.person_id = a.person_id AND h.job_role_id = r.job_role_id "
            + "AND " + CURRENT_HOLDING + ") AND " + IN_PROGRAM + " "
            + "AND NOT EXISTS (SELECT 1 FROM training_assignment x WHERE x.person_id = a.person_id "
            + "AND x.requirement_id = a.requirement_id AND x.cycle > a.cycle) "
            + "ON CONFLICT (person_id, requirement_id, version_id, cycle) DO NOTHING "
            + "RETURNING id, person_id, version_id, cycle, due_at")
        .execute(Tuple.of(completedId, jobId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new io.vertx.core.json.JsonObject().put("id", row.getUUID("id").toString())
              .put("personId", row.getUUID("person_id").toString()).put("versionId", row.getUUID("version_id").toString())
              .put("cycle", row.getInteger("cycle")).put("dueAt", row.getOffsetDateTime("due_at").toInstant().toString());
        });
  }

  /** When a completed assignment's recertification timer fires: one due window before expiry; null: no interval. */
  public Future<OffsetDateTime> recertificationTimer(SqlConnection connection, UUID assignmentId) {
    return connection.preparedQuery("SELECT a.completed_at + make_interval(months => r.recertify_months) "
            + "- make_interval(days => r.due_days) AS fires FROM training_assignment a JOIN training_requirement r "
            + "ON r.id = a.requirement_id WHERE a.id = $1 AND a.status = 'completed' AND r.recertify_months IS NOT NULL")
        .execute(Tuple.of(assignmentId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getOffsetDateTime("fires"));
  }

  private static Future<Long> update(SqlConnection connection, String sql, UUID[] people) {
    return connection.preparedQuery(sql).execute(Tuple.tuple().addArrayOfUUID(people)).map(rows -> (long) rows.rowCount());
  }
}
