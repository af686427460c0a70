package org.obkm.itests.cluster;

import java.net.InetAddress;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;

/**
 * A real LDAP v3 directory in the test JVM (UnboundID's in-memory server, on a free port of
 * 127.0.0.1) with a service account and people under {@value #USERS}: what the nodes' LDAP user store
 * connects to in the cluster test.
 */
final class SharedDirectory implements AutoCloseable {

    static final String SUFFIX = "dc=example,dc=com";
    static final String USERS = "ou=Users," + SUFFIX;
    static final String SERVICE_DN = "cn=obkm,ou=Services," + SUFFIX;

    private final InMemoryDirectoryServer server;

    private SharedDirectory(InMemoryDirectoryServer server) {
        this.server = server;
    }

    /** Starts it with the service account and one person per (uid, password) pair. */
    static SharedDirectory start(String servicePassword, String... uidPasswordPairs) throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(SUFFIX);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.add("dn: " + SUFFIX, "objectClass: domain", "dc: example");
        server.add("dn: " + USERS, "objectClass: organizationalUnit", "ou: Users");
        server.add("dn: ou=Services," + SUFFIX, "objectClass: organizationalUnit", "ou: Services");
        server.add("dn: " + SERVICE_DN, "objectClass: person", "cn: obkm", "sn: obkm", "userPassword: " + servicePassword);
        for (int i = 0; i + 1 < uidPasswordPairs.length; i += 2) {
            String uid = uidPasswordPairs[i];
            server.add("dn: uid=" + uid + "," + USERS, "objectClass: inetOrgPerson", "uid: " + uid, "cn: " + uid,
                    "sn: " + uid, "mail: " + uid + "@example.com", "userPassword: " + uidPasswordPairs[i + 1]);
        }
        server.startListening();
        return new SharedDirectory(server);
    }

    String url() {
        return "ldap://127.0.0.1:" + server.getListenPort();
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
