package io.traceline.loadtests;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Renews the tenants' tokens on its own thread while the load runs, so a run may outlast the access
 * token lifetime (5 min by default) and Gatling's threads never wait on Keycloak. A failed renewal is
 * logged and retried on the next tick; the old token stays in use until it expires, and requests made
 * with an expired one fail (with 401) and show up in the report.
 */
final class TokenRefresher implements AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "traceline-token-refresher");
        thread.setDaemon(true);
        return thread;
    });

    TokenRefresher(List<PasswordGrant> grants) {
        scheduler.scheduleWithFixedDelay(() -> grants.forEach(TokenRefresher::renew), 5, 5, TimeUnit.SECONDS);
    }

    private static void renew(PasswordGrant grant) {
        try {
            grant.renewIfStale();
        } catch (RuntimeException e) {
            PlatformSetup.log("token renewal for " + grant + " failed, retrying: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
