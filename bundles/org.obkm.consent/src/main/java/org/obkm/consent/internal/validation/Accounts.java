package org.obkm.consent.internal.validation;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * An account identification (OBCashAccountDebtor4 / OBCashAccountCreditor3): SchemeName from the
 * OBExternalAccountIdentification4Code namespace, Identification Max256 (and in the scheme's form for
 * the schemes whose form is fixed), Name Max350, SecondaryIdentification Max34.
 */
final class Accounts {

    static final String SORT_CODE = "UK.OBIE.SortCodeAccountNumber";
    static final String IBAN = "UK.OBIE.IBAN";
    /** 6-digit sort code followed by an 8-digit account number. */
    private static final Pattern SORT_CODE_ACCOUNT = Pattern.compile("^\\d{14}$");
    /** ISO 13616: country, check digits, up to 30 alphanumerics. */
    private static final Pattern IBAN_FORM = Pattern.compile("^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$");
    private static final java.util.List<String> SCHEMES = java.util.List.of(SORT_CODE, IBAN, "UK.OBIE.BBAN",
            "UK.OBIE.PAN", "UK.OBIE.Paym");

    private Accounts() {
    }

    static void check(Fields f, Map<String, Object> account, String path, boolean nameRequired) {
        if (account == null) {
            return;
        }
        String scheme = f.text(account, "SchemeName", path + ".SchemeName", 40, true);
        String id = f.text(account, "Identification", path + ".Identification", 256, true);
        f.text(account, "Name", path + ".Name", 350, nameRequired);
        f.text(account, "SecondaryIdentification", path + ".SecondaryIdentification", 34, false);
        if (scheme == null) {
            return;
        }
        if (!SCHEMES.contains(scheme)) {
            f.add(UkError.UNSUPPORTED_SCHEME, path + ".SchemeName " + scheme + " is not supported; use one of "
                    + String.join(", ", SCHEMES), path + ".SchemeName");
        } else if (id != null && SORT_CODE.equals(scheme) && !SORT_CODE_ACCOUNT.matcher(id).matches()) {
            f.add(UkError.UNSUPPORTED_ACCOUNT_IDENTIFIER, path + ".Identification must be a 6-digit sort code and"
                    + " an 8-digit account number (14 digits) for " + SORT_CODE, path + ".Identification");
        } else if (id != null && IBAN.equals(scheme) && !IBAN_FORM.matcher(id).matches()) {
            f.add(UkError.UNSUPPORTED_ACCOUNT_IDENTIFIER, path + ".Identification is not an IBAN", path
                    + ".Identification");
        }
    }
}
