/** Cluster services: the invalidation bus that keeps node-local caches coherent, and shared short-lived state. */
@org.osgi.annotation.versioning.Version("1.2.0")
package org.obkm.api.cluster;
