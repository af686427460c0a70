/** Signing keys (RFC 7517 JWKs) and secrets shared by every node of the cluster. */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.obkm.api.keys;
