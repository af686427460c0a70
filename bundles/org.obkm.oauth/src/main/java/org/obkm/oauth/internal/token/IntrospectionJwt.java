package org.obkm.oauth.internal.token;

import java.util.Date;
import java.util.Locale;
import java.util.Map;

import org.obkm.api.keys.SigningService;
import org.obkm.oauth.internal.CpuGate;
import org.obkm.oauth.internal.ServerSettings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * JWT introspection responses (RFC 9701): when the caller asks with {@code Accept:
 * application/token-introspection+jwt}, the introspection response is the {@code token_introspection} claim
 * of a JWT with {@code iss} the issuer, {@code aud} the calling client and {@code iat}, typed
 * {@code token-introspection+jwt} and signed through the keys bundle with the configured
 * {@code introspectionSigningAlgorithm} (the client record has no {@code introspection_signed_response_alg}).
 * Without that Accept value the answer stays plain JSON (RFC 9701 §4).
 */
@Component(service = IntrospectionJwt.class)
public final class IntrospectionJwt {

    /** RFC 9701 §7.2: the media type, also the response's Content-Type. */
    public static final String MEDIA_TYPE = "application/token-introspection+jwt";
    static final JOSEObjectType TYPE = new JOSEObjectType("token-introspection+jwt");

    private final SigningService signing;
    private final ServerSettings settings;
    private final CpuGate gate;

    @Activate
    public IntrospectionJwt(@Reference SigningService signing, @Reference ServerSettings settings,
            @Reference CpuGate gate) {
        this.signing = signing;
        this.settings = settings;
        this.gate = gate;
    }

    /** Whether an Accept header asks for a JWT response (RFC 9701 §4), whatever else it lists. */
    public static boolean requested(String accept) {
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (parts[0].trim().toLowerCase(Locale.ROOT).equals(MEDIA_TYPE) && !refused(parts)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 9110 §12.5.1: {@code q=0} means not acceptable. */
    private static boolean refused(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("q=") && p.substring(2).matches("0(\\.0{0,3})?")) {
                return true;
            }
        }
        return false;
    }

    /** The signed response for the calling client (RFC 9701 §5). */
    public String sign(String clientId, Map<String, Object> introspection) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(settings.issuer()).audience(clientId)
                .issueTime(new Date()).claim("token_introspection", introspection).build();
        return gate.run(() -> signing.signJwt(settings.introspectionSigningAlgorithm(), TYPE, claims));
    }
}
