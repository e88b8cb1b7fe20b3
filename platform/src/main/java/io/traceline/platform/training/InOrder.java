package io.traceline.platform.training;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.vertx.core.Future;

/**
 * Runs one asynchronous step per item, each after the previous one finished: statements on one connection (one
 * transaction) cannot overlap, and the audit chain wants its events in a known order.
 */
public final class InOrder {

  private InOrder() {
  }

  /** The results of {@code step} for each item, in the items' order; the first failure stops the rest. */
  public static <T, R> Future<List<R>> each(List<T> items, Function<T, Future<R>> step) {
    List<R> results = new ArrayList<>(items.size());
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> step.apply(item).map(result -> {
        results.add(result);
        return null;
      }));
    }
    return chain.map(v -> results);
  }
}
