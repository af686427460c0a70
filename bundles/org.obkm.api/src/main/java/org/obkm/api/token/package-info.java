/** Token state that outlives a node: revocations (RFC 7009), authorization grants, codes and refresh tokens. */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.obkm.api.token;
