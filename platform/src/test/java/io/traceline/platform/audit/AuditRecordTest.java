package io.traceline.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;

import io.traceline.platform.integrity.CanonicalJson;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An audit event's hash covers everything it says and the hash before it (P11-2)")
class AuditRecordTest {

  private static final OffsetDateTime AT = OffsetDateTime.parse("2026-11-22T10:15:30.123456Z");

  private static AuditRecord record(AuditEvent event, String prevHash) {
    AuditRecord unhashed = new AuditRecord(7, AT, event, prevHash, null);
    return new AuditRecord(7, AT, event, prevHash, unhashed.computeHash());
  }

  @Test
  @DisplayName("the link is SHA-256 over exactly the string the database builds: {contentHash, occurredAt, prevHash, seq} in canonical order")
  void linkMatchesTheDatabasesForm() {
    AuditRecord record = record(event(), CanonicalJson.GENESIS);
    String databaseForm = "{\"contentHash\":\"" + record.contentHash() + "\",\"occurredAt\":\"2026-11-22T10:15:30.123456Z\","
        + "\"prevHash\":\"" + CanonicalJson.GENESIS + "\",\"seq\":7}";

    assertThat(record.hash()).isEqualTo(CanonicalJson.sha256Hex(databaseForm));
  }

  private static AuditEvent event() {
    return AuditEvent.of(new AuditEvent.Actor("u-1", "Ada Admin"), new AuditEvent.Source("traceline-portal", "10.0.0.1",
            null, "4bf92f3577b34da6a3ce929d0e0e4736"), "role.granted", "role-grant", "g-1")
        .withValues(null, new JsonObject().put("role", "auditor")).withReason("Internal audit 2026");
  }

  @Test
  @DisplayName("the content hash covers what the API shows of the event; the hash links it to its time, place and predecessor")
  void hashesAreOverThePublishedForm() {
    AuditRecord record = record(event(), CanonicalJson.GENESIS);
    JsonObject published = record.toJson();
    JsonObject link = new JsonObject();
    for (String member : new String[] {"seq", "occurredAt", "contentHash", "prevHash"}) {
      link.put(member, published.remove(member));
    }
    String hash = (String) published.remove("hash");

    assertThat(link.getString("contentHash")).isEqualTo(CanonicalJson.hash(published));
    assertThat(hash).isEqualTo(CanonicalJson.hash(link)).matches("[0-9a-f]{64}");
    assertThat(link.getString("occurredAt")).isEqualTo("2026-11-22T10:15:30.123456Z");
  }

  @Test
  @DisplayName("changing any part (reason, value, actor, time, previous hash) changes the hash")
  void everyPartCounts() {
    String original = record(event(), CanonicalJson.GENESIS).hash();

    assertThat(record(event().withReason("Internal audit 2027"), CanonicalJson.GENESIS).hash()).isNotEqualTo(original);
    assertThat(record(event().withValues(null, new JsonObject().put("role", "approver")), CanonicalJson.GENESIS).hash())
        .isNotEqualTo(original);
    assertThat(record(new AuditEvent(new AuditEvent.Actor("u-2", "Ada Admin"), "role.granted", "role-grant", "g-1", null,
        null, new JsonObject().put("role", "auditor"), "Internal audit 2026", event().source()), CanonicalJson.GENESIS).hash())
        .isNotEqualTo(original);
    assertThat(new AuditRecord(7, AT.plusNanos(1000), event(), CanonicalJson.GENESIS, null).computeHash())
        .isNotEqualTo(original);
    assertThat(record(event(), "1".repeat(64)).hash()).isNotEqualTo(original);
  }

  @Test
  @DisplayName("CSV cells are quoted per RFC 4180 and never start a spreadsheet formula")
  void csvCells() {
    assertThat(AuditCsv.cell("plain")).isEqualTo("plain");
    assertThat(AuditCsv.cell("a, \"quoted\" reason")).isEqualTo("\"a, \"\"quoted\"\" reason\"");
    assertThat(AuditCsv.cell("line\nbreak")).isEqualTo("\"line\nbreak\"");
    assertThat(AuditCsv.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
    assertThat(AuditCsv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(AuditCsv.cell(null)).isEmpty();
    assertThat(AuditCsv.row(record(event(), CanonicalJson.GENESIS))).startsWith("7,2026-11-22T10:15:30.123456Z,u-1,Ada Admin,")
        .endsWith("\r\n");
  }
}
