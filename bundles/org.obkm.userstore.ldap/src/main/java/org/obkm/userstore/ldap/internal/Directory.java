package org.obkm.userstore.ldap.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.directory.api.ldap.codec.api.LdapApiService;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.ldap.client.api.LdapNetworkConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicas of one directory ({@code ConnectionURL}), tried in order. Runs an operation on a pooled
 * connection of the first replica not in back-off; a connection that fails is discarded and the
 * operation tried once more on a fresh one, then on the next replica. A request never waits longer
 * than the connect and read timeouts and the pool wait allow, and when every replica is in back-off it
 * fails at once: a directory that is down costs its own domain's sign-ins and nothing else. Each pool
 * admits {@value #ADMITTED_PER_CONNECTION} requests per connection (using or waiting for one: a burst
 * queues); more are refused at once, so a slow directory holds a bounded number of the node's request
 * threads ({@value #ADMITTED_PER_CONNECTION} × 2 × {@code ConnectionPoolSize}, 80 by default).
 */
final class Directory implements AutoCloseable {

    /** Directory unreachable, slow, or its pool exhausted; the message is fit for an operator. */
    static final class Unavailable extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    /** The directory answered with an error that a second attempt would not change. */
    static final class Refused extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** Work on one connection; an {@link LdapException} means the connection is unusable. */
    @FunctionalInterface
    interface Operation<T> {
        T run(LdapNetworkConnection connection) throws LdapException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Directory.class);
    static final int ADMITTED_PER_CONNECTION = 5;

    private final String domain;
    private final LdapSettings settings;
    private final List<ReplicaPools> replicas = new ArrayList<>();
    private final Semaphore searchAdmission;
    private final Semaphore authAdmission;
    private volatile boolean closed;

    Directory(String domain, LdapSettings settings, LdapApiService api, LdapTls tls, long backoffMillis) {
        this.domain = domain;
        this.settings = settings;
        this.searchAdmission = new Semaphore(ADMITTED_PER_CONNECTION * settings.poolSize());
        this.authAdmission = new Semaphore(ADMITTED_PER_CONNECTION * settings.poolSize());
        for (LdapSettings.Replica r : settings.replicas()) {
            replicas.add(new ReplicaPools(domain, r, settings, api, tls, backoffMillis));
        }
    }

    List<ReplicaPools> replicas() {
        return replicas;
    }

    /** Runs a read on a connection bound as the service account. */
    <T> T search(Operation<T> op) {
        return execute(false, op);
    }

    /** Runs a bind on a connection of the authentication pool. */
    <T> T authenticate(Operation<T> op) {
        return execute(true, op);
    }

    private <T> T execute(boolean forAuthentication, Operation<T> op) {
        Semaphore admission = forAuthentication ? authAdmission : searchAdmission;
        if (!admission.tryAcquire()) {
            throw new Unavailable("directory of " + domain + " busy: " + ADMITTED_PER_CONNECTION * settings.poolSize() + " requests already use"
                    + " or wait for its " + settings.poolSize() + " connections; refused at once");
        }
        try {
            return onReplicas(forAuthentication, op);
        } finally {
            admission.release();
        }
    }

    private <T> T onReplicas(boolean forAuthentication, Operation<T> op) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.attemptBudgetMillis());
        Map<String, String> problems = new LinkedHashMap<>();
        for (ReplicaPools replica : replicas) {
            if (closed) {
                throw new Unavailable("the user store of " + domain + " is closed");
            }
            if (replica.isDown()) {
                problems.put(replica.replica().url(), "skipped after a recent failure: " + replica.lastFailure());
                continue;
            }
            GenericObjectPool<LdapNetworkConnection> pool = replica.pool(forAuthentication);
            for (int attempt = 1; attempt <= 2; attempt++) {
                if (System.nanoTime() - deadline > 0) {
                    problems.put(replica.replica().url(), "no answer within " + settings.attemptBudgetMillis() + " ms");
                    throw unavailable(problems);
                }
                LdapNetworkConnection c;
                try {
                    c = pool.borrowObject();
                } catch (NoSuchElementException e) {
                    if (e.getCause() == null && !replica.isDown()) {
                        problems.put(replica.replica().url(), "all " + settings.poolSize()
                                + " connections busy for " + settings.poolWaitMillis() + " ms");
                        throw unavailable(problems);
                    }
                    problems.put(replica.replica().url(), describe(e));
                    break;
                } catch (Exception e) {
                    if (closed) {
                        throw new Unavailable("the user store of " + domain + " is closed");
                    }
                    String why = describe(e);
                    problems.put(replica.replica().url(), why);
                    replica.markDown(why);
                    break;
                }
                try {
                    T result = op.run(c);
                    pool.returnObject(c);
                    replica.markUp();
                    return result;
                } catch (Refused e) {
                    pool.returnObject(c);
                    replica.markUp();
                    throw new Refused("directory of " + domain + " refused: " + e.getMessage());
                } catch (LdapException | RuntimeException e) {
                    invalidate(pool, c);
                    String why = describe(e);
                    problems.put(replica.replica().url(), why);
                    if (attempt == 2) {
                        replica.markDown(why);
                    } else {
                        LOG.debug("Directory of {}: connection to {} failed, trying a fresh one: {}", domain,
                                replica.replica(), why);
                    }
                }
            }
        }
        throw unavailable(problems);
    }

    private static void invalidate(GenericObjectPool<LdapNetworkConnection> pool, LdapNetworkConnection c) {
        try {
            pool.invalidateObject(c);
        } catch (Exception e) {
            c.close();
        }
    }

    private Unavailable unavailable(Map<String, String> problems) {
        StringBuilder sb = new StringBuilder("directory of ").append(domain).append(" not reachable:");
        problems.forEach((url, why) -> sb.append(' ').append(url).append(" (").append(why).append(')'));
        return new Unavailable(sb.toString());
    }

    /** The innermost message of a failure, without stack trace. */
    static String describe(Throwable e) {
        Throwable t = e;
        String message = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getClass().getSimpleName() + ": " + t.getMessage().trim();
            }
            if (t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        for (ReplicaPools r : replicas) {
            r.close();
        }
    }
}
