package org.obkm.oauth.internal.flow;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.obkm.api.bank.BankAccount;
import org.obkm.api.bank.BankAccounts;
import org.obkm.api.bank.BankUnavailableException;
import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentService;
import org.obkm.api.consent.ConsentType;
import org.obkm.api.flow.ConsentDetails;
import org.obkm.api.flow.ConsentDetails.AccountChoice;
import org.obkm.api.flow.ConsentDetails.Fact;
import org.obkm.api.flow.ConsentDetails.Selection;
import org.obkm.api.flow.Permission;
import org.obkm.oauth.internal.consent.ConsentBinding;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Plays an open-banking consent back to the PSU on the consent page (UK Read/Write API v3.1, "Consent
 * Authorisation"): each permission explained ({@link AisPermissions}), a payment's amount, creditor and
 * reference, the expiry, and the PSU's accounts from the bank's backend ({@link BankAccounts}) to choose
 * from; and checks the PSU's choice: one or more of their accounts for account access, exactly one for a
 * payment that names no debtor account, and for a payment or funds check that names one, that account,
 * which must be the PSU's.
 */
@Component(service = ConsentPlayback.class)
public final class ConsentPlayback {

    static final String WITHDRAWN = "This request can no longer be approved: the application withdrew it or it"
            + " expired. Return to the application and start again.";
    static final String BANK_DOWN = "We cannot show your accounts right now. Please try again in a few minutes.";
    static final String NO_ACCOUNT = "You hold no account this request could use.";
    static final String NOT_YOURS = "The account this request names is not one of your accounts.";
    static final String PICK_SOME = "Select at least one account to share.";
    static final String PICK_ONE = "Select the account to pay from.";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm 'UTC'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Logger LOG = LoggerFactory.getLogger(ConsentPlayback.class);

    private final ConsentBinding binding;

    /** The bank's backend: the highest-ranked one; none where no backend is installed. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BankAccounts bank;

    @Activate
    public ConsentPlayback(@Reference ConsentBinding binding) {
        this.binding = binding;
    }

    /** With this backend (or null): for tests. */
    ConsentPlayback(ConsentBinding binding, BankAccounts bank) {
        this.binding = binding;
        this.bank = bank;
    }

    /** The consent service, or null where this node serves no consents. */
    public ConsentService consents() {
        return binding.service();
    }

    /** The PSU's choice as the consent is authorised with it, or why it is refused ({@code problem} set). */
    public record Choice(List<String> accounts, String problem) {
        static Choice refused(String problem) {
            return new Choice(List.of(), problem);
        }
    }

    /** The consent this authorization is for, as the PSU reads it; empty for an unknown consent. */
    public Optional<ConsentDetails> details(String consentId, String subject, String username) {
        Optional<Consent> found = consent(consentId);
        if (found.isEmpty()) {
            return Optional.of(new ConsentDetails(consentId, "", List.of(), List.of(), List.of(), Selection.NONE,
                    WITHDRAWN));
        }
        Consent c = found.get();
        Map<String, Object> data = json(c.data());
        List<Fact> facts = new ArrayList<>();
        List<Permission> permissions = new ArrayList<>();
        String title;
        Map<String, Object> debtor;
        switch (c.type()) {
            case ACCOUNT_ACCESS -> {
                title = "Share your account information";
                ConsentBinding.permissions(c).forEach(p -> permissions.add(AisPermissions.explain(p)));
                debtor = null;
                fromTo(data, facts);
            }
            case DOMESTIC_PAYMENT -> {
                title = "Make a payment";
                Map<String, Object> initiation = object(data, "Initiation");
                Map<String, Object> amount = object(initiation, "InstructedAmount");
                facts.add(new Fact("amount", "Amount", text(amount, "Amount") + " " + text(amount, "Currency")));
                Map<String, Object> creditor = object(initiation, "CreditorAccount");
                facts.add(new Fact("creditor", "To", join(text(creditor, "Name"), text(creditor, "Identification"))));
                Map<String, Object> remittance = object(initiation, "RemittanceInformation");
                String reference = join(text(remittance, "Reference"), text(remittance, "Unstructured"));
                if (!reference.isEmpty()) {
                    facts.add(new Fact("reference", "Reference", reference));
                }
                debtor = initiation.get("DebtorAccount") instanceof Map<?, ?> ? object(initiation, "DebtorAccount") : null;
            }
            default -> {
                title = "Confirm that funds are available";
                permissions.add(new Permission("FundsConfirmation", "Check whether your account has enough money",
                        "The application asks yes or no for an amount; it never sees your balance."));
                debtor = object(data, "DebtorAccount");
            }
        }
        facts.add(new Fact("expires", "Expires", c.expiresAt() == null ? "Never; until you withdraw it"
                : WHEN.format(c.expiresAt())));
        List<BankAccount> accounts;
        try {
            accounts = accountsOf(subject, username);
        } catch (BankUnavailableException e) {
            LOG.warn("Bank backend unavailable for the consent page: {}", e.getMessage());
            return Optional.of(new ConsentDetails(c.id(), title, permissions, facts, List.of(),
                    debtor == null ? selection(c.type()) : Selection.NONE, BANK_DOWN));
        }
        if (debtor != null) {
            Optional<BankAccount> named = named(accounts, debtor);
            facts.add(new Fact("debtor", "From", join(text(debtor, "Name"), text(debtor, "Identification"))));
            return Optional.of(new ConsentDetails(c.id(), title, permissions, facts,
                    named.map(a -> List.of(choice(a))).orElse(List.of()), Selection.NONE,
                    named.isPresent() ? "" : NOT_YOURS));
        }
        List<AccountChoice> choices = accounts.stream().map(ConsentPlayback::choice).toList();
        return Optional.of(new ConsentDetails(c.id(), title, permissions, facts, choices, selection(c.type()),
                choices.isEmpty() ? NO_ACCOUNT : ""));
    }

    /** Checks the PSU's selection against the consent and their accounts as the bank has them now. */
    public Choice choose(String consentId, String subject, String username, List<String> selected) {
        Optional<Consent> found = consent(consentId);
        if (found.isEmpty()) {
            return Choice.refused(WITHDRAWN);
        }
        Consent c = found.get();
        List<BankAccount> accounts;
        try {
            accounts = accountsOf(subject, username);
        } catch (BankUnavailableException e) {
            LOG.warn("Bank backend unavailable for a consent decision: {}", e.getMessage());
            return Choice.refused(BANK_DOWN);
        }
        Map<String, Object> data = json(c.data());
        Map<String, Object> debtor = switch (c.type()) {
            case DOMESTIC_PAYMENT -> object(data, "Initiation").get("DebtorAccount") instanceof Map<?, ?>
                    ? object(object(data, "Initiation"), "DebtorAccount") : null;
            case FUNDS_CONFIRMATION -> object(data, "DebtorAccount");
            default -> null;
        };
        if (debtor != null) {
            return named(accounts, debtor).map(a -> new Choice(List.of(a.accountId()), ""))
                    .orElse(Choice.refused(NOT_YOURS));
        }
        LinkedHashSet<String> picked = new LinkedHashSet<>(selected == null ? List.of() : selected);
        List<String> held = accounts.stream().map(BankAccount::accountId).toList();
        if (!held.containsAll(picked)) {
            LOG.warn("Consent {}: the PSU posted an account that is not theirs; refused", consentId);
            return Choice.refused(NOT_YOURS);
        }
        if (c.type() == ConsentType.ACCOUNT_ACCESS) {
            return picked.isEmpty() ? Choice.refused(PICK_SOME) : new Choice(List.copyOf(picked), "");
        }
        return picked.size() == 1 ? new Choice(List.copyOf(picked), "") : Choice.refused(PICK_ONE);
    }

    private Optional<Consent> consent(String consentId) {
        ConsentService service = binding.service();
        return service == null ? Optional.empty() : service.find(consentId).filter(c -> !c.isDeleted());
    }

    private List<BankAccount> accountsOf(String subject, String username) throws BankUnavailableException {
        BankAccounts backend = bank;
        if (backend == null) {
            throw new BankUnavailableException("no bank backend is installed");
        }
        try {
            return backend.accountsOf(subject, username);
        } catch (RuntimeException e) {
            throw new BankUnavailableException("the bank backend failed: " + e, e);
        }
    }

    private static Selection selection(ConsentType type) {
        return type == ConsentType.ACCOUNT_ACCESS ? Selection.MANY : Selection.ONE;
    }

    private static Optional<BankAccount> named(List<BankAccount> accounts, Map<String, Object> debtor) {
        String scheme = text(debtor, "SchemeName");
        String id = text(debtor, "Identification");
        return accounts.stream().filter(a -> a.isIdentifiedBy(scheme, id)).findFirst();
    }

    private static AccountChoice choice(BankAccount a) {
        String number = a.identification().isEmpty() ? "" : ", " + a.identification();
        String currency = a.currency().isEmpty() ? "" : " (" + a.currency() + ")";
        return new AccountChoice(a.accountId(), a.name() + number + currency);
    }

    private static void fromTo(Map<String, Object> data, List<Fact> facts) {
        String from = text(data, "TransactionFromDateTime");
        String to = text(data, "TransactionToDateTime");
        if (!from.isEmpty()) {
            facts.add(new Fact("transactions-from", "Transactions from", from));
        }
        if (!to.isEmpty()) {
            facts.add(new Fact("transactions-to", "Transactions until", to));
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + ", " + b;
    }

    private static Map<String, Object> json(String text) {
        try {
            return text == null ? Map.of() : JSONObjectUtils.parse(text);
        } catch (java.text.ParseException e) {
            return Map.of();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> m, String key) {
        return m.get(key) instanceof Map<?, ?> o ? (Map<String, Object>) o : Map.of();
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : v.toString();
    }
}
