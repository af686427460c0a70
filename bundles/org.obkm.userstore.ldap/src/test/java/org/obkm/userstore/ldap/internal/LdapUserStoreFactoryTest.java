package org.obkm.userstore.ldap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.directory.api.ldap.codec.protocol.mina.LdapProtocolCodecFactory;
import org.junit.jupiter.api.Test;
import org.obkm.api.user.CredentialCheck;
import org.obkm.api.user.GroupLookup;
import org.obkm.api.user.StoreDiagnostics;
import org.obkm.api.user.UserCacheControl;
import org.obkm.api.user.UserLookup;
import org.obkm.api.user.UserQuery;
import org.obkm.api.user.UserStore;
import org.obkm.api.user.spi.UserStoreFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class LdapUserStoreFactoryTest {

    private final LdapUserStoreFactory factory = new LdapUserStoreFactory(TestDirectory.api(),
            new LdapProtocolCodecFactory(TestDirectory.api()));

    @Test
    void registersForTypeLdapAndTheOriginalProductsLdapClasses() throws Exception {
        Path xml = Path.of("target/classes/OSGI-INF/" + LdapUserStoreFactory.class.getName() + ".xml");
        assertTrue(Files.exists(xml), "bnd wrote the component description");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Map<String, List<String>> props = new HashMap<>();
        NodeList nodes = doc.getElementsByTagName("property");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            String value = e.hasAttribute("value") ? e.getAttribute("value") : e.getTextContent().trim();
            props.put(e.getAttribute("name"), List.of(value.split("\\s*\\n\\s*")));
        }
        assertEquals(List.of("ldap"), props.get(UserStoreFactory.TYPE_PROPERTY));
        String p = "org.wso2.carbon.user.core.ldap.";
        assertEquals(List.of(p + "ReadOnlyLDAPUserStoreManager", p + "UniqueIDReadOnlyLDAPUserStoreManager",
                p + "ReadWriteLDAPUserStoreManager", p + "UniqueIDReadWriteLDAPUserStoreManager",
                p + "ActiveDirectoryUserStoreManager", p + "UniqueIDActiveDirectoryUserStoreManager"),
                props.get(UserStoreFactory.CLASS_PROPERTY));
        assertEquals(UserStoreFactory.class.getName(),
                ((Element) doc.getElementsByTagName("provide").item(0)).getAttribute("interface"));
    }

    @Test
    void makesAStoreWithEveryReadOnlyCapability() throws Exception {
        try (TestDirectory dir = TestDirectory.plain()) {
            Map<String, String> p = dir.properties();
            p.put("MaxUserNameListLength", "100");
            UserStore store = factory.create("EXAMPLE.COM", p);
            try {
                assertEquals("EXAMPLE.COM", store.domain());
                for (Class<? extends UserStore> c : List.of(UserLookup.class, CredentialCheck.class, UserQuery.class,
                        GroupLookup.class, StoreDiagnostics.class, UserCacheControl.class)) {
                    assertTrue(store.as(c).isPresent(), c.getSimpleName());
                }
                assertFalse(store.as(org.obkm.api.user.UserAdmin.class).isPresent(), "read-only");
                assertTrue(store.as(CredentialCheck.class).orElseThrow()
                        .authenticate("alice", "alice-pw-1".toCharArray()).isOk());
            } finally {
                ((AutoCloseable) store).close();
            }
        }
    }

    @Test
    void refusesUnusablePropertiesNamingThePropertyButNotThePassword() {
        Map<String, String> p = TestDirectory.properties("ftp://dir.bank.test");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.create("X", p));
        assertTrue(e.getMessage().startsWith("ConnectionURL:"), e.getMessage());
        assertFalse(e.getMessage().contains(TestDirectory.SERVICE_PASSWORD));
    }
}
