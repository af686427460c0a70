package org.obkm.api.resource;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a token check reads of an HTTP request, without tying the api to a servlet version: the method
 * and URL (a DPoP proof's {@code htm} and {@code htu}), the headers, the peer address (whether a
 * certificate header comes from a trusted load balancer) and the TLS client certificates.
 */
public interface ResourceRequest {

    String method();

    /** The resource's URL as the client called it, without query. */
    String url();

    /** Every value of a header, in order; empty when absent. */
    List<String> headers(String name);

    /** The first value of a header, or {@code null}. */
    default String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The address of the peer of the connection. */
    String remoteAddress();

    /** The certificates the client presented on this TLS connection, its own first; empty when none. */
    List<X509Certificate> tlsCertificates();
}
