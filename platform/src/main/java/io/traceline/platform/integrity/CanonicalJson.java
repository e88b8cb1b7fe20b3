package io.traceline.platform.integrity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

import io.vertx.core.json.Json;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The one form Traceline hashes: RFC 8785 canonical JSON (JCS: members sorted by UTF-16 code units, no
 * whitespace, ECMAScript number and string serialization) hashed with SHA-256, written as 64 lower-case hex
 * digits. Record versions, audit events and signatures are all hashed this way, so anyone holding an
 * export can recompute every hash with any JCS implementation (11.10(a), 11.10(b)).
 */
public final class CanonicalJson {

  /** The {@code prevHash} of the first event of a chain. */
  public static final String GENESIS = "0".repeat(64);

  /** Timestamps inside hashed JSON: UTC, always six fraction digits (PostgreSQL keeps microseconds). */
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

  private CanonicalJson() {
  }

  /** The canonical form of a JSON value (a JsonObject, JsonArray, String, Number, Boolean or null). */
  public static String of(Object json) {
    try {
      return new JsonCanonicalizer(Json.encode(json)).getEncodedString();
    } catch (IOException e) {
      throw new IllegalArgumentException("Not canonicalizable JSON: " + e.getMessage(), e);
    }
  }

  /** SHA-256 of the canonical form, in hex. */
  public static String hash(Object json) {
    return sha256Hex(of(json));
  }

  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** SHA-256 of bytes (a controlled file), in lowercase hex. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A database timestamp as it appears in hashed JSON and in the API: {@code 2026-11-22T10:15:30.123456Z}. */
  public static String timestamp(OffsetDateTime time) {
    return time == null ? null : TIMESTAMP.format(time.withOffsetSameInstant(ZoneOffset.UTC));
  }
}
