package org.obkm.userstore.ldap.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.directory.api.ldap.codec.StockCodecFactoryUtil;
import org.apache.directory.api.ldap.codec.api.LdapApiService;
import org.apache.directory.api.ldap.codec.osgi.DefaultLdapCodecService;
import org.apache.directory.api.ldap.codec.protocol.mina.LdapProtocolCodecFactory;
import org.apache.directory.api.ldap.extras.ExtrasCodecFactoryUtil;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldif.LDIFReader;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import com.unboundid.util.ssl.cert.ManageCertificates;

/**
 * An in-process directory (UnboundID's in-memory server) with users in ou=Users, groups in ou=Groups
 * and a service account, on a free port; plain, StartTLS or LDAPS.
 */
final class TestDirectory implements AutoCloseable {

    static final String BASE = "dc=example,dc=com";
    static final String USERS = "ou=Users," + BASE;
    static final String GROUPS = "ou=Groups," + BASE;
    static final String SERVICE_DN = "cn=obkm,ou=Services," + BASE;
    static final String SERVICE_PASSWORD = "service-secret-4711";
    static final String DOMAIN = "EXAMPLE.COM";
    /** Active Directory's answer for a locked account (sub-code 775), for uid=locked. */
    static final String AD_LOCKED = "80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 775, v3839";

    private static LdapApiService api;

    final InMemoryDirectoryServer server;
    final int port;
    final AtomicInteger binds = new AtomicInteger();

    enum Tls { NONE, START_TLS, LDAPS }

