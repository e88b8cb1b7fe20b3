package io.traceline.platform.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.HexFormat;

import io.traceline.platform.records.RecordVersion;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Canonical JSON (RFC 8785) and SHA-256: the one form every record, event and signature is hashed in (11.10(a))")
class CanonicalJsonTest {

  @Test
  @DisplayName("numbers, strings and literals are serialized as RFC 8785 §3.2.2 shows")
  void rfc8785Values() {
    JsonObject input = new JsonObject("{\"numbers\":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"
        + "\"string\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\"literals\":[null,true,false]}");

    assertThat(CanonicalJson.of(input)).isEqualTo("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,"
        + "1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
  }

  @Test
  @DisplayName("members are sorted by their UTF-16 code units (RFC 8785 §3.2.3), whatever order they were built in")
  void rfc8785Sorting() {
    JsonObject input = new JsonObject("{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter "
        + "Dalet With Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
        + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}");

    assertThat(CanonicalJson.of(input)).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
        + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\","
        + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    assertThat(CanonicalJson.of(new JsonObject().put("b", 1).put("a", 2)))
        .isEqualTo(CanonicalJson.of(new JsonObject().put("a", 2).put("b", 1)));
  }

  @Test
  @DisplayName("a record version's hash is SHA-256 over the canonical {content, recordId, recordType, version}, as anyone can recompute")
  void recordVersionHash() throws Exception {
    JsonObject content = new JsonObject().put("timeZone", "Europe/Dublin").put("defaultTrainingWindowDays", 30);
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
        ("{\"content\":{\"defaultTrainingWindowDays\":30,\"timeZone\":\"Europe/Dublin\"},\"recordId\":\"tenant\","
            + "\"recordType\":\"tenant-settings\",\"version\":3}").getBytes(StandardCharsets.UTF_8)));

    assertThat(RecordVersion.hashOf("tenant-settings", "tenant", 3, content)).isEqualTo(expected);
    assertThat(RecordVersion.hashOf("tenant-settings", "tenant", 4, content)).as("another version, another hash")
        .isNotEqualTo(expected);
    assertThat(RecordVersion.hashOf("tenant-settings", "other", 3, content)).as("another record, another hash")
        .isNotEqualTo(expected);
  }

  @Test
  @DisplayName("timestamps in hashed JSON are UTC with exactly six fraction digits, whatever the offset they came with")
  void timestamps() {
    assertThat(CanonicalJson.timestamp(OffsetDateTime.parse("2026-11-22T11:15:30.1+01:00")))
        .isEqualTo("2026-11-22T10:15:30.100000Z");
    assertThat(CanonicalJson.timestamp(null)).isNull();
  }
}
