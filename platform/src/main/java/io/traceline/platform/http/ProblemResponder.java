package io.traceline.platform.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become RFC 9457 problems: routing errors (404, 405, 413, 415), contract
 * validation, authentication, domain rules, and database errors (SQLSTATEs are translated here and never
 * reach a body). Anything unexpected is a 500 with no internals in the body and its stack in the log,
 * under the same trace id.
 */
public final class ProblemResponder implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemResponder.class);

  private final OpenAPIContract contract;

  /** {@code contract} tells a 405 which methods the path does support. */
  public ProblemResponder(OpenAPIContract contract) {
    this.contract = contract;
  }

  @Override
  public void handle(RoutingContext rc) {
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    Problem problem = toProblem(rc);
    if (problem.status() >= 500) {
      try (RequestTracing.MdcScope ignored = RequestTracing.MdcScope.of(rc)) {
        LOG.error("{} {} failed with {}", rc.request().method(), rc.request().path(), problem.status(), rc.failure());
      }
    }
    if (problem.status() == 405) {
      rc.response().putHeader(HttpHeaders.ALLOW, allowedMethods(rc));
    }
    if (problem.status() == 503) {
      // Busy or contention: nothing was done and a retry soon is likely to succeed.
      rc.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
    }
    rc.response()
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(problem.toJson(rc.request().path(), RequestTracing.traceId(rc)).encode());
  }

  static Problem toProblem(RoutingContext rc) {
    Throwable failure = rc.failure();
    if (failure instanceof ProblemException problem) {
      return problem.problem();
    }
    if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException validation) {
      return fromValidation(validation);
    }
    if (failure instanceof ValidatorException validation) {
      return fromValidation(validation);
    }
    if (failure instanceof DecodeException) {
      return Problem.of(400, "malformed-json", "The body is not valid JSON", null);
    }
    if (failure instanceof PgException pg) {
      return fromDatabase(pg);
    }
    Problem overload = overload(failure);
    if (overload != null) {
      return overload;
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : rc.statusCode();
    if (failure != null && !(failure instanceof HttpException)) {
      status = 500;
    }
    return fromStatus(status, rc);
  }

  private static Problem fromStatus(int status, RoutingContext rc) {
    return switch (status) {
      case 400 -> Problem.of(400, "bad-request", "The request is not valid", null);
      case 401 -> Problem.of(401, "unauthorized", "Authentication required", null);
      case 403 -> Problem.of(403, "forbidden", "Not allowed", null);
      case 404 -> Problem.of(404, "not-found", "Not found", "Nothing answers at " + rc.request().path());
      case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed",
          rc.request().method() + " is not supported here");
      case 413 -> Problem.of(413, "payload-too-large", "The request body is too large", null);
      case 415 -> Problem.of(415, "unsupported-media-type", "Unsupported media type", "Send application/json");
      default -> status >= 400 && status < 500
          ? Problem.of(status, "client-error", "The request cannot be served", null)
          : Problem.of(500, "internal", "Internal error", "Report the trace id to the operators");
    };
  }

  private static Problem fromValidation(ValidatorException validation) {
    if (validation.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT && validation.getMessage().contains("body")) {
      return Problem.of(415, "unsupported-media-type", "Unsupported media type", "Send application/json");
    }
    if (validation.type() == ValidatorErrorType.ILLEGAL_VALUE && validation.getMessage().toLowerCase().contains("body")
        && !(validation instanceof SchemaValidationException)) {
      return Problem.of(400, "malformed-json", "The body is not valid JSON", null);
    }
    List<Problem.FieldError> errors = new ArrayList<>();
    if (validation instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      collectLeafErrors(schema.getOutputUnit(), errors);
    }
    return Problem.of(400, "validation", "The request does not match the API contract", validation.getMessage())
        .withErrors(mostSpecificPerField(errors));
  }

  /**
   * The schema validator reports each failing field several times: wrappers ("does not match schema",
   * "a subschema had errors"), and an additional-properties note even for declared fields. Keep the
   * specific messages of each field; drop a wrapper whose nested field explains it; a field with only an
   * additional-properties note is not allowed.
   */
  static List<Problem.FieldError> mostSpecificPerField(List<Problem.FieldError> errors) {
    Map<String, List<String>> byPointer = new LinkedHashMap<>();
    errors.forEach(error -> byPointer.computeIfAbsent(error.pointer(), pointer -> new ArrayList<>()).add(error.message()));
    List<Problem.FieldError> result = new ArrayList<>();
    byPointer.forEach((pointer, messages) -> {
      List<String> specific = messages.stream().filter(message -> !isWrapper(message)).distinct().toList();
      boolean explainedByChild = byPointer.keySet().stream().anyMatch(other -> other.startsWith(pointer + "/"));
      if (!specific.isEmpty()) {
        specific.forEach(message -> result.add(new Problem.FieldError(pointer, message)));
      } else if (explainedByChild) {
        return;
      } else if (messages.stream().anyMatch(message -> message.contains("additional properties"))) {
        result.add(new Problem.FieldError(pointer, "is not a property of this request"));
      } else {
        result.add(new Problem.FieldError(pointer, messages.get(0)));
      }
    });
    return result;
  }

  private static boolean isWrapper(String message) {
    return message.endsWith("does not match schema") || message.startsWith("A subschema had errors")
        || message.contains("additional properties");
  }

  private static void collectLeafErrors(OutputUnit unit, List<Problem.FieldError> into) {
    List<OutputUnit> nested = unit.getErrors();
    if (nested == null || nested.isEmpty()) {
      if (unit.getError() != null) {
        String pointer = unit.getInstanceLocation() == null || unit.getInstanceLocation().isEmpty()
            ? "/" : unit.getInstanceLocation().replaceFirst("^#", "");
        into.add(new Problem.FieldError(pointer.isEmpty() ? "/" : pointer, unit.getError()));
      }
      return;
    }
    nested.forEach(child -> collectLeafErrors(child, into));
  }

  /**
   * The platform at capacity: every database connection busy and the pool's wait queue full, or no connection within
   * the pool's timeout. Nothing was done; the client may retry shortly (503 with Retry-After), which is a different
   * thing to tell it than an internal error. Null for any other failure.
   */
  static Problem overload(Throwable failure) {
    boolean busy = failure instanceof io.vertx.core.http.ConnectionPoolTooBusyException
        // The SQL pool's timeout is a plain VertxException; its message is all that tells it apart.
        || (failure instanceof io.vertx.core.VertxException && "Timeout waiting for connection".equals(failure.getMessage()));
    return busy ? Problem.of(503, "busy", "Busy", "The service is at capacity; retry the request shortly") : null;
  }

  /** SQLSTATEs that a request can cause; anything else is the server's fault. */
  private static Problem fromDatabase(PgException pg) {
    String state = pg.getSqlState() == null ? "" : pg.getSqlState();
    return switch (state) {
      case "23505" -> Problem.of(409, "conflict", "Conflict with the current state", "The record already exists");
      case "23503" -> Problem.of(422, "unprocessable", "The request breaks a rule", "A referenced record does not exist");
      case "23514", "23502" -> Problem.of(422, "unprocessable", "The request breaks a rule", "A value breaks a rule of the record");
      case "40001", "40P01" -> Problem.of(503, "contention", "Busy", "Concurrent changes collided; retry the request");
      case "42501" -> Problem.of(409, "immutable", "The record cannot be changed this way", null);
      default -> state.startsWith("22")
          ? Problem.of(400, "bad-request", "The request is not valid", "A value is out of range or malformed")
          : Problem.of(500, "internal", "Internal error", "Report the trace id to the operators");
    };
  }

  private String allowedMethods(RoutingContext rc) {
    Path path = contract.findPath(rc.request().path());
    if (path == null) {
      return "GET"; // health, metrics and documents outside the API contract are read-only
    }
    return path.getOperations().stream().map(operation -> operation.getHttpMethod().name()).sorted()
        .collect(Collectors.joining(", "));
  }
}