    private TestDirectory(Tls tls, Path keyStore) throws Exception {
        this.port = freePort();
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        InetAddress address = InetAddress.getByName("localhost");
        InMemoryListenerConfig listener;
        if (tls == Tls.NONE) {
            listener = InMemoryListenerConfig.createLDAPConfig("ldap", address, port, null);
        } else {
            SSLUtil serverSsl = new SSLUtil(new KeyStoreKeyManager(keyStore.toFile(), "changeit".toCharArray(),
                    "PKCS12", "server"), new TrustAllTrustManager());
            listener = tls == Tls.START_TLS
                    ? InMemoryListenerConfig.createLDAPConfig("ldap", address, port, serverSsl.createSSLSocketFactory())
                    : InMemoryListenerConfig.createLDAPSConfig("ldaps", address, port,
                            serverSsl.createSSLServerSocketFactory(), null);
        }
        config.setListenerConfigs(listener);
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) throws LDAPException {
                binds.incrementAndGet();
                if (request.getRequest().getBindDN().equalsIgnoreCase("uid=slow," + USERS)) {
                    try {
                        Thread.sleep(1200); // a directory that is slow for this user
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (request.getRequest().getBindDN().equalsIgnoreCase("uid=locked," + USERS)) {
                    throw new LDAPException(ResultCode.INVALID_CREDENTIALS, AD_LOCKED);
                }
            }
        });
        server = new InMemoryDirectoryServer(config);
        server.importFromLDIF(true, new LDIFReader(new ByteArrayInputStream(
                String.join("\n", ldif()).getBytes(StandardCharsets.UTF_8))));
        server.startListening();
    }

    static TestDirectory plain() throws Exception {
        return new TestDirectory(Tls.NONE, null);
    }

    static TestDirectory withTls(Tls tls, Path keyStore) throws Exception {
        return new TestDirectory(tls, keyStore);
    }

    String url() {
        return "ldap://localhost:" + port;
    }

    /** Properties of a store on this directory, as an operator's file would give them. */
    Map<String, String> properties() {
        return properties(url());
    }

    static Map<String, String> properties(String urls) {
        Map<String, String> p = new HashMap<>();
        p.put("ConnectionURL", urls);
        p.put("ConnectionName", SERVICE_DN);
        p.put("ConnectionPassword", SERVICE_PASSWORD);
        p.put("UserSearchBase", USERS);
        p.put("GroupSearchBase", GROUPS);
        p.put("LDAPConnectionTimeout", "1500");
        p.put("ReadTimeout", "1500");
        p.put("ConnectionPoolSize", "4");
        return p;
    }

    static LdapUserStore store(Map<String, String> properties) {
        return new LdapUserStore(DOMAIN, LdapSettings.parse(properties), api(), 300, System::nanoTime);
    }

    /** The LDAP API's codec as its bundle activators would register it in OSGi. */
    static synchronized LdapApiService api() {
        if (api == null) {
            DefaultLdapCodecService codec = new DefaultLdapCodecService();
            StockCodecFactoryUtil.loadStockControls(codec);
            ExtrasCodecFactoryUtil.loadExtrasControls(codec);
            ExtrasCodecFactoryUtil.loadExtrasExtendedOperations(codec);
            ExtrasCodecFactoryUtil.loadExtrasIntermediateResponses(codec);
            codec.registerProtocolCodecFactory(new LdapProtocolCodecFactory(codec));
            api = codec;
        }
        return api;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A PKCS12 key store with a self-signed server certificate for these DNS names; alias "server". */
    static Path keyStore(Path dir, String... dnsNames) {
        Path ks = dir.resolve("server-" + String.join("-", dnsNames) + ".p12");
        List<String> args = new ArrayList<>(List.of("generate-self-signed-certificate", "--keystore", ks.toString(),
                "--keystore-password", "changeit", "--keystore-type", "PKCS12", "--alias", "server", "--subject-dn",
                "CN=" + dnsNames[0], "--key-algorithm", "EC", "--key-size-bits", "256", "--signature-algorithm",
                "SHA256withECDSA", "--days-valid", "2"));
        for (String name : dnsNames) {
            if (name.matches("[0-9.]+")) {
                args.addAll(List.of("--subject-alternative-name-ip-address", name));
            } else {
                args.addAll(List.of("--subject-alternative-name-dns", name));
            }
        }
        manage(args.toArray(String[]::new));
        return ks;
    }

    /** The server certificate of a key store as a PEM file, for the client's TrustStore. */
    static Path pem(Path keyStore) {
        Path pem = Path.of(keyStore.toString().replace(".p12", ".pem"));
        manage("export-certificate", "--keystore", keyStore.toString(), "--keystore-password", "changeit", "--alias",
                "server", "--output-format", "PEM", "--output-file", pem.toString());
        return pem;
    }

    private static void manage(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultCode rc = ManageCertificates.main(null, out, out, args);
        if (rc != ResultCode.SUCCESS) {
            throw new IllegalStateException("manage-certificates failed: " + out);
        }
    }

    void stop() {
        server.shutDown(true);
    }

    void restart() throws LDAPException {
        server.startListening();
    }

    @Override
    public void close() {
        server.shutDown(true);
    }

    private static String[] ldif() {
        List<String> lines = new ArrayList<>(List.of(
                "dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example", "",
                "dn: " + USERS, "objectClass: organizationalUnit", "ou: Users", "",
                "dn: " + GROUPS, "objectClass: organizationalUnit", "ou: Groups", "",
                "dn: ou=Services," + BASE, "objectClass: organizationalUnit", "ou: Services", "",
                "dn: " + SERVICE_DN, "objectClass: person", "cn: obkm", "sn: service",
                "userPassword: " + SERVICE_PASSWORD, ""));
        lines.addAll(user("alice", "Alice", "Archer", "alice-pw-1", "telephoneNumber: +44 20 7946 0001"));
        lines.addAll(user("bob", "Bob", "Baker", "bob-pw-2"));
        lines.addAll(user("carol", "Carol", "Cooper", "carol-pw-3", "seeAlso: cn=auditors," + GROUPS));
        lines.addAll(user("locked", "Lou", "Locke", "locked-pw-4"));
        lines.addAll(user("slow", "Sam", "Slow", "slow-pw-5"));
        for (int i = 0; i < 20; i++) {
            lines.addAll(user(String.format("user%02d", i), "User", "Number " + i, "pw-" + i));
        }
        lines.addAll(List.of("dn: cn=admins," + GROUPS, "objectClass: groupOfNames", "cn: admins",
                "member: uid=alice," + USERS, "",
                "dn: cn=customers," + GROUPS, "objectClass: groupOfNames", "cn: customers",
                "member: uid=alice," + USERS, "member: uid=bob," + USERS, "",
                "dn: cn=auditors," + GROUPS, "objectClass: groupOfNames", "cn: auditors",
                "member: uid=carol," + USERS, ""));
        return lines.toArray(String[]::new);
    }

    private static List<String> user(String uid, String given, String sn, String password, String... extra) {
        List<String> l = new ArrayList<>(List.of("dn: uid=" + uid + "," + USERS, "objectClass: inetOrgPerson",
                "uid: " + uid, "cn: " + given + " " + sn, "givenName: " + given, "sn: " + sn,
                "mail: " + uid + "@example.com", "userPassword: " + password));
        l.addAll(List.of(extra));
        l.add("");
        return l;
    }
}
