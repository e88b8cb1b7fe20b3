package io.traceline.platform.http;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Where a request came from, as the audit trail records it: the OAuth client the caller used, the peer
 * address of the connection, the {@code X-Forwarded-For} header as received (untrusted, kept as evidence),
 * and the request's trace id.
 */
public record RequestOrigin(String clientId, String ip, String forwardedFor, String traceId) {

  public static final RequestOrigin NONE = new RequestOrigin(null, null, null, null);

  public static RequestOrigin of(RoutingContext rc) {
    Caller caller = rc.get(Caller.KEY);
    SocketAddress peer = rc.request().remoteAddress();
    String forwarded = rc.request().getHeader("X-Forwarded-For");
    return new RequestOrigin(caller == null ? null : caller.clientId(), peer == null ? null : peer.hostAddress(),
        forwarded == null ? null : truncate(forwarded.strip(), 500), RequestTracing.traceId(rc));
  }

  private static String truncate(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max);
  }
}
