package io.traceline.platform.http;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request a trace id (the W3C {@code traceparent} trace id when the caller sent one), echoes
 * it in {@code X-Trace-Id}, and writes one access-log line per request with the trace id and tenant in
 * the log's structured fields. Problems carry the same id, so a user's error report finds its log line.
 */
public final class RequestTracing implements Handler<RoutingContext> {

  public static final String TRACE_ID = "traceline.traceId";
  public static final String TRACE_HEADER = "X-Trace-Id";
  private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");
  private static final Logger ACCESS = LoggerFactory.getLogger("traceline.access");
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public void handle(RoutingContext rc) {
    String traceId = incomingTraceId(rc.request().getHeader("traceparent"));
    rc.put(TRACE_ID, traceId);
    rc.response().putHeader(TRACE_HEADER, traceId);
    long started = System.nanoTime();
    rc.addEndHandler(ignored -> logAccess(rc, traceId, started));
    rc.next();
  }

  private static void logAccess(RoutingContext rc, String traceId, long started) {
    if (rc.request().path().startsWith("/health") || "/metrics".equals(rc.request().path())) {
      return; // probes and scrapes every few seconds would drown the log
    }
    try (MdcScope ignored = MdcScope.of(rc)) {
      ACCESS.info("{} {} {} {} ms", rc.request().method(), rc.request().path(), rc.response().getStatusCode(),
          (System.nanoTime() - started) / 1_000_000);
    }
  }

  static String incomingTraceId(String traceparent) {
    if (traceparent != null) {
      var matcher = TRACEPARENT.matcher(traceparent.trim());
      if (matcher.matches() && !matcher.group(1).equals("0".repeat(32))) {
        return matcher.group(1);
      }
    }
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  public static String traceId(RoutingContext rc) {
    String traceId = rc.get(TRACE_ID);
    return traceId == null ? "" : traceId;
  }

  /**
   * Puts the request's trace id, tenant and user into the logging MDC for the duration of one log call.
   * Event loops interleave requests, so the MDC is set and cleared around each statement, never left.
   */
  public static final class MdcScope implements AutoCloseable {

    static MdcScope of(RoutingContext rc) {
      MDC.put("traceId", traceId(rc));
      TenantContext tenant = rc.get(TenantContext.KEY);
      if (tenant != null) {
        MDC.put("tenant", tenant.slug());
      }
      Caller caller = rc.get(Caller.KEY);
      if (caller != null) {
        MDC.put("user", caller.subject());
      }
      return new MdcScope();
    }

    @Override
    public void close() {
      MDC.remove("traceId");
      MDC.remove("tenant");
      MDC.remove("user");
    }
  }
}
