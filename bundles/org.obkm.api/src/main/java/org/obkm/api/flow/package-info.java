/**
 * The browser part of an authorization (OpenID Connect Core 1.0 §3.1.2.3-3.1.2.4): the login and
 * consent pages, served by the web bundle, drive a flow that the authorization endpoint started and
 * that lives in the cluster's shared state, never in one node's memory. Any node can render any step;
 * a step posted to another node, or after the rendering node died, continues.
 */
@org.osgi.annotation.versioning.Version("1.2.0")
package org.obkm.api.flow;
