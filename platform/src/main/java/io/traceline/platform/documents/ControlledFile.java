package io.traceline.platform.documents;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.traceline.platform.http.Problem;
import io.traceline.platform.integrity.CanonicalJson;
import io.traceline.platform.http.ProblemException;
import io.vertx.core.buffer.Buffer;

/**
 * A controlled file as uploaded (DOC-5): its name, media type, bytes and SHA-256. Only formats a controlled document
 * is issued in are accepted, and the bytes must be what the declared type says (a renamed executable is not a PDF).
 */
public record ControlledFile(String fileName, String mediaType, Buffer bytes, String sha256) {

  private static final byte[] PDF = "%PDF-".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ZIP = {'P', 'K', 3, 4};

  /** The accepted media types and the leading bytes each must start with (null: UTF-8 text). */
  static final Map<String, byte[]> ACCEPTED = Map.of(
      "application/pdf", PDF,
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP,
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP,
      "application/vnd.oasis.opendocument.text", ZIP,
      "text/plain", new byte[0],
      "text/markdown", new byte[0]);

  /** Checks an uploaded part and computes its hash; a 415 or 422 problem when it is not an acceptable controlled file. */
  public static ControlledFile inspect(String fileName, String declaredType, Buffer bytes) {
    String mediaType = declaredType == null ? "" : declaredType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    if (!ACCEPTED.containsKey(mediaType)) {
      throw new ProblemException(Problem.of(415, "unsupported-media-type", "File type not accepted",
          "A controlled file is one of " + ACCEPTED.keySet().stream().sorted().toList() + "; the part's Content-Type was '"
              + (declaredType == null ? "" : declaredType) + "'")
          .withErrors(List.of(new Problem.FieldError("file", "unsupported media type"))));
    }
    String name = fileName == null ? "" : fileName.replace('\\', '/');
    name = name.substring(name.lastIndexOf('/') + 1).strip();
    if (name.isEmpty() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
      throw ProblemException.unprocessable("The file needs a name of 1 to 200 printable characters",
          List.of(new Problem.FieldError("file", "filename is missing or invalid")));
    }
    if (bytes.length() == 0) {
      throw ProblemException.unprocessable("The file is empty", List.of(new Problem.FieldError("file", "empty")));
    }
    byte[] content = bytes.getBytes();
    if (!matches(mediaType, content)) {
      throw ProblemException.unprocessable("The file's content is not " + mediaType + " as its Content-Type says",
          List.of(new Problem.FieldError("file", "content does not match " + mediaType)));
    }
    return new ControlledFile(name, mediaType, bytes, sha256(content));
  }

  private static boolean matches(String mediaType, byte[] content) {
    byte[] magic = ACCEPTED.get(mediaType);
    if (mediaType.startsWith("text/")) {
      return isUtf8Text(content);
    }
    if (content.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (content[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUtf8Text(byte[] content) {
    for (byte b : content) {
      if (b == 0) {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  static String sha256(byte[] content) {
    return CanonicalJson.sha256Hex(content);
  }
}
