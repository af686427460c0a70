package org.obkm.oauth.internal.endpoint;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.obkm.api.resource.ResourceAccess;
import org.obkm.api.resource.ResourceRequest;
import org.obkm.api.resource.ResourceTokenException;
import org.obkm.api.resource.ResourceTokens;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.policy.PolicyEvent;
import org.obkm.oauth.internal.policy.ResourcePolicy;
import org.obkm.oauth.internal.token.AccessTokenIssuer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;

/**
 * {@link ResourceTokens} for the resources of other bundles: the check {@link ResourceRequests} makes at
 * userinfo, with the client's profile asked at {@link PolicyEvent#RESOURCE}.
 */
@Component(service = ResourceTokens.class)
public final class ResourceTokensService implements ResourceTokens {

    private final ResourceRequests requests;
    private final ResourcePolicy policy;

    @Activate
    public ResourceTokensService(@Reference ResourceRequests requests, @Reference ResourcePolicy policy) {
        this.requests = requests;
        this.policy = policy;
    }

    @Override
    public ResourceAccess verify(ResourceRequest request) throws ResourceTokenException {
        boolean dpop = ResourceRequests.isDpop(request.header("Authorization"));
        try {
            JWTClaimsSet c = requests.verify(request, token -> policy.enforce(PolicyEvent.RESOURCE, token)).claims();
            Object scope = c.getClaim("scope");
            Set<String> scopes = scope == null ? Set.of() : Set.copyOf(Scope.parse(scope.toString()).toStringList());
            return new ResourceAccess(String.valueOf(c.getClaim("client_id")), c.getSubject(), scopes,
                    c.getClaim(AccessTokenIssuer.GRANT_ID) != null, c.getJWTID(), c.getExpirationTime().toInstant(),
                    c.getClaims());
        } catch (OAuthException e) {
            ErrorObject error = e.error();
            Map<String, String> headers = new HashMap<>(e.headers());
            headers.putIfAbsent("WWW-Authenticate", ResourceRequests.challenge(dpop, error.getCode()));
            throw new ResourceTokenException(error.getHTTPStatusCode(), error.getCode(), error.getDescription(),
                    headers);
        }
    }
}
