package org.obkm.userstore.ldap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LdapSettingsTest {

    private static Map<String, String> minimal() {
        Map<String, String> p = new HashMap<>();
        p.put("ConnectionURL", "ldap://dir1.bank.test:389");
        p.put("UserSearchBase", "ou=Users,dc=bank,dc=test");
        p.put("GroupSearchBase", "ou=Groups,dc=bank,dc=test");
        return p;
    }

    private static String refusal(Map<String, String> p) {
        return assertThrows(IllegalArgumentException.class, () -> LdapSettings.parse(p)).getMessage();
    }

    @Test
    void appliesTheOriginalProductsDefaults() {
        LdapSettings s = LdapSettings.parse(minimal());
        assertEquals(List.of(new LdapSettings.Replica("ldap://dir1.bank.test:389", "dir1.bank.test", 389, false)),
                s.replicas());
        assertEquals("(&(objectClass=inetOrgPerson)(uid=?))", s.userNameSearchFilter());
        assertEquals("(objectClass=inetOrgPerson)", s.userNameListFilter());
        assertEquals("entryUUID", s.userIdAttribute());
        assertEquals("cn", s.displayNameAttribute());
        assertTrue(s.readGroups());
        assertEquals("(objectClass=groupOfNames)", s.groupNameListFilter());
        assertEquals("member", s.membershipAttribute());
        assertFalse(s.serviceBind());
        assertEquals(5000, s.connectTimeoutMillis());
        assertEquals(5000, s.readTimeoutMillis());
        assertEquals(8, s.poolSize());
        assertEquals(5000, s.poolWaitMillis());
        assertEquals(60, s.cacheTtlSeconds());
        assertEquals(10_000, s.cacheMaxEntries());
        assertEquals(List.of(), s.userDnPatterns());
    }

    @Test
    void readsSeveralReplicasInOrderOfPreference() {
        Map<String, String> p = minimal();
        p.put("ConnectionURL", " ldaps://dir1.bank.test \t ldap://10.0.0.2:3389  ldap://[::1]:1389 ");
        List<LdapSettings.Replica> r = LdapSettings.parse(p).replicas();
        assertEquals(3, r.size());
        assertEquals(new LdapSettings.Replica("ldaps://dir1.bank.test:636", "dir1.bank.test", 636, true), r.get(0));
        assertEquals(3389, r.get(1).port());
        assertEquals("::1", r.get(2).host());
    }

    @Test
    void requiresConnectionUrlAndUserSearchBase() {
        Map<String, String> p = minimal();
        p.remove("ConnectionURL");
        assertEquals("ConnectionURL is missing: it is required for an LDAP user store", refusal(p));
        p = minimal();
        p.put("UserSearchBase", " ");
        assertTrue(refusal(p).startsWith("UserSearchBase is missing"));
    }

    @Test
    void refusesAUrlOfAnotherScheme() {
        Map<String, String> p = minimal();
        p.put("ConnectionURL", "ldap://ok.bank.test http://dir.bank.test:389");
        assertEquals("ConnectionURL: 'http://dir.bank.test:389' is not an ldap://host:port or ldaps://host:port URL:"
                + " the scheme must be ldap or ldaps", refusal(p));
        p.put("ConnectionURL", "ldap://localhost:${Ports.EmbeddedLDAP.LDAPServerPort}");
        assertTrue(refusal(p).startsWith("ConnectionURL: 'ldap://localhost:${Ports"));
        p.put("ConnectionURL", "ldap://dir.bank.test:389/dc=bank??sub");
        assertTrue(refusal(p).startsWith("ConnectionURL:"));
    }

    @Test
    void refusesNonNumericTimeouts() {
        Map<String, String> p = minimal();
        p.put("LDAPConnectionTimeout", "5s");
        assertEquals("LDAPConnectionTimeout: '5s' is not a whole number from 1 to 600000", refusal(p));
        p = minimal();
        p.put("ReadTimeout", "-1");
        assertTrue(refusal(p).startsWith("ReadTimeout: '-1'"));
        p = minimal();
        p.put("ConnectionPoolSize", "0");
        assertTrue(refusal(p).startsWith("ConnectionPoolSize: '0'"));
        p = minimal();
        p.put("ReadGroups", "yes");
        assertEquals("ReadGroups: 'yes' is neither true nor false", refusal(p));
    }

    @Test
    void refusesAServiceAccountWithoutPasswordAndNeverShowsThePassword() {
        Map<String, String> p = minimal();
        p.put("ConnectionName", "cn=svc,dc=bank,dc=test");
        assertTrue(refusal(p).startsWith("ConnectionPassword is empty"));
        p.put("ConnectionPassword", "s3cret-value");
        LdapSettings s = LdapSettings.parse(p);
        assertTrue(s.serviceBind());
        assertFalse(s.toString().contains("s3cret-value"));
        p.put("ConnectionName", "not a dn");
        String m = refusal(p);
        assertTrue(m.startsWith("ConnectionName: 'not a dn' is not a distinguished name"), m);
        assertFalse(m.contains("s3cret-value"));
    }

    @Test
    void checksFiltersAndPatterns() {
        Map<String, String> p = minimal();
        p.put("UserNameSearchFilter", "(&(objectClass=person)(uid=x))");
        assertTrue(refusal(p).contains("has no ? where the name goes"));
        p.put("UserNameSearchFilter", "(&(objectClass=person)(uid=?)");
        assertTrue(refusal(p).contains("is not an LDAP search filter"));
        p = minimal();
        p.put("UserDNPattern", "uid={0},ou=Users,dc=bank,dc=test#cn=fixed,dc=bank,dc=test");
        assertTrue(refusal(p).startsWith("UserDNPattern: 'cn=fixed,dc=bank,dc=test'"));
        p.put("UserDNPattern", "uid={0},ou=Users,dc=bank,dc=test#cn={0},ou=Staff,dc=bank,dc=test");
        assertEquals(2, LdapSettings.parse(p).userDnPatterns().size());
    }

    @Test
    void requiresAGroupSearchBaseUnlessGroupsComeFromTheUserEntry() {
        Map<String, String> p = minimal();
        p.remove("GroupSearchBase");
        assertTrue(refusal(p).startsWith("GroupSearchBase is missing"));
        p.put("MemberOfAttribute", "memberOf");
        assertTrue(LdapSettings.parse(p).groupsFromUserEntry());
        p.remove("MemberOfAttribute");
        p.put("ReadGroups", "false");
        assertFalse(LdapSettings.parse(p).readGroups());
    }

    @Test
    void listsThePropertiesItIgnores() {
        Map<String, String> p = minimal();
        p.put("MaxUserNameListLength", "100");
        p.put("PasswordHashMethod", "PLAIN_TEXT");
        p.put("Disabled", "false");
        p.put("DomainName", "BANK.TEST");
        p.put("felix.fileinstall.filename", "file:/x");
        assertEquals(Set.of("MaxUserNameListLength", "PasswordHashMethod"), LdapSettings.parse(p).ignored());
    }
}
