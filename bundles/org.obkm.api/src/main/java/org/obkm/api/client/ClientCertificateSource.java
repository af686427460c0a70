package org.obkm.api.client;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The client certificate of a request (RFC 8705 §2), as every endpoint of OBKM reads it: the chain the
 * client presented on this TLS connection, or, behind a load balancer that terminates TLS, the certificate
 * the balancer forwards in its header ({@code x-wso2-mutual-auth-cert} by default), believed only from the
 * configured balancer addresses ({@code etc/org.obkm.mtls.cfg}). Endpoints outside the OAuth bundle (the
 * registration endpoint) ask this so that they trust the same certificate the token endpoint does.
 *
 * @since 1.5
 */
@ProviderType
public interface ClientCertificateSource {

    /**
     * @param peer the address of the connection's peer
     * @param headers every value of a request header by name, empty when absent
     * @param tls the certificates of the TLS connection, the client's first; empty when none
     * @return the client's chain, its own certificate first; empty when it presented none, or when the
     *         header of a trusted balancer is missing or unreadable
     */
    List<X509Certificate> chain(String peer, Function<String, List<String>> headers, List<X509Certificate> tls);
}
