/** Token state that outlives a node: revocations (RFC 7009). */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.obkm.api.token;
