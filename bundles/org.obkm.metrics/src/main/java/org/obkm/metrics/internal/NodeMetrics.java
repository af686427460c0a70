package org.obkm.metrics.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.obkm.api.cluster.CacheRegions;
import org.obkm.api.cluster.ClusterMembership;
import org.obkm.api.metrics.TokenEvents;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.obkm.api.settings.ClusterSettings;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The node's metrics in a Prometheus client_java registry of its own: requests, errors and latency per
 * endpoint (recorded by {@link MetricsFilter}), tokens issued per grant type ({@link TokenEvents}), and
 * read at each scrape: caches and their invalidations ({@link CacheRegions}), cluster members, and the
 * database pool (HikariCP's MBeans, {@code hikari.registerMbeans = true} in the datasource cfg). Label
 * values come from fixed sets (the endpoints, the grant types the node supports, the OAuth error codes),
 * so a client cannot grow the registry. Recording is a lock-free add on a data point looked up once.
 */
@Component(service = {NodeMetrics.class, TokenEvents.class}, immediate = true)
public final class NodeMetrics implements TokenEvents {

    /** Latency buckets, seconds: a token is milliseconds, a login with an LDAP bind can be a second. */
    private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    private static final Logger LOG = LoggerFactory.getLogger(NodeMetrics.class);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer;
    private final Counter requests;
    private final Counter errors;
    private final Histogram latency;
    private final Counter tokens;
    private final Map<String, CounterDataPoint> tokensByGrant = new ConcurrentHashMap<>();
    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CacheRegions caches;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ClusterMembership cluster;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ClusterSettings settings;

    @Activate
    public NodeMetrics() {
        // client_java reads its optional prometheus.properties through the context class loader, once.
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(NodeMetrics.class.getClassLoader());
        try {
            PrometheusProperties.get();
            writer = PrometheusTextFormatWriter.create();
            requests = Counter.builder().name("obkm_http_requests").help("HTTP requests answered, by endpoint and status")
                    .labelNames("endpoint", "status").withoutExemplars().register(registry);
            errors = Counter.builder().name("obkm_http_errors")
                    .help("HTTP answers of status 400 and above, by endpoint and OAuth error code (http_STATUS without one)")
                    .labelNames("endpoint", "error").withoutExemplars().register(registry);
            latency = Histogram.builder().name("obkm_http_request_duration_seconds")
                    .help("Time from the request's arrival to the end of its answer, by endpoint")
                    .labelNames("endpoint").classicOnly().classicUpperBounds(BUCKETS).withoutExemplars().register(registry);
            tokens = Counter.builder().name("obkm_tokens_issued").help("Token responses sent, by grant type")
                    .labelNames("grant_type").withoutExemplars().register(registry);
            registerCallbacks();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private void registerCallbacks() {
        GaugeWithCallback.builder().name("obkm_cache_size").help("Entries held by each node-local cache")
                .labelNames("cache").callback(cb -> regions(r -> r.size() >= 0, r -> cb.call(r.size(), r.name())))
                .register(registry);
        CounterWithCallback.builder().name("obkm_cache_hits").help("Cache lookups answered from memory")
                .labelNames("cache").callback(cb -> regions(r -> r.hits() >= 0, r -> cb.call(r.hits(), r.name())))
                .register(registry);
        CounterWithCallback.builder().name("obkm_cache_misses").help("Cache lookups that went to the database")
                .labelNames("cache").callback(cb -> regions(r -> r.misses() >= 0, r -> cb.call(r.misses(), r.name())))
                .register(registry);
        CounterWithCallback.builder().name("obkm_cache_invalidations_sent")
                .help("Invalidations this node sent to the cluster, by cache").labelNames("cache")
                .callback(cb -> regions(r -> true, r -> cb.call(r.invalidationsSent(), r.name()))).register(registry);
        CounterWithCallback.builder().name("obkm_cache_invalidations_received")
                .help("Authenticated invalidations this node applied (its own included), by cache").labelNames("cache")
                .callback(cb -> regions(r -> true, r -> cb.call(r.invalidationsReceived(), r.name()))).register(registry);
        GaugeWithCallback.builder().name("obkm_cluster_members").help("Cluster members this node sees (0 before it joined)")
                .callback(cb -> {
                    ClusterMembership c = cluster;
                    cb.call(c == null || !c.joined() ? 0 : c.members().size());
                }).register(registry);
        GaugeWithCallback.builder().name("obkm_settings_drift")
                .help("Cluster settings whose effective value on a member differs from the cluster's (obkm:config-diff), by member")
                .labelNames("member").callback(cb -> drift().forEach((member, keys) -> cb.call(keys, member)))
                .register(registry);
        GaugeWithCallback.builder().name("obkm_settings_applied_version")
                .help("The cluster settings version this node has applied")
                .callback(cb -> {
                    ClusterSettings s = settings;
                    if (s != null) {
                        cb.call(s.appliedVersion());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("obkm_db_pool_connections")
                .help("Database pool connections by state (active, idle, total), and requests waiting for one (pending)")
                .labelNames("pool", "state").callback(cb -> pools((pool, state, value) -> cb.call(value, pool, state)))
                .register(registry);
    }

    /** Per member, how many settings differ from the cluster's value; empty without the settings bundle. */
    Map<String, Integer> drift() {
        ClusterSettings s = settings;
        Map<String, Integer> out = new java.util.TreeMap<>();
        if (s == null) {
            return out;
        }
        try {
            for (ClusterSettings.Difference d : s.differences()) {
                d.byMember().forEach((member, value) -> {
                    if (!java.util.Objects.equals(value, d.clusterValue())) {
                        out.merge(member, 1, Integer::sum);
                    }
                });
            }
        } catch (RuntimeException e) {
            // the database is away: the scrape goes on without this gauge (the health check says why)
            return Map.of();
        }
        return out;
    }

    private void regions(Predicate<CacheRegions.Region> when, Consumer<CacheRegions.Region> call) {
        CacheRegions c = caches;
        if (c != null) {
            c.regions().stream().filter(when).forEach(call);
        }
    }

    private interface PoolValue {
        void call(String pool, String state, double value);
    }

    private static final String[][] POOL_ATTRIBUTES = {
        {"ActiveConnections", "active"}, {"IdleConnections", "idle"}, {"TotalConnections", "total"},
        {"ThreadsAwaitingConnection", "pending"}};

    /** HikariCP's pool MBeans ({@code com.zaxxer.hikari:type=Pool (NAME)}), when the pool registers them. */
    private void pools(PoolValue out) {
        try {
            Set<ObjectName> names = mbeans.queryNames(new ObjectName("com.zaxxer.hikari:type=Pool (*"), null);
            for (ObjectName n : names) {
                String type = n.getKeyProperty("type");
                String pool = type.substring("Pool (".length(), type.length() - 1);
                for (String[] a : POOL_ATTRIBUTES) {
                    Object v = mbeans.getAttribute(n, a[0]);
                    if (v instanceof Number number) {
                        out.call(pool, a[1], number.doubleValue());
                    }
                }
            }
        } catch (JMException | RuntimeException e) {
            LOG.debug("Database pool metrics not read: {}", e.toString());
        }
    }

    /** The counters and latency of one endpoint: looked up once, then added to without a lookup. */
    final class EndpointMeters {
        private final String endpoint;
        private final DistributionDataPoint duration;
        private final Map<Integer, CounterDataPoint> byStatus = new ConcurrentHashMap<>();
        private final Map<String, CounterDataPoint> byError = new ConcurrentHashMap<>();

        EndpointMeters(String endpoint) {
            this.endpoint = endpoint;
            this.duration = latency.labelValues(endpoint);
        }

        void record(int status, String error, long nanos) {
            duration.observe(nanos / 1e9);
            byStatus.computeIfAbsent(status, s -> requests.labelValues(endpoint, Integer.toString(s))).inc();
            if (status >= 400) {
                byError.computeIfAbsent(error, e -> errors.labelValues(endpoint, e)).inc();
            }
        }
    }

    EndpointMeters endpoint(String name) {
        return new EndpointMeters(name);
    }

    @Override
    public void issued(String grantType) {
        tokensByGrant.computeIfAbsent(grantType, g -> tokens.labelValues(g)).inc();
    }

    String contentType() {
        return writer.getContentType();
    }

    void scrape(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
