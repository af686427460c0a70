package org.obkm.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link LdapAuthLoad}'s results: one line per run, and a Markdown table with the ratios to the raw LDAP API. */
final class LdapAuthReport {

    private LdapAuthReport() {
    }

    /** What one run counted: latencies of the operations that ended inside the window, errors, CPU. */
    static final class Result {
        final List<long[]> latencies = new ArrayList<>();
        final AtomicInteger errors = new AtomicInteger();
        int seconds;
        long slapdCpuMillis;
        long driverCpuMillis;
        long[] sorted;

        synchronized void add(long[] l) {
            latencies.add(l);
        }

        long[] sorted() {
            if (sorted == null) {
                sorted = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            }
            return sorted;
        }

        double perSecond() {
            return sorted().length / (double) seconds;
        }

        double percentile(int p) {
            long[] s = sorted();
            return s.length == 0 ? 0 : s[Math.max(0, Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1))] / 1e6;
        }

        String line(String mode, int threads) {
            double n = Math.max(1, sorted().length);
            return String.format("LDAP mode=%s threads=%d ops=%d ops_per_s=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d"
                    + " slapd_cpu_ms_per_op=%.3f driver_cpu_ms_per_op=%.3f", mode, threads, sorted().length,
                    perSecond(), percentile(50), percentile(99), errors.get(),
                    slapdCpuMillis < 0 ? -1 : slapdCpuMillis / n, driverCpuMillis / n);
        }
    }

    static void table(Map<String, Map<Integer, Result>> results, List<Integer> threads) {
        Map<Integer, Result> base = results.get("search-bind");
        Map<Integer, Result> baseGroups = results.get("search-bind-groups");
        Map<Integer, Result> baseTls = results.get("search-bind-tls");
        StringBuilder h = new StringBuilder("\n| mode |");
        StringBuilder sep = new StringBuilder("|---|");
        for (int t : threads) {
            h.append(" ").append(t).append(t == 1 ? " thread" : " threads").append(" |");
            sep.append("---|");
        }
        System.out.println(h);
        System.out.println(sep);
        results.forEach((mode, byThreads) -> {
            StringBuilder row = new StringBuilder("| " + mode + " |");
            for (int t : threads) {
                Result r = byThreads.get(t);
                Map<Integer, Result> ref = mode.endsWith("groups") ? baseGroups : mode.endsWith("-tls") ? baseTls : base;
                String ratio = mode.startsWith("store") && ref != null && ref.get(t).perSecond() > 0
                        ? String.format(" (**%.2f**)", r.perSecond() / ref.get(t).perSecond()) : "";
                row.append(String.format(" %.0f/s%s, p50 %.2f ms, CPU slapd %.3f + client %.3f ms%s |", r.perSecond(),
                        ratio, r.percentile(50), r.slapdCpuMillis / Math.max(1.0, r.sorted().length),
                        r.driverCpuMillis / Math.max(1.0, r.sorted().length),
                        r.errors.get() > 0 ? ", " + r.errors.get() + " errors" : ""));
            }
            System.out.println(row);
        });
    }
}
