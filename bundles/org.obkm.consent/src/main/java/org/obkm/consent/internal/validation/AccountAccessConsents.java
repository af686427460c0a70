package org.obkm.consent.internal.validation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * OBReadConsent1, the body of {@code POST /aisp/account-access-consents} (Account and Transaction API
 * v3.1, account-access-consents; profile section "Permissions"): at least one permission, each a known
 * code, ReadAccountsBasic or ReadAccountsDetail among them, transaction Basic/Detail only together with
 * Credits/Debits and the other way round; the dates ISO 8601 with their offset, the expiration in the
 * future, the transaction window not reversed; {@code Risk} present (an empty object for AIS).
 */
public final class AccountAccessConsents {

    /** OBExternalPermissions1Code. */
    public static final Set<String> PERMISSIONS = Set.of("ReadAccountsBasic", "ReadAccountsDetail", "ReadBalances",
            "ReadBeneficiariesBasic", "ReadBeneficiariesDetail", "ReadDirectDebits", "ReadOffers", "ReadPAN",
            "ReadParty", "ReadPartyPSU", "ReadProducts", "ReadScheduledPaymentsBasic", "ReadScheduledPaymentsDetail",
            "ReadStandingOrdersBasic", "ReadStandingOrdersDetail", "ReadStatementsBasic", "ReadStatementsDetail",
            "ReadTransactionsBasic", "ReadTransactionsCredits", "ReadTransactionsDebits", "ReadTransactionsDetail");

    private AccountAccessConsents() {
    }

    public static ValidConsent validate(Map<String, Object> body, Instant now) throws ValidationException {
        Fields f = new Fields();
        Map<String, Object> data = f.object(body, "Data", "Data", true);
        Map<String, Object> risk = f.object(body, "Risk", "Risk", true);
        Instant expires = null;
        if (data != null) {
            permissions(f, data.get("Permissions"));
            expires = f.expiration(data, "Data.ExpirationDateTime", now);
            Instant from = f.dateTime(data, "TransactionFromDateTime", "Data.TransactionFromDateTime");
            Instant to = f.dateTime(data, "TransactionToDateTime", "Data.TransactionToDateTime");
            if (from != null && to != null && from.isAfter(to)) {
                f.add(UkError.FIELD_INVALID_DATE, "Data.TransactionFromDateTime must not be after"
                        + " Data.TransactionToDateTime", "Data.TransactionFromDateTime");
            }
        }
        f.throwIfAny();
        return new ValidConsent(JSONObjectUtils.toJSONString(data), JSONObjectUtils.toJSONString(risk), expires);
    }

    private static void permissions(Fields f, Object value) {
        String path = "Data.Permissions";
        if (value == null) {
            f.add(UkError.FIELD_MISSING, path + " is required", path);
            return;
        }
        if (!(value instanceof List<?> list)) {
            f.add(UkError.FIELD_INVALID, path + " must be an array of permission codes", path);
            return;
        }
        if (list.isEmpty()) {
            f.add(UkError.FIELD_INVALID, path + " must name at least one permission", path);
            return;
        }
        Set<String> codes = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof String s && PERMISSIONS.contains(s)) {
                codes.add(s);
            } else {
                unknown.add(String.valueOf(o));
            }
        }
        if (!unknown.isEmpty()) {
            f.add(UkError.FIELD_INVALID, path + " has unsupported codes: " + String.join(", ", unknown), path);
            return;
        }
        if (!codes.contains("ReadAccountsBasic") && !codes.contains("ReadAccountsDetail")) {
            f.add(UkError.FIELD_INVALID, path + " must include ReadAccountsBasic or ReadAccountsDetail", path);
        }
        boolean basicOrDetail = codes.contains("ReadTransactionsBasic") || codes.contains("ReadTransactionsDetail");
        boolean creditsOrDebits = codes.contains("ReadTransactionsCredits") || codes.contains("ReadTransactionsDebits");
        if (basicOrDetail && !creditsOrDebits) {
            f.add(UkError.FIELD_INVALID, path + ": ReadTransactionsBasic or ReadTransactionsDetail needs"
                    + " ReadTransactionsCredits or ReadTransactionsDebits", path);
        }
        if (creditsOrDebits && !basicOrDetail) {
            f.add(UkError.FIELD_INVALID, path + ": ReadTransactionsCredits or ReadTransactionsDebits needs"
                    + " ReadTransactionsBasic or ReadTransactionsDetail", path);
        }
    }
}
