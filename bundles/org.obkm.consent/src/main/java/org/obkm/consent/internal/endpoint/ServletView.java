package org.obkm.consent.internal.endpoint;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import javax.servlet.http.HttpServletRequest;

import org.obkm.api.resource.ResourceRequest;

/** A servlet request as the token check reads it. */
record ServletView(HttpServletRequest req, String url) implements ResourceRequest {

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
        return req.getAttribute("javax.servlet.request.X509Certificate") instanceof X509Certificate[] certs
                ? List.of(certs) : List.of();
    }
}
