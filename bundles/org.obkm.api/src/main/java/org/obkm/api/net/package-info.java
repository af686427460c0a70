/** Network value types shared by the bundles that decide by a peer's address (trusted proxies, /metrics). */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.obkm.api.net;
