package io.traceline.platform.http;

import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI contract: served to clients as written, and used by the router to validate requests.
 *
 * <p>vertx-openapi 5.0 refuses a contract whose responses use {@code application/problem+json}
 * or {@code text/csv} (it only knows a fixed list of media types, and only validates requests here anyway).
 * The copy given to the router therefore names error bodies {@code application/json} and CSV exports
 * {@code text/plain}; clients read the true document. The router gets it wrapped in a {@link ValidatorCachingContract},
 * which builds each schema's validator once instead of once per request.
 */
public final class ApiContract {

  public static final String RESOURCE = "openapi/traceline.yaml";

  private ApiContract() {
  }

  public static Future<OpenAPIContract> load(Vertx vertx) {
    return vertx.fileSystem().readFile(RESOURCE)
        .map(buffer -> new JsonObject(parse(buffer.toString())))
        .map(ApiContract::forValidation)
        .compose(contract -> OpenAPIContract.from(vertx, contract))
        .map(ValidatorCachingContract::new);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String yaml) {
    return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
  }

  static JsonObject forValidation(JsonObject contract) {
    JsonObject copy = contract.copy();
    copy.getJsonObject("paths", new JsonObject()).forEach(path -> ((JsonObject) path.getValue()).forEach(operation -> {
      if (operation.getValue() instanceof JsonObject op && op.containsKey("responses")) {
        op.getJsonObject("responses").forEach(response -> renameProblemMediaType((JsonObject) response.getValue()));
      }
    }));
    JsonObject components = copy.getJsonObject("components", new JsonObject());
    components.getJsonObject("responses", new JsonObject())
        .forEach(response -> renameProblemMediaType((JsonObject) response.getValue()));
    return copy;
  }

  private static void renameProblemMediaType(JsonObject response) {
    JsonObject content = response.getJsonObject("content");
    if (content != null && content.containsKey(Problem.CONTENT_TYPE)) {
      content.put("application/json", content.remove(Problem.CONTENT_TYPE));
    }
    // Likewise for exports (the audit trail as CSV): responses are not validated, the media type is only named.
    if (content != null && content.containsKey("text/csv")) {
      content.put("text/plain", content.remove("text/csv"));
    }
  }
}
