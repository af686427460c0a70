package org.obkm.userstore.deployer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.CredentialCheck;
import org.obkm.api.user.User;
import org.obkm.api.user.UserLookup;
import org.obkm.api.user.UserStore;
import org.obkm.api.user.UserStoreStatus;
import org.obkm.api.user.UserStoreStatus.State;
import org.obkm.api.user.spi.UserStoreFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentConstants;

class SecondaryUserStoreTest {

    private static final String SOURCE = "/srv/userstores/EXAMPLE_COM.cfg";

    /** A service registration of the BundleContext double. */
    record Registered(String[] names, Object service, Dictionary<String, ?> properties, boolean[] unregistered) {
    }

    /** A store of two capabilities that notes when it is closed. */
    static final class FakeStore implements UserLookup, CredentialCheck, AutoCloseable {
        final String domain;
        boolean closed;

        FakeStore(String domain) {
            this.domain = domain;
        }

        @Override
        public String domain() {
            return domain;
        }

        @Override
        public Optional<User> findByUsername(String username) {
            return Optional.empty();
        }

        @Override
        public AuthenticationResult authenticate(String username, char[] password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    final List<Registered> registered = new ArrayList<>();
    final List<Map<String, String>> created = new ArrayList<>();
    final FakeConfigSecrets secrets = new FakeConfigSecrets();
    final UserStoreDeploymentsImpl status = new UserStoreDeploymentsImpl();
    boolean factoryStillThere;
    FakeStore store;
    BundleContext context;
    Map<String, Object> config;

    @BeforeEach
    void setUp() {
        context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "registerService" -> {
                        boolean[] gone = {false};
                        @SuppressWarnings("unchecked")
                        Dictionary<String, ?> props = (Dictionary<String, ?>) args[2];
                        registered.add(new Registered((String[]) args[0], args[1], props, gone));
                        yield Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        gone[0] = true;
                                    }
                                    return null;
                                });
                    }
                    case "getServiceReferences" -> factoryStillThere ? List.of(new Object()) : List.of();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        config = new HashMap<>();
        config.put("service.pid", "org.obkm.userstore.secondary~EXAMPLE.COM");
        config.put("service.factoryPid", "org.obkm.userstore.secondary");
        config.put("component.id", 42L);
        config.put("component.name", SecondaryUserStore.class.getName());
        config.put("ConnectionURL", "ldap://dir:389");
        config.put("ConnectionPassword", secrets.encrypt("dir-pw".toCharArray()));
        config.put("DomainName", "EXAMPLE.COM");
        config.put("obkm.userstore.domain", "EXAMPLE.COM");
        config.put("obkm.userstore.type", "ldap");
        config.put("obkm.userstore.source", SOURCE);
        config.put("obkm.userstore.encrypted", new String[] {"ConnectionPassword"});
        config.put("factory.target", StoreConfigurations.target("ldap"));
        status.fileConfigured(SOURCE, "EXAMPLE.COM", "ldap");
    }

    private SecondaryUserStore activate(UserStoreFactory factory) {
        return new SecondaryUserStore(context, config, Map.entry(Map.of(UserStoreFactory.TYPE_PROPERTY, "ldap"), factory),
                secrets, status);
    }

    private UserStoreFactory working() {
        return (domain, props) -> {
            created.add(props);
            store = new FakeStore(domain);
            return store;
        };
    }

    private UserStoreStatus state() {
        return status.get(SOURCE);
    }

    @Test
    void registersTheStoreUnderEachOfItsCapabilities() {
        activate(working());
        assertEquals(1, registered.size());
        Registered r = registered.get(0);
        assertEquals(Set.of(UserStore.class.getName(), UserLookup.class.getName(), CredentialCheck.class.getName()),
                Set.of(r.names()));
        assertEquals(UserStore.class.getName(), r.names()[0]);
        assertEquals("EXAMPLE.COM", r.properties().get(UserStore.DOMAIN_PROPERTY));
        assertEquals("ldap", r.properties().get(UserStoreFactory.TYPE_PROPERTY));
        assertEquals(SOURCE, r.properties().get("obkm.userstore.source"));
        assertEquals(State.ACTIVE, state().state());
        assertEquals("", state().lastError());
    }

    @Test
    void givesTheFactoryTheFilesPropertiesWithSecretsDecryptedAndTheTypeAsClass() {
        activate(working());
        assertEquals(Map.of("ConnectionURL", "ldap://dir:389", "ConnectionPassword", "dir-pw", "DomainName", "EXAMPLE.COM",
                "class", "ldap"), created.get(0));
    }

    @Test
    void aFactoryThatThrowsLeavesTheDomainFailedAndTheComponentUp() {
        SecondaryUserStore c = activate((domain, props) -> {
            throw new IllegalArgumentException("ConnectionURL: unknown scheme 'ldapx'");
        });
        assertTrue(registered.isEmpty());
        assertEquals(State.FAILED, state().state());
        assertEquals("ConnectionURL: unknown scheme 'ldapx'", state().lastError());
        c.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
        assertEquals(State.WAITING_FOR_TYPE, state().state(), "back to the file's state until it comes up again");
    }

    @Test
    void aPasswordNotEncryptedOnThisClusterFailsWithoutCallingTheFactory() {
        config.put("ConnectionPassword", "wso2-keystore-rsa-ciphertext==");
        activate(working());
        assertTrue(created.isEmpty());
        assertEquals(State.FAILED, state().state());
        assertEquals("ConnectionPassword cannot be decrypted: not encrypted by obkm:encrypt on this cluster?",
                state().lastError());
        assertFalse(state().lastError().contains("wso2-keystore"));
    }

    @Test
    void whenTheTypesBundleGoesAwayTheStoreWaitsForIt() {
        SecondaryUserStore c = activate(working());
        c.deactivate(ComponentConstants.DEACTIVATION_REASON_REFERENCE);
        assertTrue(registered.get(0).unregistered()[0]);
        assertTrue(store.closed);
        assertEquals(State.WAITING_FOR_TYPE, state().state());
        assertEquals("the bundle providing type 'ldap' went away", state().lastError());
    }

    @Test
    void whenTheConfigurationGoesTheStoreIsClosedAndForgotten() {
        SecondaryUserStore c = activate(working());
        status.fileRemoved(SOURCE);
        c.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        assertTrue(registered.get(0).unregistered()[0]);
        assertTrue(store.closed);
        assertNull(state());
    }

    @Test
    void anotherReferenceGoingAwayIsNotBlamedOnTheType() {
        SecondaryUserStore c = activate(working());
        factoryStillThere = true;
        c.deactivate(ComponentConstants.DEACTIVATION_REASON_REFERENCE);
        assertEquals(State.WAITING_FOR_TYPE, state().state());
        assertEquals(UserStoreDeploymentsImpl.noBundleFor("ldap"), state().lastError());
    }

    @Test
    void refusesAStoreOfAnotherDomain() {
        activate((domain, props) -> {
            store = new FakeStore("OTHER.COM");
            return store;
        });
        assertTrue(registered.isEmpty());
        assertTrue(store.closed);
        assertEquals(State.FAILED, state().state());
    }
}
