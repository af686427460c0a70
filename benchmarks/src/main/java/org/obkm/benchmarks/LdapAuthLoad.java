package org.obkm.benchmarks;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.TrustManagerFactory;

import org.apache.directory.api.ldap.codec.StockCodecFactoryUtil;
import org.apache.directory.api.ldap.codec.api.LdapApiService;
import org.apache.directory.api.ldap.codec.osgi.DefaultLdapCodecService;
import org.apache.directory.api.ldap.codec.protocol.mina.LdapProtocolCodecFactory;
import org.apache.directory.api.ldap.extras.ExtrasCodecFactoryUtil;
import org.apache.directory.api.ldap.model.cursor.EntryCursor;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.message.BindRequestImpl;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.ldap.client.api.LdapConnectionConfig;
import org.apache.directory.ldap.client.api.LdapNetworkConnection;
import org.obkm.api.user.CredentialCheck;
import org.obkm.api.user.UserStore;
import org.obkm.userstore.ldap.internal.LdapUserStoreFactory;

/**
 * Sign-ins per second against one LDAP directory, measured two ways in the same minutes so that the
 * ratio survives a noisy host: the raw LDAP API on persistent connections (one per thread, as fast as a
 * client of this directory can be: a bind alone, and what every LDAP sign-in must do, a search for the
 * user's DN with the service account and a simple bind as that DN, RFC 4513 section 5.1.3), and
 * {@link CredentialCheck#authenticate} of the LDAP user store, made by its factory exactly as the node
 * makes it from a user store file, through its connection pools. Users {@code uid=user0000..} under
 * {@code ou=Users} all have the same password; each operation signs in a random one. Modes: bind,
 * search-bind, search-bind-groups (raw API); store-p8, store-p8-groups (ReadGroups), store-p4 (pool
 * of 4); with {@code --ca PEM} also search-bind-tls and store-p8-tls (StartTLS, RFC 4513 section 3).
 * For every thread count the modes run back to back; it prints one line per run and a Markdown table:
 * <pre>
 * LDAP mode=store-p8 threads=4 ops=.. ops_per_s=.. p50_ms=.. p99_ms=.. errors=.. slapd_cpu_ms_per_op=.. driver_cpu_ms_per_op=..
 * </pre>
 *
 * <pre>
 * java -cp benchmarks.jar org.obkm.benchmarks.LdapAuthLoad --url ldap://127.0.0.1:3950 --suffix dc=example,dc=com \
 *     --service-dn cn=obkm,ou=Services,dc=example,dc=com --service-password S --password P --users 1000 \
 *     [--threads 1,2,4,8] [--duration 10] [--warmup 5] [--slapd-pid PID] [--ca cert.pem] [--modes ..]
 * </pre>
 */
public final class LdapAuthLoad {

    /** What the store asks for when it looks a user up (EntryMapper's list with the default settings). */
    private static final String[] USER_ATTRIBUTES = {"uid", "entryUUID", "cn", "pwdAccountLockedTime",
        "userAccountControl", "mail", "givenName", "sn", "telephoneNumber"};
    private static final List<String> ALL_MODES = List.of("bind", "search-bind", "search-bind-groups", "store-p8",
            "store-p8-groups", "store-p4");

    private final Map<String, String> a;
    private final String suffix;
    private final String usersBase;
    private final String groupsBase;
    private final byte[] password;
    private final int users;
    private final long slapdPid;
    private final LdapApiService api = codec();

