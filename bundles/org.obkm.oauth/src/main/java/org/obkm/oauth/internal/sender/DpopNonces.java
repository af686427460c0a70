package org.obkm.oauth.internal.sender;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.obkm.api.keys.SharedSecrets;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;

import com.nimbusds.jose.util.Base64URL;

/**
 * Server nonces for DPoP proofs (RFC 9449 §8): base64url(HMAC-SHA256(shared secret, time window)), so any
 * node checks any node's nonce without shared state; the current and the previous window are accepted.
 */
final class DpopNonces {

    private final SharedSecrets secrets;
    private final Clock clock;
    private final long windowMillis;
    private volatile byte[] key;

    DpopNonces(SharedSecrets secrets, Clock clock, long windowMillis) {
        this.secrets = secrets;
        this.clock = clock;
        this.windowMillis = windowMillis;
    }

    /** The nonce of the current window. */
    String fresh() throws OAuthException {
        return nonce(Math.floorDiv(clock.millis(), windowMillis));
    }

    /** Whether a proof's nonce is the current or the previous window's. */
    boolean accepts(String nonce) throws OAuthException {
        long window = Math.floorDiv(clock.millis(), windowMillis);
        byte[] given = nonce.getBytes(StandardCharsets.US_ASCII);
        // Both windows are always computed, so timing does not tell which one matched.
        boolean current = MessageDigest.isEqual(given, nonce(window).getBytes(StandardCharsets.US_ASCII));
        boolean previous = MessageDigest.isEqual(given, nonce(window - 1).getBytes(StandardCharsets.US_ASCII));
        return current || previous;
    }

    private String nonce(long window) throws OAuthException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            byte[] tag = mac.doFinal(("dpop-nonce:" + windowMillis + ":" + window).getBytes(StandardCharsets.US_ASCII));
            return Base64URL.encode(tag).toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing", e);
        }
    }

    private byte[] key() throws OAuthException {
        byte[] k = key;
        if (k == null) {
            try {
                k = secrets.secret(DpopProofs.NONCE_SECRET);
            } catch (RuntimeException e) {
                throw Errors.temporarilyUnavailable("the shared secrets cannot be read; retry shortly");
            }
            key = k;
        }
        return k;
    }
}
