/**
 * What the node tests (Pax Exam, one container) and the cluster tests (separate node JVMs) share:
 * verified HTTPS to a node ({@link org.obkm.itests.support.Https}, {@link org.obkm.itests.support.Tls}),
 * waits with deadlines ({@link org.obkm.itests.support.Await}), a FAPI 2.0 client
 * ({@link org.obkm.itests.support.FlowClient}: RFC 9126 PAR with an RFC 9101 request object, RFC 7523
 * client assertions, RFC 7636 PKCE, RFC 9449 DPoP) and the browser of its users
 * ({@link org.obkm.itests.support.Browser}, {@link org.obkm.itests.support.Html}), client assertions made
 * wrong on purpose ({@link org.obkm.itests.support.ClientAssertions}) and a test PKI for RFC 8705 mutual
 * TLS ({@link org.obkm.itests.support.TestCertificates}). Plain JDK, Nimbus and BouncyCastle, no test
 * framework: failures are {@link java.lang.AssertionError}s, which JUnit 4 and 5 both report.
 */
@Version("0.1.0")
package org.obkm.itests.support;

import org.osgi.annotation.versioning.Version;
