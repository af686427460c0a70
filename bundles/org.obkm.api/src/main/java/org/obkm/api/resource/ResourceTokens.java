package org.obkm.api.resource;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks the access token of a request to a protected resource, as the OAuth bundle checks it at
 * userinfo: in the {@code Authorization} header with the Bearer or DPoP scheme, active (signed by this
 * server, not expired, not revoked), admitted by its client's profile at the resource event
 * (sender-constrained where the profile asks), and presented as it is bound.
 */
@ProviderType
public interface ResourceTokens {

    /**
     * @throws ResourceTokenException the token is missing, inactive, refused by its client's profile or
     *         not presented as bound
     * @throws IllegalStateException a passing unavailability (database, cluster) that should be answered 503
     */
    ResourceAccess verify(ResourceRequest request) throws ResourceTokenException;
}
