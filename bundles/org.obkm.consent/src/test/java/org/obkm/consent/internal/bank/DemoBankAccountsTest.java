package org.obkm.consent.internal.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.obkm.api.bank.BankAccount;

/** The demo backend's configuration: accounts per user, * for everyone else, bad entries left out. */
class DemoBankAccountsTest {

    private static DemoBankAccounts demo(String... accounts) {
        return new DemoBankAccounts(new DemoBankConfig() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return DemoBankConfig.class;
            }

            @Override
            public String[] accounts() {
                return accounts;
            }
        });
    }

    @Test
    void userWithOwnEntriesGetsThemAndEveryoneElseTheWildcardOnes() {
        DemoBankAccounts d = demo("alice|1|Current|UK.OBIE.SortCodeAccountNumber|80200110203345|GBP",
                "*|9|Shared|UK.OBIE.IBAN|GB76LOYD30949301273801|EUR");
        assertEquals(List.of(new BankAccount("1", "Current", "UK.OBIE.SortCodeAccountNumber", "80200110203345", "GBP")),
                d.accountsOf("sub-a", "alice"));
        assertEquals("9", d.accountsOf("sub-b", "bob").get(0).accountId());
    }

    @Test
    void commaSeparatedValueFromFileInstallIsSplit() {
        Map<String, List<BankAccount>> m = DemoBankAccounts.parse(new String[] {
            "bob|1|A|s|111|GBP, bob|2|B|s|222|GBP"});
        assertEquals(2, m.get("bob").size());
    }

    @Test
    void malformedEntriesAreLeftOut() {
        Map<String, List<BankAccount>> m = DemoBankAccounts.parse(new String[] {"bob|1|too|few", "|2|A|s|1|GBP",
            "bob|" + "x".repeat(41) + "|A|s|1|GBP", "bob|3|A|s|1|GBP"});
        assertEquals(List.of("3"), m.get("bob").stream().map(BankAccount::accountId).toList());
        assertTrue(demo().accountsOf("s", "nobody").isEmpty(), "no entries, no accounts");
    }

    @Test
    void debtorAccountMatchesByIdentificationIgnoringSpacesAndCase() {
        BankAccount a = new BankAccount("1", "A", "UK.OBIE.IBAN", "GB76LOYD30949301273801", "EUR");
        assertTrue(a.isIdentifiedBy("UK.OBIE.IBAN", "gb76 loyd 3094 9301 2738 01"));
        assertTrue(!a.isIdentifiedBy("UK.OBIE.SortCodeAccountNumber", "GB76LOYD30949301273801"));
    }
}
