package org.obkm.oauth.internal.sender;

import java.security.cert.X509Certificate;
import java.util.Optional;

import org.obkm.oauth.internal.OAuthException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * What the tokens of a token request are bound to (FAPI 2.0 Security Profile §5.3.2.1): the key of a
 * valid DPoP proof (RFC 9449), else the client's TLS certificate (RFC 8705 §3), else nothing, which the
 * profiles with the check {@value PolicyChecks#SENDER_CONSTRAINED} refuse at every grant.
 */
@Component(service = SenderBinding.class)
public final class SenderBinding {

    private final DpopProofs dpop;

    @Activate
    public SenderBinding(@Reference DpopProofs dpop) {
        this.dpop = dpop;
    }

    /** Verifies a DPoP proof if the request carries one, and reads the client certificate. */
    public Confirmation of(HTTPRequest request, String endpointUrl) throws OAuthException {
        Optional<String> jkt = dpop.verify(request, "POST", endpointUrl);
        if (jkt.isPresent()) {
            return Confirmation.dpop(jkt.get());
        }
        X509Certificate cert = request.getClientX509Certificate();
        return cert == null ? Confirmation.NONE : Confirmation.certificate(X509CertUtils.computeSHA256Thumbprint(cert).toString());
    }
}
