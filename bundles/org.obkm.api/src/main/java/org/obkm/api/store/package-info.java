/** Repositories on the shared RDBMS that other bundles build their services on. */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.obkm.api.store;
