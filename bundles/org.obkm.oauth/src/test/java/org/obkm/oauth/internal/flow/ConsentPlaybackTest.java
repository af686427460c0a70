package org.obkm.oauth.internal.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.obkm.api.bank.BankAccount;
import org.obkm.api.bank.BankAccounts;
import org.obkm.api.bank.BankUnavailableException;
import org.obkm.api.consent.ConsentType;
import org.obkm.api.flow.ConsentDetails;
import org.obkm.api.flow.ConsentDetails.Selection;
import org.obkm.api.flow.Permission;
import org.obkm.oauth.internal.InMemoryConsents;
import org.obkm.oauth.internal.consent.ConsentBinding;

/** The consent page's playback of a consent and the rules of the PSU's account selection. */
class ConsentPlaybackTest {

    private static final BankAccount CURRENT = new BankAccount("22289", "Current account",
            "UK.OBIE.SortCodeAccountNumber", "80200110203345", "GBP");
    private static final BankAccount SAVINGS = new BankAccount("31820", "Savings account",
            "UK.OBIE.SortCodeAccountNumber", "80200110203348", "GBP");
    private static final BankAccounts BANK = (subject, username) -> List.of(CURRENT, SAVINGS);

    private final InMemoryConsents consents = new InMemoryConsents();
    private final ConsentPlayback playback = new ConsentPlayback(new ConsentBinding(consents, Clock.systemUTC()), BANK);

    private static Map<String, String> facts(ConsentDetails d) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        d.facts().forEach(f -> m.put(f.code(), f.value()));
        return m;
    }

    @Test
    void accountConsentExplainsEachPermissionTheExpiryAndOffersThePsusAccounts() {
        consents.put("a-1", ConsentType.ACCOUNT_ACCESS, "tpp-1", InMemoryConsents.ACCOUNT_DATA,
                Instant.parse("2099-08-02T00:00:00Z"));
        ConsentDetails d = playback.details("a-1", "psu-1", "alice").orElseThrow();
        assertEquals(Selection.MANY, d.selection());
        assertEquals(List.of("ReadAccountsDetail", "ReadBalances"), d.permissions().stream().map(Permission::code).toList());
        assertEquals("Your balances", d.permissions().get(1).title());
        assertEquals("2 August 2099, 00:00 UTC", facts(d).get("expires"));
        assertEquals(List.of("22289", "31820"), d.accounts().stream().map(ConsentDetails.AccountChoice::accountId).toList());
        assertTrue(d.accounts().get(0).label().contains("80200110203345"));
        assertEquals("", d.problem());
    }

    @Test
    void paymentConsentShowsAmountCreditorAndReference() {
        consents.put("p-1", ConsentType.DOMESTIC_PAYMENT, "tpp-1", InMemoryConsents.PAYMENT_DATA, null);
        ConsentDetails d = playback.details("p-1", "psu-1", "alice").orElseThrow();
        assertEquals(Selection.ONE, d.selection());
        assertEquals("165.88 GBP", facts(d).get("amount"));
        assertEquals("ACME Inc, 08080021325698", facts(d).get("creditor"));
        assertEquals("FRESCO-101", facts(d).get("reference"));
        assertEquals("Never; until you withdraw it", facts(d).get("expires"));
    }

    @Test
    void accountConsentNeedsAtLeastOneOfThePsusOwnAccounts() {
        consents.put("a-2", ConsentType.ACCOUNT_ACCESS, "tpp-1", InMemoryConsents.ACCOUNT_DATA, null);
        assertEquals(ConsentPlayback.PICK_SOME, playback.choose("a-2", "psu-1", "alice", List.of()).problem());
        assertEquals(ConsentPlayback.NOT_YOURS, playback.choose("a-2", "psu-1", "alice", List.of("99999")).problem());
        assertEquals(List.of("31820", "22289"),
                playback.choose("a-2", "psu-1", "alice", List.of("31820", "22289", "31820")).accounts());
    }

    @Test
    void paymentWithoutDebtorAccountNeedsExactlyOneAccount() {
        consents.put("p-2", ConsentType.DOMESTIC_PAYMENT, "tpp-1", InMemoryConsents.PAYMENT_DATA, null);
        assertEquals(ConsentPlayback.PICK_ONE, playback.choose("p-2", "psu-1", "alice", List.of()).problem());
        assertEquals(ConsentPlayback.PICK_ONE,
                playback.choose("p-2", "psu-1", "alice", List.of("22289", "31820")).problem());
        assertEquals(List.of("22289"), playback.choose("p-2", "psu-1", "alice", List.of("22289")).accounts());
    }

    @Test
    void fundsConfirmationUsesTheDebtorAccountItNamesWhenThePsuHoldsIt() {
        consents.put("f-1", ConsentType.FUNDS_CONFIRMATION, "tpp-1", "{\"DebtorAccount\":{\"SchemeName\":"
                + "\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"80200110203348\"}}", null);
        ConsentDetails d = playback.details("f-1", "psu-1", "alice").orElseThrow();
        assertEquals(Selection.NONE, d.selection());
        assertEquals(List.of("31820"), playback.choose("f-1", "psu-1", "alice", List.of("22289")).accounts(),
                "the named debtor account, whatever was posted");
        consents.put("f-2", ConsentType.FUNDS_CONFIRMATION, "tpp-1", "{\"DebtorAccount\":{\"SchemeName\":"
                + "\"UK.OBIE.IBAN\",\"Identification\":\"GB00NOTMINE0000000000\"}}", null);
        assertEquals(ConsentPlayback.NOT_YOURS, playback.details("f-2", "psu-1", "alice").orElseThrow().problem());
        assertEquals(ConsentPlayback.NOT_YOURS, playback.choose("f-2", "psu-1", "alice", List.of()).problem());
    }

    @Test
    void bankBackendDownGivesAClearProblemAndNoApproval() {
        BankAccounts down = (subject, username) -> {
            throw new BankUnavailableException("connection refused");
        };
        ConsentPlayback p = new ConsentPlayback(new ConsentBinding(consents, Clock.systemUTC()), down);
        consents.put("a-3", ConsentType.ACCOUNT_ACCESS, "tpp-1", InMemoryConsents.ACCOUNT_DATA, null);
        assertEquals(ConsentPlayback.BANK_DOWN, p.details("a-3", "psu-1", "alice").orElseThrow().problem());
        assertEquals(ConsentPlayback.BANK_DOWN, p.choose("a-3", "psu-1", "alice", List.of("22289")).problem());
    }

    @Test
    void deletedConsentCannotBeApproved() {
        consents.put("a-4", ConsentType.ACCOUNT_ACCESS, "tpp-1", InMemoryConsents.ACCOUNT_DATA, null);
        consents.delete("a-4", "client:tpp-1");
        assertEquals(ConsentPlayback.WITHDRAWN, playback.details("a-4", "psu-1", "alice").orElseThrow().problem());
        assertEquals(ConsentPlayback.WITHDRAWN, playback.choose("a-4", "psu-1", "alice", List.of("22289")).problem());
    }
}
