package org.obkm.api.flow;

import java.util.List;
import java.util.Objects;

/**
 * The open-banking consent an authorization is for, in plain words for the consent page (UK Open
 * Banking Read/Write API v3.1, "Consent Authorisation": the ASPSP plays the consent back to the PSU, who
 * selects the accounts and approves or rejects it as a whole). Every string is plain text.
 *
 * @param consentId the ConsentId
 * @param title what kind of consent, such as "Share account information"
 * @param permissions each permission the consent asks for, explained; empty for a payment
 * @param facts the consent's particulars: the payment's amount, creditor and reference, the expiry
 * @param accounts the PSU's accounts to choose from ({@link Selection#NONE}: the account the consent names)
 * @param selection how many accounts the PSU picks
 * @param problem why the consent cannot be approved now (the bank's systems are down, the PSU holds no
 *        account the consent could use), or empty
 */
public record ConsentDetails(String consentId, String title, List<Permission> permissions, List<Fact> facts,
        List<AccountChoice> accounts, Selection selection, String problem) {

    /** How the PSU picks accounts. */
    public enum Selection {
        /** Nothing to pick: the consent names its account (a payment's or funds check's DebtorAccount). */
        NONE,
        /** Exactly one: the account a payment is made from. */
        ONE,
        /** One or more: the accounts whose information is shared. */
        MANY
    }

    /**
     * One particular of a consent.
     *
     * @param code a stable name for tests and styling: {@code amount}, {@code creditor}, {@code reference},
     *        {@code expires}, {@code debtor}, ...
     * @param label what the page shows before the value
     * @param value the value
     */
    public record Fact(String code, String label, String value) {
        public Fact {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(label, "label");
            value = value == null ? "" : value;
        }
    }

    /**
     * An account the PSU may choose.
     *
     * @param accountId the value the form posts back
     * @param label how the page names it, such as "Current account, 80200110203345 (GBP)"
     */
    public record AccountChoice(String accountId, String label) {
        public AccountChoice {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(label, "label");
        }
    }

    public ConsentDetails {
        Objects.requireNonNull(consentId, "consentId");
        Objects.requireNonNull(selection, "selection");
        title = title == null ? "" : title;
        permissions = permissions == null ? List.of() : List.copyOf(permissions);
        facts = facts == null ? List.of() : List.copyOf(facts);
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        problem = problem == null ? "" : problem;
    }
}
