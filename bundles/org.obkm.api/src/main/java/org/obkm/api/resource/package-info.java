/**
 * The access token check of a protected resource served by an OBKM bundle other than the OAuth one
 * (the consent resources): the token is active, admitted by its client's profile, and presented as it
 * is bound (DPoP, RFC 9449 §7; mutual TLS, RFC 8705 §3). The OAuth bundle provides it; private keys
 * and token internals stay there.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.obkm.api.resource;
