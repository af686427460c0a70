package org.obkm.consent.internal.validation;

import java.util.Map;

/** OBActiveOrHistoricCurrencyAndAmount: Amount {@code ^\d{1,13}$|^\d{1,13}\.\d{1,5}$}, Currency ISO 4217. */
final class Amounts {

    private Amounts() {
    }

    static void check(Fields f, Map<String, Object> amount, String path) {
        if (amount == null) {
            return;
        }
        f.matching(amount, "Amount", path + ".Amount", Fields.AMOUNT, true);
        f.matching(amount, "Currency", path + ".Currency", Fields.CURRENCY, true);
    }
}
