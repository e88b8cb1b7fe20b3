package io.traceline.loadtests;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Response times per phase and per request, as Gatling measured them (from its
 * {@code responseTimeInMillis()} check), kept to print the product's latencies as ratios of the ceiling's
 * measured in the same run (DESIGN.md §7). Gatling's report shows the same numbers per request; its
 * percentiles come from a histogram, these from the sorted values, so the last digit may differ.
 */
final class LatencyLedger {

    private static final class Series {
        private int[] millis = new int[4096];
        private int size;
        private long firstNanos = Long.MAX_VALUE;
        private long lastNanos = Long.MIN_VALUE;

        synchronized void add(int value, long nowNanos) {
            if (size == millis.length) {
                millis = Arrays.copyOf(millis, size * 2);
            }
            millis[size++] = value;
            firstNanos = Math.min(firstNanos, nowNanos);
            lastNanos = Math.max(lastNanos, nowNanos);
        }

        synchronized Stats stats() {
            int[] sorted = Arrays.copyOf(millis, size);
            Arrays.sort(sorted);
            double seconds = (lastNanos - firstNanos) / 1e9;
            return new Stats(sorted, seconds > 0 ? size / seconds : Double.NaN);
        }
    }

    private record Stats(int[] sorted, double perSecond) {
        int count() {
            return sorted.length;
        }

        double mean() {
            return Arrays.stream(sorted).average().orElse(Double.NaN);
        }

        double percentile(double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }

        double max() {
            return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
        }
    }

    private final Map<String, Series> series = new ConcurrentHashMap<>();

    void record(String phase, String request, int millis) {
        long now = System.nanoTime();
        series.computeIfAbsent(phase, k -> new Series()).add(millis, now);
        series.computeIfAbsent(phase + " / " + request, k -> new Series()).add(millis, now);
    }

    /** A plain-text table: one row per phase and per request, then the product phase over the ceiling phase. */
    String report(String productPhase, String ceilingPhase) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-40s %9s %8s %8s %8s %8s %8s %8s%n",
                "phase / request", "requests", "req/s", "mean ms", "p50 ms", "p95 ms", "p99 ms", "max ms"));
        series.keySet().stream().sorted().forEach(name -> {
            Stats s = series.get(name).stats();
            out.append(String.format(Locale.ROOT, "%-40s %9d %8.1f %8.1f %8.0f %8.0f %8.0f %8.0f%n", name,
                    s.count(), s.perSecond(), s.mean(), s.percentile(50), s.percentile(95), s.percentile(99), s.max()));
        });
        Series product = series.get(productPhase);
        Series ceiling = series.get(ceilingPhase);
        if (product == null || ceiling == null) {
            out.append("no ratio: the run has no '").append(product == null ? productPhase : ceilingPhase)
                    .append("' phase").append(System.lineSeparator());
            return out.toString();
        }
        Stats p = product.stats();
        Stats c = ceiling.stats();
        out.append(String.format(Locale.ROOT, "%-40s %9s %8s %8s %8s %8s %8s %8s%n",
                productPhase + " / " + ceilingPhase + " (ratio)", "", ratio(p.perSecond(), c.perSecond()),
                ratio(p.mean(), c.mean()), ratio(p.percentile(50), c.percentile(50)),
                ratio(p.percentile(95), c.percentile(95)), ratio(p.percentile(99), c.percentile(99)),
                ratio(p.max(), c.max())));
        return out.toString();
    }

    private static String ratio(double numerator, double denominator) {
        // Millisecond resolution: a ceiling under 1 ms has no meaningful ratio.
        if (Double.isNaN(numerator) || Double.isNaN(denominator) || denominator <= 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2fx", numerator / denominator);
    }
}
