package io.traceline.platform.documents;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Receives a version's controlled file as {@code multipart/form-data} with one part named {@code file} (DOC-5).
 *
 * <p>The body is not read by the API's body handler (whose limit fits JSON): {@link #holdBody} pauses the request
 * before the authentication and tenant gates run, and this handler streams the part through Vert.x's multipart
 * decoder, keeping at most the configured maximum in memory. A larger file is drained and answered with 413, so the
 * client sees the problem rather than a reset connection.
 */
public final class DocumentUploadHandler implements Handler<RoutingContext> {

  /** The upload's path in the main router (the contract's path under its server URL). */
  public static final String PATH = "/api/v1/t/:tenant/documents/:documentId/versions/:versionId/content";
  /** Marks a request whose body this handler streams, so the API's body handler leaves it alone. */
  public static final String STREAMED_BODY = "traceline.streamedBody";

  private final DocumentContentService service;
  private final long maxBytes;

  public DocumentUploadHandler(DocumentContentService service, long maxBytes) {
    this.service = service;
    this.maxBytes = maxBytes;
  }

  /** Runs first on the upload's route: keeps the body unread until {@link #handle} streams it. */
  public static void holdBody(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    request.pause();
    rc.put(STREAMED_BODY, Boolean.TRUE);
    // Answered before the body was read (a gate refused, a wrong media type): the unread body must not be taken for
    // the next request on this connection, so the connection closes after the answer.
    rc.addHeadersEndHandler(v -> {
      if (!request.isEnded()) {
        rc.response().putHeader(HttpHeaders.CONNECTION, "close");
        request.resume();
      }
    });
    rc.next();
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      refuse(rc, new ProblemException(Problem.of(415, "unsupported-media-type", "Send the file as multipart/form-data",
          "Upload the controlled file as multipart/form-data with one part named 'file' (with a filename and its "
              + "Content-Type)")));
      return;
    }
    UUID documentId;
    UUID versionId;
    try {
      documentId = UUID.fromString(rc.pathParam("documentId"));
      versionId = UUID.fromString(rc.pathParam("versionId"));
    } catch (IllegalArgumentException e) {
      refuse(rc, ProblemException.badRequest("The document and version ids are UUIDs",
          List.of(new Problem.FieldError("documentId", "a UUID"), new Problem.FieldError("versionId", "a UUID"))));
      return;
    }
    Upload upload = new Upload();
    request.setExpectMultipart(true);
    request.uploadHandler(part -> {
      if (!"file".equals(part.name()) || upload.fileName != null) {
        upload.unexpectedPart = part.name();
        part.handler(ignored -> { });
        return;
      }
      upload.fileName = part.filename();
      upload.mediaType = part.contentType();
      part.handler(chunk -> {
        if (upload.tooLarge || upload.bytes.length() + chunk.length() > maxBytes) {
          upload.tooLarge = true;
          upload.bytes = Buffer.buffer(0);
        } else {
          upload.bytes.appendBuffer(chunk);
        }
      });
    });
    request.exceptionHandler(failure -> {
      if (!rc.response().ended()) {
        rc.fail(failure);
      }
    });
    request.endHandler(ended -> {
      if (upload.tooLarge) {
        rc.fail(new ProblemException(Problem.of(413, "payload-too-large", "File too large",
            "A controlled file has at most " + maxBytes + " bytes")));
      } else if (upload.unexpectedPart != null || upload.fileName == null) {
        rc.fail(ProblemException.badRequest("Send exactly one part, named 'file', with the controlled file",
            List.of(new Problem.FieldError("file", upload.fileName == null ? "missing" : "unexpected part '"
                + upload.unexpectedPart + "'"))));
      } else {
        try {
          ControlledFile file = ControlledFile.inspect(upload.fileName, upload.mediaType, upload.bytes);
          service.upload(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), documentId,
                  versionId, file)
              .onSuccess(version -> Responses.json(rc, 200, version))
              .onFailure(rc::fail);
        } catch (ProblemException problem) {
          rc.fail(problem);
        }
      }
    });
    request.resume();
  }

  /** Answers before reading the body (see {@link #holdBody} for the connection). */
  private static void refuse(RoutingContext rc, ProblemException problem) {
    rc.fail(problem);
  }

  private static final class Upload {
    private String fileName;
    private String mediaType;
    private Buffer bytes = Buffer.buffer();
    private boolean tooLarge;
    private String unexpectedPart;
  }
}
