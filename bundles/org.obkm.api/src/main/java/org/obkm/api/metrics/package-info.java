/** Events the endpoints report to the node's metrics ({@code /metrics}). */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.obkm.api.metrics;
