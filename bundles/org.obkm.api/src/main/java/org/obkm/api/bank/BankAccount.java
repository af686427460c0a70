package org.obkm.api.bank;

import java.util.Objects;

/**
 * One account of a PSU, as the consent page offers it and a consent records it (its {@link #accountId}).
 *
 * @param accountId the bank's stable id of the account (UK OB {@code AccountId}, 1..40 characters)
 * @param name what the PSU calls it, such as "Current account"
 * @param schemeName the identification scheme, such as {@code UK.OBIE.SortCodeAccountNumber} or {@code UK.OBIE.IBAN}
 * @param identification the account's number in that scheme
 * @param currency ISO 4217 code of the account
 */
public record BankAccount(String accountId, String name, String schemeName, String identification, String currency) {

    public BankAccount {
        Objects.requireNonNull(accountId, "accountId");
        if (accountId.isEmpty() || accountId.length() > 40) {
            throw new IllegalArgumentException("accountId must be 1 to 40 characters");
        }
        name = name == null || name.isBlank() ? accountId : name;
        schemeName = schemeName == null ? "" : schemeName;
        identification = identification == null ? "" : identification;
        currency = currency == null ? "" : currency;
    }

    /** Whether this account is the one a consent names by scheme and identification (spaces and case ignored). */
    public boolean isIdentifiedBy(String scheme, String id) {
        return id != null && normalise(id).equals(normalise(identification))
                && (scheme == null || scheme.isEmpty() || schemeName.isEmpty() || scheme.equals(schemeName));
    }

    private static String normalise(String s) {
        return s.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
    }
}
