/**
 * The cluster's settings: one source of truth in the shared database for every per-cluster key of the
 * {@code etc/org.obkm.*.cfg} configurations, applied by every node to its own configurations, and the
 * drift between members made visible.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.obkm.api.settings;
