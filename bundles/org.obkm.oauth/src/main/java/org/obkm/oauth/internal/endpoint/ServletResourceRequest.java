package org.obkm.oauth.internal.endpoint;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import javax.servlet.http.HttpServletRequest;

import org.obkm.api.resource.ResourceRequest;

/** A servlet request seen as the api's {@link ResourceRequest}. */
record ServletResourceRequest(HttpServletRequest req, String url) implements ResourceRequest {

    private static final String TLS_ATTRIBUTE = "javax.servlet.request.X509Certificate";

    static ServletResourceRequest of(HttpServletRequest req, String resourceUrl) {
        return new ServletResourceRequest(req, resourceUrl);
    }

    @Override
    public String method() {
        return req.getMethod();
    }

    @Override
    public List<String> headers(String name) {
        Enumeration<String> values = req.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }

    @Override
    public String remoteAddress() {
        return req.getRemoteAddr();
    }

    @Override
    public List<X509Certificate> tlsCertificates() {
        return req.getAttribute(TLS_ATTRIBUTE) instanceof X509Certificate[] certs ? List.of(certs) : List.of();
    }
}
