package io.traceline.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Admits platform operators (realm role {@code platform-operator}) to the operator API. */
public final class OperatorGate implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext rc) {
    if (BearerAuthentication.caller(rc).isPlatformOperator()) {
      rc.next();
    } else {
      rc.fail(ProblemException.forbidden("The operator API needs the realm role " + Caller.PLATFORM_OPERATOR));
    }
  }
}
