package org.obkm.oauth.internal.sender;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@code org.obkm.dpop}: which DPoP proofs (RFC 9449) the endpoints accept. */
@ObjectClassDefinition(name = "OBKM DPoP", description = "DPoP proof verification (RFC 9449)")
public @interface DpopConfig {

    @AttributeDefinition(description = "JWS algorithms accepted for DPoP proofs (RSA or EC only; none and HS* never)")
    public String[] algorithms() default {"PS256", "ES256"};

    @AttributeDefinition(description = "Oldest accepted proof: iat at most this many seconds in the past")
    public int iatMaxAgeSeconds() default 60;

    @AttributeDefinition(description = "Tolerated clock skew of the client: iat at most this many seconds in the future")
    public int iatMaxFutureSkewSeconds() default 10;

    @AttributeDefinition(description = "Require a server-provided nonce in every proof (RFC 9449 §8)")
    public boolean nonceRequired() default false;

    @AttributeDefinition(description = "A server nonce stays valid for at least this long and at most twice as long,"
            + " seconds")
    public int nonceValiditySeconds() default 300;
}
