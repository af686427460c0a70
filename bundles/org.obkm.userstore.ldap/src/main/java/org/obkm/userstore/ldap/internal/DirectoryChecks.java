package org.obkm.userstore.ldap.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.ldap.client.api.LdapNetworkConnection;
import org.obkm.api.user.StoreDiagnostics.Step;

/**
 * What {@code obkm:userstore-test DOMAIN} shows: for each replica a fresh connection (not a pooled one,
 * so the pools are left alone) with TLS as configured, a bind as the service account, and a sample
 * search with {@code UserNameListFilter}, each timed. Never throws; each step is bounded by the timeouts.
 */
final class DirectoryChecks {

    private static final int SAMPLE = 5;

    private final String domain;
    private final LdapSettings settings;
    private final Directory directory;

    DirectoryChecks(String domain, LdapSettings settings, Directory directory) {
        this.domain = domain;
        this.settings = settings;
        this.directory = directory;
    }

    List<Step> run() {
        List<Step> steps = new ArrayList<>();
        if (directory.isClosed()) {
            steps.add(new Step("store " + domain, false, Duration.ZERO, "the store is closed"));
            return steps;
        }
        for (ReplicaPools replica : directory.replicas()) {
            try {
                replicaSteps(replica, steps);
            } catch (RuntimeException e) {
                steps.add(new Step("test " + replica.replica(), false, Duration.ZERO, Directory.describe(e)));
            }
        }
        return steps;
    }

    private void replicaSteps(ReplicaPools replica, List<Step> steps) {
        LdapSettings.Replica r = replica.replica();
        String tls = r.ldaps() ? " (TLS)" : settings.startTls() ? " with StartTLS" : " (no TLS)";
        long t0 = System.nanoTime();
        LdapNetworkConnection c;
        try {
            c = replica.factory().connect();
        } catch (Exception e) {
            steps.add(new Step("connect " + r + tls, false, since(t0), Directory.describe(e)));
            return;
        }
        try {
            steps.add(new Step("connect " + r + tls, true, since(t0), replica.isDown() ? "replica is in back-off" : ""));
            long t1 = System.nanoTime();
            if (settings.serviceBind()) {
                try {
                    replica.factory().bindService(c);
                    steps.add(new Step("bind as " + settings.bindDn(), true, since(t1), ""));
                } catch (Exception e) {
                    steps.add(new Step("bind as " + settings.bindDn(), false, since(t1), Directory.describe(e)));
                    return;
                }
            } else {
                steps.add(new Step("bind anonymously", true, Duration.ZERO, "no ConnectionName: searches are anonymous"));
            }
            long t2 = System.nanoTime();
            String name = "search " + settings.userNameListFilter() + " under " + settings.userSearchBase();
            try {
                LdapSearch.Result result = LdapSearch.run(c, settings.userSearchBase(), SearchScope.SUBTREE,
                        settings.userNameListFilter(), SAMPLE, settings.readTimeoutMillis(),
                        List.of(settings.userNameAttribute()));
                List<String> names = result.entries().stream()
                        .flatMap(e -> EntryMapper.values(e, settings.userNameAttribute()).stream().limit(1)).toList();
                String detail = names.size() + (result.truncated() ? "+ users (first " + SAMPLE + ")" : " users")
                        + (names.isEmpty() ? "" : ": " + String.join(", ", names));
                steps.add(new Step(name, true, since(t2), detail));
            } catch (Exception e) {
                steps.add(new Step(name, false, since(t2), Directory.describe(e)));
            }
        } finally {
            c.close();
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
