#!/usr/bin/env python3
"""What the least a version becoming effective can cost in a tenant a database session has not seen (issue 6).

One psql session walks through tenants in turn and, in each, inside a transaction it rolls back, does only what any
implementation of "this revision is effective, assign its training" must: read the version, lock it, update the
document, append one audit event, and run the fan-out's whole-tenant chunk statement (MatrixRepository.fanOutChunk,
whole, as of commit bf5f85c, cycle 7 so that its rows are new). No job bookkeeping, no outbox, no JVM. It prints the
median milliseconds a tenant, and the single-statement ceiling for 100,000 rows measured in the same session.

Read against the burst target: on C cores a burst of T tenants takes at least T x floor / C, so the floor bounds the
ratio a burst can reach; what the platform spends beyond it (job bookkeeping, the outbox, the CAPA check, the second
audit event, commits, its own CPU) is what an implementation can still cut.

    python3 load-tests/cold-tenant-floor.py --port 54339 --prefix t_ga_ --first 700 --last 799 \
        --ceiling-schema t_fanout_100k

Tenants are t_<prefix>NNN schemas of the fan-out benchmark (each with an effective version of a document mapped to the
role everyone holds). Pass --no-fk to run the same with foreign-key triggers off (session_replication_role = replica),
which shows what the checks cost, and --chunk-only to time the chunk statement alone (the version is still read and the
rest still done, untimed, so the chunk meets the same session state), and --passes 2 to walk the tenants twice in the
same session (the second pass: tenants whose catalog caches the session has built). Nothing is changed: every
transaction rolls back.
"""
import argparse
import re
import statistics
import subprocess
import uuid

HOLDING = "h.valid_from <= current_date AND (h.valid_to IS NULL OR h.valid_to > current_date)"
METHOD = ("CASE WHEN $6 = 'read-and-acknowledge' THEN 'read-and-acknowledge' "
          "WHEN $7 = 'minor' AND r.minor_revision = 'none' THEN NULL "
          "WHEN $7 = 'minor' AND r.minor_revision = 'read-and-acknowledge' THEN 'read-and-acknowledge' "
          "ELSE r.method END")
WHOLE_CHUNK = (
    "WITH v AS (SELECT id, major, minor FROM document_version WHERE id = $4 AND state = 'effective' FOR SHARE), "
    "older AS (SELECT o.id FROM document_version o, v WHERE o.document_id = $3 AND (o.major, o.minor) < (v.major, v.minor)), "
    "superseded AS (UPDATE training_assignment a SET status = 'superseded', closed_at = now(), close_reason = $10 "
    "WHERE $9::uuid IS NULL AND a.document_id = $3 AND a.version_id IN (SELECT id FROM older) AND a.status = 'open' "
    "RETURNING a.id), "
    "candidates AS (SELECT p.id AS person_id, r.id AS requirement_id, r.due_days, " + METHOD + " AS method, "
    "$8::text AS cause, 1 AS rank FROM training_requirement r "
    "JOIN person_job_role h ON h.job_role_id = r.job_role_id AND " + HOLDING + " "
    "JOIN person p ON p.id = h.person_id AND p.status = 'active' AND (r.site_id IS NULL OR p.site_id = r.site_id) "
    "WHERE r.document_id = $3 AND r.active AND ($9::uuid IS NULL OR r.id = $9) AND EXISTS (SELECT 1 FROM v WHERE $2::int = 0) "
    "AND (r.program_id IS NULL OR EXISTS (SELECT 1 FROM person_program m WHERE m.person_id = p.id "
    "AND m.program_id = r.program_id AND m.valid_from <= current_date AND (m.valid_to IS NULL OR m.valid_to > current_date))) "
    "UNION ALL SELECT a.person_id, a.requirement_id, r.due_days, " + METHOD + ", 'previously-trained', 2 "
    "FROM training_assignment a JOIN training_requirement r ON r.id = a.requirement_id "
    "JOIN person p ON p.id = a.person_id AND p.status = 'active' "
    "WHERE $9::uuid IS NULL AND a.document_id = $3 AND a.version_id IN (SELECT id FROM older) AND a.status = 'completed'), "
    "inserted AS (INSERT INTO training_assignment (id, person_id, requirement_id, document_id, version_id, cycle, method, "
    "due_at, cause, job_id) SELECT uuid_v7(), t.person_id, t.requirement_id, $3, $4, 7, t.method, "
    "$5::timestamptz + make_interval(days => t.due_days), t.cause, $1 FROM (SELECT DISTINCT ON (person_id, requirement_id) * "
    "FROM candidates WHERE method IS NOT NULL ORDER BY person_id, requirement_id, rank) t "
    "ON CONFLICT (person_id, requirement_id, version_id, cycle) DO NOTHING RETURNING 1) "
    "SELECT (SELECT count(*) FROM inserted) AS assigned, (SELECT count(*) FROM superseded) AS superseded")
LATEST = ("SELECT v.document_id AS doc, v.id AS ver FROM document_version v WHERE v.state = 'effective' "
          "ORDER BY v.effective_at DESC LIMIT 1 \\gset")


