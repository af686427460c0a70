/** Health indicators that the /health endpoint aggregates for load balancer checks. */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.obkm.api.health;
