/** OAuth clients: registration, lookup and credential checks (RFC 6749 section 2, RFC 7591 metadata names). */
@org.osgi.annotation.versioning.Version("1.5.0")
package org.obkm.api.client;
