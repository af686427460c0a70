package org.obkm.api.client;

import java.util.Set;

/**
 * What dynamic client registration (RFC 7591, UK Open Banking DCR 3.3) records on a client beyond the OAuth
 * metadata of {@link Client}: the software statement it was registered with (its software, organisation,
 * roles, directory and environment), the signing algorithms and response types it registered, its
 * application type, the hash of its RFC 7592 registration access token, and whether an operator disabled it.
 * A client made in the shell has {@link #NONE}: no software statement, not disabled.
 *
 * @param softwareId the SSA's {@code software_id} (RFC 7591 §2), or {@code null}
 * @param organisationId the SSA's {@code org_id} (UK OB DCR 3.3, the TPP's directory organisation), or {@code null}
 * @param softwareRoles the SSA's {@code software_roles} (AISP, PISP, CBPII), empty for none
 * @param ssaIssuer the directory that signed the SSA (its {@code iss}), or {@code null}
 * @param softwareEnvironment the SSA's {@code software_environment}, or {@code null}
 * @param tokenEndpointAuthSigningAlg {@code token_endpoint_auth_signing_alg} (RFC 7591 §2), or {@code null}
 * @param idTokenSignedResponseAlg {@code id_token_signed_response_alg} (OIDC Registration §2), or {@code null}
 * @param requestObjectSigningAlg {@code request_object_signing_alg} (OIDC Registration §2), or {@code null}
 * @param responseTypes {@code response_types} (RFC 7591 §2), empty when none were registered
 * @param applicationType {@code application_type} ({@code web} or {@code native}), or {@code null}
 * @param registrationTokenHash hash of the RFC 7592 registration access token, or {@code null}; the token
 *        itself is shown once and never stored
 * @param disabled whether an operator disabled the client (it then authenticates nowhere)
 */
public record SoftwareRegistration(String softwareId, String organisationId, Set<String> softwareRoles,
        String ssaIssuer, String softwareEnvironment, String tokenEndpointAuthSigningAlg,
        String idTokenSignedResponseAlg, String requestObjectSigningAlg, Set<String> responseTypes,
        String applicationType, String registrationTokenHash, boolean disabled) {

    /** A client registered without a software statement, enabled. */
    public static final SoftwareRegistration NONE = new SoftwareRegistration(null, null, Set.of(), null, null, null,
            null, null, Set.of(), null, null, false);

    public SoftwareRegistration {
        softwareRoles = softwareRoles == null ? Set.of() : Set.copyOf(softwareRoles);
        responseTypes = responseTypes == null ? Set.of() : Set.copyOf(responseTypes);
    }

    /** Whether the client was registered with a software statement (by dynamic client registration). */
    public boolean hasSoftwareStatement() {
        return softwareId != null;
    }

    /** The same registration, disabled or enabled. */
    public SoftwareRegistration withDisabled(boolean newDisabled) {
        return new SoftwareRegistration(softwareId, organisationId, softwareRoles, ssaIssuer, softwareEnvironment,
                tokenEndpointAuthSigningAlg, idTokenSignedResponseAlg, requestObjectSigningAlg, responseTypes,
                applicationType, registrationTokenHash, newDisabled);
    }
}