    private LdapAuthLoad(Map<String, String> a) {
        this.a = a;
        this.suffix = a.getOrDefault("suffix", "dc=example,dc=com");
        this.usersBase = "ou=Users," + suffix;
        this.groupsBase = "ou=Groups," + suffix;
        this.password = Cli.required(a, "password").getBytes(StandardCharsets.UTF_8);
        this.users = Integer.parseInt(a.getOrDefault("users", "1000"));
        this.slapdPid = Long.parseLong(a.getOrDefault("slapd-pid", "0"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Cli.options(argv);
        LdapAuthLoad load = new LdapAuthLoad(a);
        List<Integer> threads = Arrays.stream(a.getOrDefault("threads", "1,2,4,8").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        List<String> all = new ArrayList<>(ALL_MODES);
        if (a.containsKey("ca")) {
            all.addAll(List.of("search-bind-tls", "store-p8-tls")); // StartTLS, the CA's PEM file trusted
        }
        List<String> modes = Arrays.stream(a.getOrDefault("modes", String.join(",", all)).split(","))
                .map(String::trim).toList();
        int duration = Integer.parseInt(a.getOrDefault("duration", "10"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "5"));
        System.out.printf("Sign-ins against %s, %d users, %d s per run after %d s warm-up per mode, threads %s%n",
                Cli.required(a, "url"), load.users, duration, warmup, threads);
        for (String mode : modes) {
            load.run(mode, 2, warmup); // JIT, and the directory's caches
        }
        Map<String, Map<Integer, LdapAuthReport.Result>> results = new LinkedHashMap<>();
        for (int t : threads) {
            for (String mode : modes) {
                LdapAuthReport.Result r = load.run(mode, t, duration);
                results.computeIfAbsent(mode, m -> new LinkedHashMap<>()).put(t, r);
                System.out.println(r.line(mode, t));
            }
        }
        LdapAuthReport.table(results, threads);
    }

    /** One signer per thread; a mode is a way of checking one user's password. */
    private interface Signer extends AutoCloseable {
        boolean signIn(int user) throws Exception;

        @Override
        void close();
    }

    private LdapAuthReport.Result run(String mode, int threads, int seconds) throws Exception {
        UserStore store = mode.startsWith("store") ? store(mode) : null;
        List<Signer> signers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            signers.add(signer(mode, store));
        }
        LdapAuthReport.Result r = new LdapAuthReport.Result();
        long slapd0 = Cli.processCpuMillis(slapdPid);
        long driver0 = Cli.driverCpuMillis();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> running = new ArrayList<>();
        for (Signer s : signers) {
            Thread t = new Thread(() -> {
                long[] lat = new long[1 << 19];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        if (!s.signIn(ThreadLocalRandom.current().nextInt(users))) {
                            r.errors.incrementAndGet();
                            continue;
                        }
                    } catch (Exception e) {
                        if (r.errors.incrementAndGet() <= 3) {
                            System.out.println("ERROR " + mode + ": " + e);
                        }
                        continue;
                    }
                    long done = System.nanoTime();
                    if (done <= end && n < lat.length) {
                        lat[n++] = done - t0;
                    }
                }
                r.add(Arrays.copyOf(lat, n));
            });
            t.start();
            running.add(t);
        }
        for (Thread t : running) {
            t.join();
        }
        r.seconds = seconds;
        r.slapdCpuMillis = slapdPid > 0 ? Cli.processCpuMillis(slapdPid) - slapd0 : -1;
        r.driverCpuMillis = Cli.driverCpuMillis() - driver0;
        signers.forEach(Signer::close);
        if (store != null) {
            ((AutoCloseable) store).close();
        }
        return r;
    }

