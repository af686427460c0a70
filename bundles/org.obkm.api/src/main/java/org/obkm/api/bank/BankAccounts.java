package org.obkm.api.bank;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The accounts a PSU holds at the bank, from the bank's own systems. Registered as a service; the one
 * with the highest {@code service.ranking} answers. Called while the PSU looks at the consent page and
 * again when they approve, so it should answer in well under a second.
 */
@ConsumerType
public interface BankAccounts {

    /**
     * The PSU's accounts, in the order to show them; empty when the PSU holds none.
     *
     * @param subject the signed-in PSU's subject (the {@code sub} of their tokens)
     * @param username the name the PSU signed in with, such as {@code alice} or {@code DOMAIN/alice}
     * @throws BankUnavailableException the backend cannot answer now
     */
    List<BankAccount> accountsOf(String subject, String username) throws BankUnavailableException;
}
