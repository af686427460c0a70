package org.obkm.oauth.internal.flow;

import java.util.Map;

import org.obkm.api.flow.Permission;

/**
 * The account-access permissions of the UK Read/Write API v3.1 (OBReadConsent1 {@code Data.Permissions},
 * "Permissions" in the Account and Transaction API profile) in plain words for the PSU.
 */
final class AisPermissions {

    private static final Map<String, String[]> WORDS = Map.ofEntries(
            Map.entry("ReadAccountsBasic", words("Your account names", "The names and types of the accounts you choose.")),
            Map.entry("ReadAccountsDetail", words("Your account names and numbers",
                    "The names, types, sort codes and account numbers of the accounts you choose.")),
            Map.entry("ReadBalances", words("Your balances", "How much money is in each account.")),
            Map.entry("ReadBeneficiariesBasic", words("Your payees", "The people and companies you have set up to pay.")),
            Map.entry("ReadBeneficiariesDetail", words("Your payees and their account details",
                    "The people and companies you pay, with their account numbers.")),
            Map.entry("ReadDirectDebits", words("Your Direct Debits", "Who collects Direct Debits from you.")),
            Map.entry("ReadOffers", words("Offers on your accounts", "Offers such as overdraft or credit limit changes.")),
            Map.entry("ReadPAN", words("Your card numbers", "The full numbers of your cards, where shown.")),
            Map.entry("ReadParty", words("The account holders' details", "Names, addresses and contact details of the"
                    + " account holders.")),
            Map.entry("ReadPartyPSU", words("Your contact details", "Your name, address, phone number and email.")),
            Map.entry("ReadProducts", words("Your account types and terms", "Product details such as interest rates"
                    + " and fees.")),
            Map.entry("ReadScheduledPaymentsBasic", words("Your scheduled payments", "Payments you have set up for"
                    + " a future date.")),
            Map.entry("ReadScheduledPaymentsDetail", words("Your scheduled payments and their payees' details",
                    "Payments set up for a future date, with the payees' account numbers.")),
            Map.entry("ReadStandingOrdersBasic", words("Your standing orders", "Regular payments you have set up.")),
            Map.entry("ReadStandingOrdersDetail", words("Your standing orders and their payees' details",
                    "Regular payments, with the payees' account numbers.")),
            Map.entry("ReadStatementsBasic", words("Your statements", "Your account statements, without amounts.")),
            Map.entry("ReadStatementsDetail", words("Your statements with amounts", "Your account statements in full.")),
            Map.entry("ReadTransactionsBasic", words("Your transactions", "Dates and descriptions of your transactions.")),
            Map.entry("ReadTransactionsDetail", words("Your transactions in detail",
                    "Amounts, dates, descriptions and the other party's details.")),
            Map.entry("ReadTransactionsCredits", words("Money paid in", "Transactions that paid money into the account.")),
            Map.entry("ReadTransactionsDebits", words("Money paid out", "Transactions that took money out of the"
                    + " account.")));

    private AisPermissions() {
    }

    /** The permission in plain words; an unknown code (validated at creation, so none) reads as itself. */
    static Permission explain(String code) {
        String[] w = WORDS.get(code);
        return w == null ? new Permission(code, code, "") : new Permission(code, w[0], w[1]);
    }

    private static String[] words(String title, String description) {
        return new String[] {title, description};
    }
}
