/**
 * What a protected resource served by an OBKM bundle other than the OAuth one (the consent resources)
 * asks of the OAuth bundle: the access token check ({@link ResourceTokens}: active, admitted by its
 * client's profile, presented as it is bound: DPoP, RFC 9449 §7; mutual TLS, RFC 8705 §3) and the
 * check of a TPP's detached request signature with its registered keys ({@link MessageSignatures}).
 * Token internals and client keys stay in the OAuth bundle.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.obkm.api.resource;
