package io.traceline.platform.documents;

import java.time.OffsetDateTime;

import io.vertx.core.json.JsonObject;

/**
 * What a submission freezes into the version's record version (type {@code document-version}): the document's
 * identity, the version's metadata, its file's SHA-256 and the route. Every signature of the route is bound to the
 * hash of exactly this, so neither the file nor the metadata can change under a signature.
 */
public final class DocumentSubmission {

  private DocumentSubmission() {
  }

  /**
   * @param document the document as the API shows it
   * @param version the version as the API shows it, with its {@code content}
   * @param route {@code {order, reviewers: [{id, name}], approvers: [{id, name}]}}
   */
  public static JsonObject freeze(JsonObject document, JsonObject version, JsonObject route,
                                  OffsetDateTime plannedEffectiveAt) {
    JsonObject content = version.getJsonObject("content");
    return new JsonObject()
        .put("document", new JsonObject().put("id", document.getString("id")).put("number", document.getString("number"))
            .put("title", document.getString("title")).put("type", document.getString("type"))
            .put("department", document.getString("department")).put("riskClass", document.getString("riskClass"))
            .put("program", document.getJsonObject("program") == null ? null : document.getJsonObject("program").copy()))
        .put("version", version.getString("version"))
        .put("revision", version.getString("revision"))
        .put("changeSummary", version.getString("changeSummary"))
        .put("trainingImpact", version.getString("trainingImpact"))
        .put("impactJustification", version.getString("impactJustification"))
        .put("content", new JsonObject().put("fileName", content.getString("fileName"))
            .put("mediaType", content.getString("mediaType")).put("size", content.getLong("size"))
            .put("sha256", content.getString("sha256")))
        .put("author", new JsonObject().put("id", version.getString("authorId")).put("name", version.getString("authorName")))
        .put("route", route)
        .put("plannedEffectiveAt", plannedEffectiveAt == null ? null : plannedEffectiveAt.toInstant().toString());
  }
}
