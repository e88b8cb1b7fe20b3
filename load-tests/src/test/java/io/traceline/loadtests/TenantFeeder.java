package io.traceline.loadtests;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Endless feeder over the prepared tenants, round robin: each record names a tenant, its admin's current
 * token, another tenant to probe the wall with, and whether this virtual user probes it (one in
 * {@value #WALL_PROBE_ONE_IN}, at random so that every tenant pair gets probed).
 *
 * <p>The tenants are only known after {@code before()} has run, so the simulation hands them in with
 * {@link #start(List)}; Gatling asks for the first record after that.
 */
final class TenantFeeder implements Iterator<Map<String, Object>> {

    static final int WALL_PROBE_ONE_IN = 10;

    private final AtomicLong next = new AtomicLong();
    private volatile List<PlatformSetup.TenantSession> tenants = List.of();

    void start(List<PlatformSetup.TenantSession> prepared) {
        this.tenants = List.copyOf(prepared);
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Map<String, Object> next() {
        List<PlatformSetup.TenantSession> all = tenants;
        if (all.isEmpty()) {
            throw new IllegalStateException("no tenants prepared: before() did not run or failed");
        }
        int count = all.size();
        int index = (int) (next.getAndIncrement() % count);
        PlatformSetup.TenantSession tenant = all.get(index);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // Any tenant but this one; with a single tenant there is no wall to probe.
        String other = count > 1 ? all.get((index + 1 + random.nextInt(count - 1)) % count).slug() : tenant.slug();
        boolean probeWall = count > 1 && random.nextInt(WALL_PROBE_ONE_IN) == 0;
        return Map.of(
                "slug", tenant.slug(),
                "token", tenant.admin().cachedAccessToken(),
                "otherSlug", other,
                "probeWall", probeWall);
    }
}
