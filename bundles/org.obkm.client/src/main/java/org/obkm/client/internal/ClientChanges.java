package org.obkm.client.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import org.obkm.api.client.Client;
import org.obkm.api.client.ClientPolicies;
import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.ClientUpdate;
import org.obkm.api.client.JarmAlgorithms;

/**
 * A client after a {@link ClientUpdate}: the changed metadata validated as a registration is, then held to
 * its profile. A new profile brings its own requirements unless the update names them; the same profile
 * keeps the record's.
 */
final class ClientChanges {

    private ClientChanges() {
    }

    /** The JARM metadata as stored: the content encryption made explicit where the algorithm implies it. */
    static JarmAlgorithms stored(JarmAlgorithms j) {
        return new JarmAlgorithms(j.signingAlg(), j.encryptionAlg(), j.encrypted() ? j.encryptionEncOrDefault() : null);
    }

    /** Each null keeps the stored value, a blank removes it; no encryption algorithm, no content encryption. */
    private static JarmAlgorithms jarm(JarmAlgorithms current, JarmAlgorithms change) {
        if (change == null) {
            return current;
        }
        String sig = change.signingAlg() == null ? current.signingAlg() : ClientServiceImpl.blankToNull(change.signingAlg());
        String alg = change.encryptionAlg() == null ? current.encryptionAlg()
                : ClientServiceImpl.blankToNull(change.encryptionAlg());
        String enc = change.encryptionEnc() != null ? ClientServiceImpl.blankToNull(change.encryptionEnc())
                : alg == null ? null : Objects.equals(alg, current.encryptionAlg()) ? current.encryptionEnc() : null;
        return new JarmAlgorithms(sig, alg, enc);
    }

    static Client apply(Client c, ClientUpdate u, ClientPolicies policies) {
        String name = u.name() == null ? c.name() : u.name().strip();
        String jwks = u.jwks() == null ? c.jwks() : ClientServiceImpl.blankToNull(u.jwks());
        String jwksUri = u.jwksUri() == null ? c.jwksUri() : ClientServiceImpl.blankToNull(u.jwksUri());
        String dn = u.tlsSubjectDn() == null ? c.tlsSubjectDn() : ClientServiceImpl.blankToNull(u.tlsSubjectDn());
        JarmAlgorithms jarm = jarm(c.jarm(), u.jarm());
        ClientRegistration asRegistered = new ClientRegistration(name,
                u.grantTypes() == null ? c.grantTypes() : u.grantTypes(), u.scopes() == null ? c.scopes() : u.scopes(),
                c.authMethod(), jwks, jwksUri, u.redirectUris() == null ? c.redirectUris() : u.redirectUris(), dn,
                null, null, null, jarm);
        ClientRegistrationValidator.validate(asRegistered);
        Client candidate = new Client(c.clientId(), name, asRegistered.grantTypes(), asRegistered.scopes(),
                c.authMethod(), c.secretHash(), jwks, jwksUri, asRegistered.redirectUris(), dn, c.createdAt(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), c.policy(), stored(jarm),
                u.software() == null ? c.software() : u.software());
        String profile = u.profile() == null ? c.policy().profile() : ClientServiceImpl.blankToNull(u.profile());
        boolean sameProfile = c.policy().assigned() && Objects.equals(profile, c.policy().profile());
        // Boxed on purpose: a ternary of Boolean and boolean would unbox a null into a NullPointerException.
        Boolean par = u.parRequired() != null || !sameProfile ? u.parRequired()
                : Boolean.valueOf(c.policy().parRequired());
        Boolean sender = u.senderConstrained() != null || !sameProfile ? u.senderConstrained()
                : Boolean.valueOf(c.policy().senderConstrained());
        return candidate.withPolicy(policies.resolve(candidate, profile, par, sender));
    }
}
