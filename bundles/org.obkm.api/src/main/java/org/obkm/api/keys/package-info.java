/**
 * Signing keys (RFC 7517 JWKs) and secrets shared by every node of the cluster. Signing happens inside
 * the keys bundle ({@link org.obkm.api.keys.SigningService}); only public keys cross this api.
 */
@org.osgi.annotation.versioning.Version("2.0.0")
package org.obkm.api.keys;
