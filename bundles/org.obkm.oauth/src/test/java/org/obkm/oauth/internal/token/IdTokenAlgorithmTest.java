package org.obkm.oauth.internal.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.api.keys.SigningService;
import org.obkm.oauth.internal.TestSettings;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jwt.JWTClaimsSet;

/** The ID token's algorithm: the client's registered id_token_signed_response_alg when the keys sign with it. */
public class IdTokenAlgorithmTest {

    private final List<JWSAlgorithm> signedWith = new ArrayList<>();
    private final Set<JWSAlgorithm> available = Set.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256);

    private final SigningService recording = new SigningService() {
        @Override
        public String signJwt(JWSAlgorithm algorithm, JOSEObjectType type, JWTClaimsSet claims) {
            signedWith.add(algorithm);
            return "signed";
        }

        @Override
        public String sign(JWSHeader header, Payload payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String signDetached(JWSHeader header, Payload payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<JWSAlgorithm> algorithms() {
            return available;
        }
    };

    private final IdTokenIssuer issuer = new IdTokenIssuer(recording, TestSettings.defaults());

    private JWSAlgorithm issuedFor(String registeredAlg) {
        issuer.issue("tpp-1", registeredAlg, "alice", 1_700_000_000L, null, "n-1", null, null, null);
        return signedWith.get(signedWith.size() - 1);
    }

    @Test
    public void signsWithTheRegisteredAlgorithm() {
        assertEquals(JWSAlgorithm.ES256, issuedFor("ES256"));
        assertEquals(JWSAlgorithm.PS256, issuedFor("PS256"));
    }

    @Test
    public void signsWithTheServersAlgorithmForAClientThatRegisteredNone() {
        assertEquals(TestSettings.defaults().idTokenSigningAlgorithm(), issuedFor(null));
    }

    @Test
    public void signsWithTheServersAlgorithmWhenTheKeysHaveNoneOfTheRegisteredOne() {
        assertEquals(TestSettings.defaults().idTokenSigningAlgorithm(), issuedFor("ES512"));
    }
}