def script(args):
    lines = ["\\timing on", "\\set QUIET on"]
    for n in list(range(args.first, args.last + 1)) * args.passes:
        lines += ["SET search_path = %s%03d;" % (args.prefix, n), "BEGIN;"]
        if args.no_fk:
            lines.append("SET LOCAL session_replication_role = replica;")
        timed_before = [] if args.chunk_only else ["\\echo MARK"]
        lines += timed_before + [LATEST,
                  "SELECT 1 FROM document_version WHERE id = :'ver' FOR UPDATE;",
                  "UPDATE document SET updated_at = now() WHERE id = :'doc';",
                  "SELECT out_seq FROM audit_append('system', 'System', 'document-version.effective', 'document-version', "
                  ":'ver', NULL, NULL, '{\"state\": \"effective\"}', 'Effective date reached', NULL, NULL, NULL, NULL, "
                  "repeat('a', 64));"] + ([] if not args.chunk_only else ["\\echo MARK"]) + [
                  "PREPARE chunk(uuid, int, uuid, uuid, timestamptz, text, text, text, uuid, text) AS " + WHOLE_CHUNK + ";",
                  "EXECUTE chunk('%s', 0, :'doc', :'ver', now(), 'full-retraining', 'major', 'revision-effective', NULL, "
                  "'Superseded by version 9.0');" % uuid.uuid4(),
                  "\\echo END", "DEALLOCATE chunk;", "ROLLBACK;"]
    if args.ceiling_schema:
        lines += ["SET search_path = %s;" % args.ceiling_schema, LATEST, "BEGIN;", "\\set QUIET off", "\\echo CEILING",
                  "INSERT INTO training_assignment (id, person_id, requirement_id, document_id, version_id, cycle, method, "
                  "due_at, cause, job_id) SELECT uuid_v7(), t.person_id, t.requirement_id, :'doc', :'ver', 77, t.method, "
                  "now() + make_interval(days => t.due_days), 'revision-effective', gen_random_uuid() FROM ("
                  "SELECT DISTINCT ON (p.id, r.id) p.id AS person_id, r.id AS requirement_id, r.method, r.due_days "
                  "FROM training_requirement r JOIN person_job_role h ON h.job_role_id = r.job_role_id AND " + HOLDING + " "
                  "JOIN person p ON p.id = h.person_id AND p.status = 'active' AND (r.site_id IS NULL OR p.site_id = r.site_id) "
                  "WHERE r.document_id = :'doc' AND r.active ORDER BY p.id, r.id) t "
                  "ON CONFLICT (person_id, requirement_id, version_id, cycle) DO NOTHING;",
                  "\\echo END", "ROLLBACK;"]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", default="54329")
    parser.add_argument("--user", default="postgres")
    parser.add_argument("--db", default="traceline")
    parser.add_argument("--prefix", default="t_ga_")
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--last", type=int, default=100)
    parser.add_argument("--ceiling-schema", default=None)
    parser.add_argument("--no-fk", action="store_true")
    parser.add_argument("--chunk-only", action="store_true")
    parser.add_argument("--passes", type=int, default=1)
    args = parser.parse_args()
    out = subprocess.run(["psql", "-X", "-h", args.host, "-p", args.port, "-U", args.user, "-d", args.db, "-f", "-"],
                         input=script(args), capture_output=True, text=True).stdout
    tenants, ceiling, rows, current, section = [], None, 0, 0.0, None
    for line in out.splitlines():
        if line in ("MARK", "CEILING"):
            section, current = line, 0.0
        elif line == "END":
            if section == "MARK":
                tenants.append(current)
            else:
                ceiling = current
            section = None
        elif section == "CEILING" and (m := re.match(r"INSERT 0 (\d+)", line)):
            rows = int(m.group(1))
        elif section and (m := re.match(r"Time: ([\d.]+) ms", line)):
            current += float(m.group(1))
    if args.passes > 1:  # the same tenants again, in a session that has seen them: what a cold tenant costs more
        each = len(tenants) // args.passes
        print("by pass (median ms a tenant): " + ", ".join("%.2f" % statistics.median(
            tenants[k * each + (5 if k == 0 else 0):(k + 1) * each]) for k in range(args.passes)))
        tenants = tenants[:each]  # the lines below: the first pass, cold
    tenants = tenants[5:]  # the session's first tenants also load what every tenant shares
    print("cold tenants: %d, median %.2f ms, p10 %.2f, p90 %.2f%s" % (
        len(tenants), statistics.median(tenants), sorted(tenants)[len(tenants) // 10],
        sorted(tenants)[9 * len(tenants) // 10], (" (chunk statement only)" if args.chunk_only else "")
        + (" (foreign-key checks off)" if args.no_fk else "")))
    if ceiling:
        print("ceiling: %d rows by one statement in %.0f ms (%.2f ms per 100 rows)" % (rows, ceiling, ceiling * 100 / max(rows, 1)))


if __name__ == "__main__":
    main()
