/**
 * The bank's backend as the key manager needs it: the accounts of a PSU, offered on the consent page
 * for the PSU to choose from (UK Open Banking Read/Write API v3.1, Account and Transaction API profile,
 * "Consent Authorisation": the PSU selects the accounts at the ASPSP). A bank plugs in its own
 * {@link BankAccounts}; the consent bundle ships a demo one configured per user.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.obkm.api.bank;
