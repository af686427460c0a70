package org.obkm.userstore.deployer.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.Set;

import org.junit.jupiter.api.Test;

class UserStoreFileParserTest {

    static final String LDAP_CLASS = "org.wso2.carbon.user.core.ldap.UniqueIDReadOnlyLDAPUserStoreManager";

    static byte[] originalLdapFile() throws Exception {
        try (InputStream in = UserStoreFileParserTest.class.getResourceAsStream("/userstores/EXAMPLE_COM.xml")) {
            return in.readAllBytes();
        }
    }

    static String xml(String domain, String extra) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<UserStoreManager class=\"" + LDAP_CLASS + "\">\n"
                + "  <Property name=\"ConnectionURL\">ldap://localhost:389</Property>\n"
                + (domain == null ? "" : "  <Property name=\"DomainName\">" + domain + "</Property>\n")
                + extra + "</UserStoreManager>\n";
    }

    private static UserStoreFile parse(String name, String content) throws InvalidUserStoreFileException {
        return UserStoreFileParser.parse(name, content.getBytes(UTF_8));
    }

    private static String refusal(String name, String content) {
        return assertThrows(InvalidUserStoreFileException.class, () -> parse(name, content)).getMessage();
    }

    @Test
    void readsTheOriginalProductsReadOnlyLdapFile() throws Exception {
        UserStoreFile f = UserStoreFileParser.parse("EXAMPLE_COM.xml", originalLdapFile());
        assertEquals("EXAMPLE.COM", f.domain());
        assertEquals(LDAP_CLASS, f.type());
        assertFalse(f.disabled());
        assertEquals(43, f.properties().size());
        assertEquals("ldap://dir1.example.com:389 ldap://dir2.example.com:389", f.properties().get("ConnectionURL"));
        assertEquals("(&(objectClass=person)(uid=?))", f.properties().get("UserNameSearchFilter"));
        assertEquals("[a-zA-Z0-9._\\-|//]{3,30}$", f.properties().get("UsernameJavaRegEx"));
        assertEquals("", f.properties().get("UserDNPattern"));
        assertEquals("", f.properties().get("java.naming.ldap.attributes.binary"));
        assertEquals("The bank's customer directory", f.properties().get("Description"));
        assertEquals("CIPHERTEXT-PLACEHOLDER", f.properties().get("ConnectionPassword"));
        assertEquals(Set.of("ConnectionPassword"), f.encrypted());
        assertTrue(f.plaintextSecrets().isEmpty());
    }

    @Test
    void readsCfgWithTypeAndEncryptedPassword() throws Exception {
        UserStoreFile f = parse("EXAMPLE_COM.cfg", "# directory of example.com\n"
                + "type = ldap\nConnectionURL = ldaps://dir.example.com:636\nConnectionName = cn=admin\n"
                + "ConnectionPassword = ENC(AbC-123_x)\nUserSearchBase = ou=Users,dc=example,dc=com\n");
        assertEquals("EXAMPLE.COM", f.domain());
        assertEquals("ldap", f.type());
        assertEquals("AbC-123_x", f.properties().get("ConnectionPassword"));
        assertEquals(Set.of("ConnectionPassword"), f.encrypted());
        assertFalse(f.properties().containsKey("type"));
        assertEquals(4, f.properties().size());
    }

    @Test
    void takesTheClassOfTheOriginalProductInCfg() throws Exception {
        UserStoreFile f = parse("BRANCH-1_EXAMPLE_COM.cfg", "class = " + LDAP_CLASS + "\nDomainName = branch-1.example.com\n");
        assertEquals("BRANCH-1.EXAMPLE.COM", f.domain());
        assertEquals(LDAP_CLASS, f.type());
    }

    @Test
    void derivesTheDomainOfACfgFromItsFileName() throws Exception {
        assertEquals("CORP.BANK.LOCAL", parse("corp_bank_local.cfg", "type = ldap\n").domain());
    }

    @Test
    void comparesTheFileNameIgnoringCaseAndUpperCasesTheDomain() throws Exception {
        assertEquals("EXAMPLE.COM", parse("example_com.xml", xml("example.com", "")).domain());
    }

    @Test
    void refusesXmlWhoseNameIsNotItsDomain() {
        String m = refusal("example.xml", xml("EXAMPLE.COM", ""));
        assertEquals("domain EXAMPLE.COM needs the file name EXAMPLE_COM.xml", m);
        InvalidUserStoreFileException e = assertThrows(InvalidUserStoreFileException.class,
                () -> parse("OTHER_COM.xml", xml("EXAMPLE.COM", "")));
        assertEquals("EXAMPLE.COM", e.domain());
        assertEquals(LDAP_CLASS, e.type());
    }

    @Test
    void refusesADottedFileNameAsTheOriginalDoes() {
        assertTrue(refusal("EXAMPLE.COM.xml", xml("EXAMPLE.COM", "")).contains("EXAMPLE_COM.xml"));
    }

    @Test
    void refusesCfgWhoseDomainNameDisagreesWithItsFileName() {
        assertTrue(refusal("EXAMPLE_COM.cfg", "type = ldap\nDomainName = OTHER.COM\n")
                .contains("needs the file name OTHER_COM.cfg"));
    }

    @Test
    void refusesXmlWithoutDomainName() {
        assertEquals("no DomainName property", refusal("EXAMPLE_COM.xml", xml(null, "")));
    }

    @Test
    void refusesDomainsWithOtherCharacters() {
        for (String bad : new String[] {"EX AMPLE", "EX/AMPLE", "EXAMPLE_COM", "-EXAMPLE", "EXAMPLE.", "ÉXAMPLE", "A*"}) {
            String m = refusal("EXAMPLE_COM.xml", xml(bad, ""));
            assertTrue(m.contains("may contain only letters, digits"), bad + ": " + m);
        }
    }

    @Test
    void refusesThePrimaryDomain() {
        assertTrue(refusal("PRIMARY.xml", xml("PRIMARY", "")).contains("reserved for the primary user store"));
        assertTrue(refusal("primary.cfg", "type = ldap\n").contains("reserved for the primary user store"));
    }

    @Test
    void refusesDoctypeSoNoExternalEntityIsRead() {
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE UserStoreManager [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                + "<UserStoreManager class=\"x.Y\"><Property name=\"DomainName\">&xxe;</Property></UserStoreManager>";
        String m = refusal("EXAMPLE_COM.xml", xxe);
        assertTrue(m.contains("DOCTYPE") && m.contains("external entity"), m);
        assertFalse(m.contains("root:"));
    }

    @Test
    void refusesEntityExpansionBombs() {
        String lol = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
                + "<UserStoreManager class=\"x.Y\"><Property name=\"DomainName\">&lol2;</Property></UserStoreManager>";
        assertTrue(refusal("EXAMPLE_COM.xml", lol).contains("DOCTYPE"));
        String undeclared = xml("EXAMPLE.COM", "<Property name=\"x\">&ent;</Property>");
        assertTrue(refusal("EXAMPLE_COM.xml", undeclared).startsWith("not well-formed XML"));
    }

    @Test
    void refusesEmptyAndGarbageFiles() {
        assertEquals("the file is empty", refusal("EXAMPLE_COM.xml", ""));
        assertEquals("the file is empty", refusal("EXAMPLE_COM.cfg", "  \n\t\n"));
        assertTrue(refusal("EXAMPLE_COM.xml", "this is not XML").startsWith("not well-formed XML at line 1"));
        assertTrue(refusal("EXAMPLE_COM.xml", "<UserStoreManager class=\"a.B\"><Property name=\"x\">")
                .startsWith("not well-formed XML"));
        assertThrows(InvalidUserStoreFileException.class,
                () -> UserStoreFileParser.parse("EXAMPLE_COM.xml", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, 3}));
        assertTrue(refusal("EXAMPLE_COM.cfg", "\u0000\u0001garbage\u00ff\n").startsWith("no type"));
    }

    @Test
    void refusesAnotherRootElement() {
        assertTrue(refusal("EXAMPLE_COM.xml", "<beans><bean/></beans>").contains("root element must be <UserStoreManager>"));
    }

    @Test
    void refusesFilesWithoutTypeOrClass() {
        assertEquals("<UserStoreManager> has no class attribute", refusal("EXAMPLE_COM.xml",
                "<UserStoreManager><Property name=\"DomainName\">EXAMPLE.COM</Property></UserStoreManager>"));
        assertTrue(refusal("EXAMPLE_COM.cfg", "ConnectionURL = ldap://x\n").startsWith("no type"));
        assertTrue(refusal("EXAMPLE_COM.cfg", "type =\n").startsWith("no type"));
        assertEquals("give either type or class, not both", refusal("EXAMPLE_COM.cfg", "type = ldap\nclass = a.B\n"));
        assertTrue(refusal("EXAMPLE_COM.cfg", "type = ldap)(x=*\n").contains("is not a type or class name"));
    }

    @Test
    void refusesPropertiesGivenTwice() {
        assertTrue(refusal("EXAMPLE_COM.xml", xml("EXAMPLE.COM", "<Property name=\"ConnectionURL\">b</Property>"))
                .contains("ConnectionURL appears more than once"));
        assertTrue(refusal("EXAMPLE_COM.cfg", "type = ldap\nReadGroups = true\nreadgroups = false\n")
                .contains("appears more than once (names ignore case)"));
        assertTrue(refusal("EXAMPLE_COM.cfg", "type = ldap\nReadGroups = true\nReadGroups = false\n")
                .contains("ReadGroups appears more than once"));
    }

    @Test
    void refusesPropertiesThatWouldSteerTheDeployer() {
        for (String name : new String[] {"factory.target", "obkm.userstore.source", "service.pid", "component.name",
            "felix.fileinstall.filename", "objectClass"}) {
            assertTrue(refusal("EXAMPLE_COM.cfg", "type = ldap\n" + name + " = x\n").contains("is reserved"), name);
        }
    }

    @Test
    void marksPlaintextPasswordsAsSecretsAndNeverShowsThem() throws Exception {
        UserStoreFile f = parse("EXAMPLE_COM.xml", xml("EXAMPLE.COM",
                "<Property name=\"ConnectionPassword\">hunter2-secret</Property>"));
        assertEquals(Set.of("ConnectionPassword"), f.plaintextSecrets());
        assertTrue(f.encrypted().isEmpty());
        assertFalse(f.toString().contains("hunter2-secret"));
        UserStoreFile jdbc = parse("DB_EXAMPLE_COM.cfg", "type = jdbc\npassword = s3cret\nPasswordDigest = SHA-256\n"
                + "StoreSaltedPassword = true\nTrustStorePassword = changeit\n");
        assertEquals(Set.of("TrustStorePassword", "password"), jdbc.plaintextSecrets());
    }

    @Test
    void refusalsNeverContainAPassword() {
        String withSecret = "<Property name=\"ConnectionPassword\">hunter2-secret</Property>";
        for (String[] c : new String[][] {
            {"OTHER.xml", xml("EXAMPLE.COM", withSecret)},
            {"EXAMPLE_COM.xml", xml("EXAMPLE.COM", withSecret + withSecret)},
            {"EXAMPLE_COM.xml", xml("EXAMPLE.COM", withSecret + "<Property>hunter2-secret</Property>")},
            {"EXAMPLE_COM.xml", xml("EXAMPLE.COM", withSecret + "<Property name=\"a\">hunter2-secret<x/></Property>")},
            {"EXAMPLE_COM.cfg", "ConnectionPassword = hunter2-secret\n"},
            {"EXAMPLE_COM.cfg", "type = ldap\nhunter2-secret\u00e9 no equals sign\n"},
        }) {
            assertFalse(refusal(c[0], c[1]).contains("hunter2"), c[1]);
        }
    }

    @Test
    void readsDisabledAndRefusesOtherValues() throws Exception {
        assertTrue(parse("EXAMPLE_COM.cfg", "type = ldap\nDisabled = TRUE\n").disabled());
        assertFalse(parse("EXAMPLE_COM.cfg", "type = ldap\nDisabled = false\n").disabled());
        assertEquals("Disabled must be true or false", refusal("EXAMPLE_COM.cfg", "type = ldap\nDisabled = yes\n"));
    }

    @Test
    void refusesEncryptedValuesThatAreEmptyOrStructural() {
        assertTrue(refusal("EXAMPLE_COM.xml", xml("EXAMPLE.COM", "<Property name=\"ConnectionPassword\" encrypted=\"true\"/>"))
                .contains("marked encrypted but has no value"));
        assertTrue(refusal("EXAMPLE_COM.cfg", "type = ldap\nDomainName = ENC(abc)\n").contains("cannot be encrypted"));
    }

    @Test
    void readsLatin1CfgAsKarafWritesIt() throws Exception {
        UserStoreFile f = UserStoreFileParser.parse("EXAMPLE_COM.cfg",
                "type = ldap\nDescription = Filiale M\u00fcnchen\n".getBytes(ISO_8859_1));
        assertEquals("Filiale M\u00fcnchen", f.properties().get("Description"));
    }

    @Test
    void knowsWhichFileNamesAreUserStoreFiles() {
        assertTrue(UserStoreFileParser.isUserStoreFileName("EXAMPLE_COM.xml"));
        assertTrue(UserStoreFileParser.isUserStoreFileName("branch-1_example_com.cfg"));
        for (String other : new String[] {".EXAMPLE_COM.xml", "EXAMPLE_COM.xml~", ".EXAMPLE_COM.xml.swp",
            "#EXAMPLE_COM.xml#", "EXAMPLE_COM.xml.bak", "EXAMPLE_COM.config", "EXAMPLE_COM.XML", "a b.xml", ".cfg"}) {
            assertFalse(UserStoreFileParser.isUserStoreFileName(other), other);
        }
    }
}
