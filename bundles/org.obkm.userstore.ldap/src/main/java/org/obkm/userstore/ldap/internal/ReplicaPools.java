package org.obkm.userstore.ldap.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.apache.directory.api.ldap.codec.api.LdapApiService;
import org.apache.directory.ldap.client.api.LdapNetworkConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two connection pools of one directory replica, and whether it is believed down. The search pool
 * holds connections bound as the service account; the authentication pool holds connections that
 * sign-ins bind as customers, so a customer's identity never carries over into a search. A replica that
 * failed is skipped for a back-off period, then tried again by the next request; its idle connections
 * are dropped when it fails, so that a restarted directory gets fresh ones.
 */
final class ReplicaPools implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaPools.class);

    private final LdapSettings.Replica replica;
    private final String domain;
    private final long backoffMillis;
    private final GenericObjectPool<LdapNetworkConnection> search;
    private final GenericObjectPool<LdapNetworkConnection> auth;
    private final ConnectionFactory factory;
    /** Until when (System.nanoTime) the replica is skipped; Long.MIN_VALUE when believed up. */
    private final AtomicLong downUntil = new AtomicLong(Long.MIN_VALUE);
    private volatile String lastFailure = "";

    ReplicaPools(String domain, LdapSettings.Replica replica, LdapSettings settings, LdapApiService api, LdapTls tls,
            long backoffMillis) {
        this.domain = domain;
        this.replica = replica;
        this.backoffMillis = backoffMillis;
        this.factory = new ConnectionFactory(replica, settings, api, tls, true);
        this.search = new GenericObjectPool<>(factory, config(settings));
        this.auth = new GenericObjectPool<>(new ConnectionFactory(replica, settings, api, tls, false),
                config(settings));
    }

    private GenericObjectPoolConfig<LdapNetworkConnection> config(LdapSettings s) {
        GenericObjectPoolConfig<LdapNetworkConnection> c = new GenericObjectPoolConfig<>();
        c.setMaxTotal(s.poolSize());
        c.setMaxIdle(s.poolSize());
        c.setMinIdle(0);
        c.setBlockWhenExhausted(true);
        c.setMaxWait(Duration.ofMillis(s.poolWaitMillis()));
        c.setTestOnBorrow(true);
        c.setTestOnCreate(false);
        c.setLifo(true);
        // Idle connections are dropped after a while: firewalls forget idle TCP connections silently.
        c.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        c.setMinEvictableIdleDuration(Duration.ofMinutes(5));
        c.setNumTestsPerEvictionRun(s.poolSize());
        c.setJmxEnabled(false);
        return c;
    }

    LdapSettings.Replica replica() {
        return replica;
    }

    GenericObjectPool<LdapNetworkConnection> pool(boolean forAuthentication) {
        return forAuthentication ? auth : search;
    }

    ConnectionFactory factory() {
        return factory;
    }

    /** Whether the replica is in its back-off period after a failure. */
    boolean isDown() {
        long until = downUntil.get();
        return until != Long.MIN_VALUE && System.nanoTime() - until < 0;
    }

    /** Records a failure: skip the replica for the back-off period; one log line per period. */
    void markDown(String why) {
        lastFailure = why;
        long now = System.nanoTime();
        long previous = downUntil.get();
        long until = now + Duration.ofMillis(backoffMillis).toNanos();
        boolean inPeriod = previous != Long.MIN_VALUE && now - previous < 0;
        if (!inPeriod && downUntil.compareAndSet(previous, until)) {
            LOG.warn("Directory of {}: {} not usable, skipped for {} s: {}", domain, replica, backoffMillis / 1000.0,
                    why);
            search.clear();
            auth.clear();
        }
    }

    /** Why the replica failed last. */
    String lastFailure() {
        return lastFailure;
    }

    /** Records a success: when the replica was down, it is up again. */
    void markUp() {
        long previous = downUntil.get();
        if (previous != Long.MIN_VALUE && downUntil.compareAndSet(previous, Long.MIN_VALUE)) {
            LOG.info("Directory of {}: {} is reachable again", domain, replica);
        }
    }

    @Override
    public void close() {
        search.close();
        auth.close();
    }
}
