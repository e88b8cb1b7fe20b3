package io.traceline.platform.training.file;

import java.util.UUID;
import java.util.function.Function;

import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * HTTP for training files and certificates. A training file answers JSON, or PDF when the request accepts
 * {@code application/pdf} (and not JSON before it); a certificate is a PDF. PDFs render on worker threads.
 */
public final class TrainingFileHandlers {

  private static final String PDF = "application/pdf";

  private final TrainingFileService files;
  private final WorkerExecutor workers;

  public TrainingFileHandlers(TrainingFileService files, WorkerExecutor workers) {
    this.files = files;
    this.workers = workers;
  }

  public void personFile(RoutingContext rc) {
    UUID personId = UUID.fromString(ApiRequest.of(rc).path("personId"));
    respond(rc, files.ofPerson(TenantGate.tenant(rc), BearerAuthentication.caller(rc), personId));
  }

  public void myFile(RoutingContext rc) {
    respond(rc, files.mine(TenantGate.tenant(rc), BearerAuthentication.caller(rc)));
  }

  public void certificate(RoutingContext rc) {
    UUID completionId = UUID.fromString(ApiRequest.of(rc).path("completionId"));
    files.certificate(TenantGate.tenant(rc), BearerAuthentication.caller(rc), completionId)
        .compose(certificate -> render(certificate, TrainingFilePdf::certificate))
        .onSuccess(pdf -> sendPdf(rc, pdf, "certificate-" + completionId + ".pdf"))
        .onFailure(rc::fail);
  }

  private void respond(RoutingContext rc, Future<JsonObject> file) {
    if (!wantsPdf(rc.request().getHeader(HttpHeaders.ACCEPT))) {
      Responses.ok(rc, file);
      return;
    }
    file.compose(json -> render(json, TrainingFilePdf::trainingFile).map(pdf -> new Object[] {json, pdf}))
        .onSuccess(done -> sendPdf(rc, (byte[]) done[1], "training-file-"
            + ((JsonObject) done[0]).getJsonObject("person").getString("employeeNumber") + ".pdf"))
        .onFailure(rc::fail);
  }

  private Future<byte[]> render(JsonObject json, Function<JsonObject, byte[]> renderer) {
    return workers.executeBlocking(() -> renderer.apply(json), false);
  }

  private static void sendPdf(RoutingContext rc, byte[] pdf, String filename) {
    rc.response().putHeader(HttpHeaders.CONTENT_TYPE, PDF)
        .putHeader("Content-Disposition", "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9._-]", "_") + "\"")
        .end(Buffer.buffer(pdf));
  }

  /** PDF when the client asks for it ahead of (or instead of) JSON. */
  static boolean wantsPdf(String accept) {
    if (accept == null) {
      return false;
    }
    int pdf = accept.indexOf(PDF);
    int json = accept.indexOf("application/json");
    return pdf >= 0 && (json < 0 || pdf < json);
  }
}