    private Signer signer(String mode, UserStore store) throws Exception {
        if (store != null) {
            CredentialCheck check = store.as(CredentialCheck.class).orElseThrow();
            char[] pw = new String(password, StandardCharsets.UTF_8).toCharArray();
            return new Signer() {
                @Override
                public boolean signIn(int user) {
                    return check.authenticate(uid(user), pw).isOk();
                }

                @Override
                public void close() {
                }
            };
        }
        boolean tls = mode.endsWith("-tls");
        LdapNetworkConnection auth = connect(tls);
        LdapNetworkConnection search = mode.equals("bind") ? null : connect(tls);
        if (search != null) {
            search.bind(Cli.required(a, "service-dn"), Cli.required(a, "service-password"));
        }
        boolean groups = mode.endsWith("groups");
        return new Signer() {
            @Override
            public boolean signIn(int user) throws Exception {
                String dn = "uid=" + uid(user) + "," + usersBase;
                if (search != null) {
                    dn = null;
                    try (EntryCursor c = search.search(usersBase, "(&(objectClass=inetOrgPerson)(uid=" + uid(user) + "))",
                            SearchScope.SUBTREE, USER_ATTRIBUTES)) {
                        for (Entry e : c) {
                            dn = e.getDn().getName();
                        }
                    }
                    if (dn == null) {
                        return false;
                    }
                }
                BindRequestImpl bind = new BindRequestImpl();
                bind.setSimple(true);
                bind.setName(dn);
                bind.setCredentials(password);
                if (auth.bind(bind).getLdapResult().getResultCode() != ResultCodeEnum.SUCCESS) {
                    return false;
                }
                if (groups) {
                    try (EntryCursor c = search.search(groupsBase, "(&(objectClass=groupOfNames)(member=" + dn + "))",
                            SearchScope.SUBTREE, "cn")) {
                        for (Entry e : c) {
                            e.get("cn");
                        }
                    }
                }
                return true;
            }

            @Override
            public void close() {
                for (LdapNetworkConnection c : new LdapNetworkConnection[] {auth, search}) {
                    if (c != null) {
                        try {
                            c.close();
                        } catch (Exception e) {
                            // closing a benchmark connection
                        }
                    }
                }
            }
        };
    }

    /** The LDAP user store as the node makes it from a BENCH_TEST.cfg file. */
    private UserStore store(String mode) {
        Map<String, String> p = new HashMap<>();
        p.put("type", "ldap");
        p.put("ConnectionURL", Cli.required(a, "url"));
        p.put("ConnectionName", Cli.required(a, "service-dn"));
        p.put("ConnectionPassword", Cli.required(a, "service-password"));
        p.put("UserSearchBase", usersBase);
        p.put("GroupSearchBase", groupsBase);
        p.put("ReadGroups", String.valueOf(mode.endsWith("groups")));
        p.put("ConnectionPoolSize", mode.contains("-p4") ? "4" : "8");
        if (mode.endsWith("-tls")) {
            p.put("StartTLSEnabled", "true");
            p.put("TrustStore", Cli.required(a, "ca"));
        }
        return new LdapUserStoreFactory(api, new LdapProtocolCodecFactory(api)).create("BENCH.TEST", p);
    }

    private LdapNetworkConnection connect(boolean startTls) throws Exception {
        java.net.URI u = java.net.URI.create(Cli.required(a, "url"));
        LdapConnectionConfig config = new LdapConnectionConfig();
        config.setLdapHost(u.getHost());
        config.setLdapPort(u.getPort());
        config.setTimeout(5000);
        if (startTls) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(Cli.required(a, "ca")))) {
                ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            config.setUseTls(true);
            config.setSslProtocol("TLS");
            config.setEnabledProtocols("TLSv1.3", "TLSv1.2");
            config.setTrustManagers(tmf.getTrustManagers());
        }
        LdapNetworkConnection c = new LdapNetworkConnection(config, api);
        c.connect();
        return c;
    }

    private static String uid(int user) {
        return String.format("user%04d", user);
    }

    /** The LDAP API's codec as its bundle activators register it in OSGi. */
    private static LdapApiService codec() {
        DefaultLdapCodecService codec = new DefaultLdapCodecService();
        StockCodecFactoryUtil.loadStockControls(codec);
        ExtrasCodecFactoryUtil.loadExtrasControls(codec);
        ExtrasCodecFactoryUtil.loadExtrasExtendedOperations(codec);
        ExtrasCodecFactoryUtil.loadExtrasIntermediateResponses(codec);
        codec.registerProtocolCodecFactory(new LdapProtocolCodecFactory(codec));
        return codec;
    }

}
