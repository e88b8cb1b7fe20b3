package io.traceline.platform.signatures.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.signatures.Signature;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of signatures and their meanings; runs on the caller's connection, inside the tenant's schema. */
public final class SignatureRepository {

  private static final String COLUMNS = "id, record_type, record_id, record_version, record_hash, meaning, signer_id, "
      + "signer_username, signer_name, signed_at, auth_method, signature_hash";

  /**
   * A configured meaning: its description, the roles that may sign with it (null: any member), and the endpoint
   * through which such signatures are made when they are a step of a feature's workflow (null: the generic one).
   */
  public record Meaning(String recordType, String meaning, String description, List<String> roles,
                        String signedThrough) {
    public JsonObject toJson() {
      return new JsonObject().put("recordType", recordType).put("meaning", meaning).put("description", description)
          .put("roles", roles == null ? null : new JsonArray(roles)).put("signedThrough", signedThrough);
    }
  }

  public Future<List<Meaning>> meanings(SqlConnection connection, String recordType) {
    return connection.preparedQuery("SELECT record_type, meaning, description, roles, signed_through FROM signature_meaning "
            + "WHERE $1::text IS NULL OR record_type = $1 ORDER BY record_type, meaning")
        .execute(Tuple.of(recordType))
        .map(rows -> {
          List<Meaning> meanings = new ArrayList<>();
          rows.forEach(row -> {
            String[] roles = row.getArrayOfStrings("roles");
            meanings.add(new Meaning(row.getString("record_type"), row.getString("meaning"), row.getString("description"),
                roles == null ? null : List.of(roles), row.getString("signed_through")));
          });
          return meanings;
        });
  }

  public Future<OffsetDateTime> databaseTime(SqlConnection connection) {
    return connection.query("SELECT clock_timestamp() AS now").execute()
        .map(rows -> rows.iterator().next().getOffsetDateTime("now"));
  }

  public Future<Void> insert(SqlConnection connection, Signature signature, String idempotencyKey, String requestHash) {
    return connection.preparedQuery("INSERT INTO signature (" + COLUMNS + ", idempotency_key, request_hash) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
        .execute(Tuple.tuple().addUUID(signature.id()).addString(signature.recordType()).addString(signature.recordId())
            .addInteger(signature.recordVersion()).addString(signature.recordHash()).addString(signature.meaning())
            .addString(signature.signerId()).addString(signature.signerUsername()).addString(signature.signerName())
            .addOffsetDateTime(signature.signedAt()).addString(signature.method()).addString(signature.signatureHash())
            .addString(idempotencyKey).addString(requestHash))
        .mapEmpty();
  }

  /** The signature a signer made with this idempotency key, with the hash of the request that made it. */
  public record Keyed(Signature signature, String requestHash) {
  }

  public Future<Keyed> findByKey(SqlConnection connection, String signerId, String idempotencyKey) {
    return connection.preparedQuery("SELECT " + COLUMNS + ", request_hash FROM signature "
            + "WHERE signer_id = $1 AND idempotency_key = $2")
        .execute(Tuple.of(signerId, idempotencyKey))
        .map(rows -> rows.size() == 0 ? null
            : new Keyed(toSignature(rows.iterator().next()), rows.iterator().next().getString("request_hash")));
  }

  public Future<Signature> find(SqlConnection connection, UUID id) {
    return connection.preparedQuery("SELECT " + COLUMNS + " FROM signature WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toSignature(rows.iterator().next()));
  }

  /** Signatures of a record (one version, or all when {@code version} is null), oldest first. */
  public Future<List<Signature>> ofRecord(SqlConnection connection, String recordType, String recordId, Integer version) {
    return connection.preparedQuery("SELECT " + COLUMNS + " FROM signature WHERE record_type = $1 AND record_id = $2 "
            + "AND ($3::integer IS NULL OR record_version = $3) ORDER BY signed_at, id")
        .execute(Tuple.of(recordType, recordId, version))
        .map(SignatureRepository::toSignatures);
  }

  public Future<Boolean> exists(SqlConnection connection, String recordType, String recordId, int version,
                                String signerId, String meaning) {
    return connection.preparedQuery("SELECT 1 FROM signature WHERE record_type = $1 AND record_id = $2 "
            + "AND record_version = $3 AND signer_id = $4 AND meaning = $5")
        .execute(Tuple.of(recordType, recordId, version, signerId, meaning))
        .map(rows -> rows.size() > 0);
  }

  /** Whether the signer has signed any version of the record with the meaning, and when last. */
  public Future<OffsetDateTime> lastSigned(SqlConnection connection, String recordType, String recordId,
                                           String signerId, String meaning) {
    return connection.preparedQuery("SELECT max(signed_at) AS at FROM signature WHERE record_type = $1 "
            + "AND record_id = $2 AND signer_id = $3 AND meaning = $4")
        .execute(Tuple.of(recordType, recordId, signerId, meaning))
        .map(rows -> rows.iterator().next().getOffsetDateTime("at"));
  }

  /** Signatures after {@code after} in id order, each with the current hash of the record version it names. */
  public Future<List<Object[]>> verificationPage(SqlConnection connection, UUID after, int limit) {
    return connection.preparedQuery("SELECT s." + COLUMNS.replace(", ", ", s.") + ", rv.content_hash AS version_hash "
            + "FROM signature s LEFT JOIN record_version rv ON rv.record_type = s.record_type "
            + "AND rv.record_id = s.record_id AND rv.version = s.record_version "
            + "WHERE $1::uuid IS NULL OR s.id > $1 ORDER BY s.id LIMIT $2")
        .execute(Tuple.of(after, limit))
        .map(rows -> {
          List<Object[]> page = new ArrayList<>(rows.size());
          rows.forEach(row -> page.add(new Object[] {toSignature(row), row.getString("version_hash")}));
          return page;
        });
  }

  private static List<Signature> toSignatures(RowSet<Row> rows) {
    List<Signature> signatures = new ArrayList<>(rows.size());
    rows.forEach(row -> signatures.add(toSignature(row)));
    return signatures;
  }

  private static Signature toSignature(Row row) {
    return new Signature(row.getUUID("id"), row.getString("record_type"), row.getString("record_id"),
        row.getInteger("record_version"), row.getString("record_hash"), row.getString("meaning"),
        row.getString("signer_id"), row.getString("signer_username"), row.getString("signer_name"),
        row.getOffsetDateTime("signed_at"), row.getString("auth_method"), row.getString("signature_hash"));
  }
}
