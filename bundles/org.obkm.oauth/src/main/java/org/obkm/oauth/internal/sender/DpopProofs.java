package org.obkm.oauth.internal.sender;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.obkm.oauth.internal.CpuGate;
import org.obkm.api.cluster.SharedState;
import org.obkm.api.keys.SharedSecrets;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DPoPUtils;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPTokenError;

/**
 * Verifies DPoP proofs (RFC 9449 §4.3) at the token and PAR endpoints and at resources (§7.1). Each
 * proof is used once in the whole cluster (its jti, per key, in {@link SharedState} map {@value #REPLAY_MAP}).
 * Server nonces (§8) are stateless: an HMAC over a time window under a secret every node shares, so any
 * node accepts a nonce another node issued, without shared state. Nimbus' own DPoP verifiers read the
 * system clock and compare htu as an exact string; this class composes the same Nimbus JOSE parts with an
 * injected clock and RFC 3986 normalization of htu instead.
 */
@Component(service = DpopProofs.class, configurationPid = "org.obkm.dpop")
@Designate(ocd = DpopConfig.class)
public final class DpopProofs {

    static final String REPLAY_MAP = "dpop-jti";
    static final String NONCE_SECRET = "dpop-nonce";
    static final int MAX_PROOF_CHARS = 8192;
    private static final int MAX_JTI_CHARS = 256;
    private static final int MIN_RSA_BITS = 2048;
    private static final Logger LOG = LoggerFactory.getLogger(DpopProofs.class);
    /** Asymmetric algorithms only: never none, never HMAC (RFC 9449 §4.3 point 5). */
    private static final Set<JWSAlgorithm> ACCEPTABLE = Set.of(JWSAlgorithm.PS256, JWSAlgorithm.PS384,
            JWSAlgorithm.PS512, JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    /** Where the proof is checked: the token and PAR endpoints answer 400, resources 401 (RFC 9449 §7.1). */
    private enum Site { AUTHORIZATION_SERVER, RESOURCE }

    private final SharedState sharedState;
    private final CpuGate gate;
    private final Clock clock;
    private final SharedSecrets secrets;
    private volatile Rules rules;

    /** The configured rules, replaced as a whole on a change (a proof is checked under the rules it meets). */
    private record Rules(List<JWSAlgorithm> algorithms, long maxAgeMillis, long futureSkewMillis,
            boolean nonceRequired, DpopNonces nonces) {
    }

    @Activate
    public DpopProofs(@Reference SharedState sharedState, @Reference SharedSecrets secrets, @Reference CpuGate gate,
            DpopConfig config) {
        this(sharedState, secrets, gate, config, Clock.systemUTC());
    }

    public DpopProofs(SharedState sharedState, SharedSecrets secrets, CpuGate gate, DpopConfig config, Clock clock) {
        this.sharedState = sharedState;
        this.gate = gate;
        this.clock = clock;
        this.secrets = secrets;
        this.rules = rules(config);
    }

    /** A change applies in place, to proofs checked after it; an invalid one keeps the rules in force. */
    @Modified
    void modified(DpopConfig config) {
        try {
            rules = rules(config);
        } catch (IllegalArgumentException e) {
            LOG.error("org.obkm.dpop: {}; the previous settings stay in force until corrected", e.getMessage());
        }
    }

    private Rules rules(DpopConfig config) {
        Set<JWSAlgorithm> algs = new LinkedHashSet<>();
        // A .cfg file gives "PS256,ES256" as one string; ConfigAdmin may give an array.
        Stream.of(config.algorithms()).flatMap(v -> Stream.of(v.split("[,\\s]+"))).filter(v -> !v.isBlank())
                .map(JWSAlgorithm::parse).forEach(algs::add);
        if (algs.isEmpty() || !ACCEPTABLE.containsAll(algs)) {
            throw new IllegalArgumentException("DPoP algorithms must be RSA or EC signature algorithms: " + algs);
        }
        if (config.iatMaxAgeSeconds() < 1 || config.iatMaxFutureSkewSeconds() < 0
                || config.nonceValiditySeconds() < 1) {
            throw new IllegalArgumentException("DPoP iat window and nonce validity must be positive");
        }
        return new Rules(List.copyOf(algs), config.iatMaxAgeSeconds() * 1000L,
                config.iatMaxFutureSkewSeconds() * 1000L, config.nonceRequired(),
                new DpopNonces(secrets, clock, config.nonceValiditySeconds() * 1000L));
    }

    /**
     * For POSTs to PAR and token: verifies the request's DPoP header.
     *
     * @return the proof key's RFC 7638 SHA-256 JWK thumbprint (base64url), empty when there is no DPoP header
     * @throws OAuthException 400 {@code invalid_dpop_proof}, 400 {@code use_dpop_nonce} with a
     *         {@code DPoP-Nonce} header (while the cluster is away: ClusterUnavailableException, a 503)
     */
    public Optional<String> verify(HTTPRequest request, String htm, String htu) throws OAuthException {
        String proof = proofHeader(request, Site.AUTHORIZATION_SERVER);
        return proof == null ? Optional.empty()
                : Optional.of(check(proof, htm, htu, null, null, Site.AUTHORIZATION_SERVER));
    }

    /**
     * For a resource request with a DPoP-bound access token: the proof is required, its ath must be the
     * token's hash and its key the token's {@code cnf.jkt}. Errors are 401 with a {@code WWW-Authenticate:
     * DPoP} challenge.
     */
    public void verifyForResource(HTTPRequest request, String htm, String htu, String accessToken, String expectedJkt)
            throws OAuthException {
        String proof = proofHeader(request, Site.RESOURCE);
        if (proof == null) {
            throw invalid(Site.RESOURCE, "a DPoP proof is required with a DPoP-bound access token");
        }
        check(proof, htm, htu, accessToken, expectedJkt, Site.RESOURCE);
    }

    /** A nonce for the {@code DPoP-Nonce} response header, valid on every node for the configured time. */
    public String freshNonce() throws OAuthException {
        return rules.nonces().fresh();
    }

    /** Whether proofs must carry a server nonce; endpoints then send {@link #freshNonce()} on success too. */
    public boolean nonceRequired() {
        return rules.nonceRequired();
    }

    private String check(String proof, String htm, String htu, String accessToken, String expectedJkt, Site site)
            throws OAuthException {
        if (proof.length() > MAX_PROOF_CHARS) {
            throw invalid(site, "the DPoP proof is larger than " + MAX_PROOF_CHARS + " bytes");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(proof);
        } catch (ParseException | RuntimeException e) {
            throw invalid(site, "the DPoP header is not a signed JWT: " + e.getMessage());
        }
        JWK jwk = checkHeader(jwt.getHeader(), site);
        String thumbprint;
        try {
            thumbprint = jwk.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw invalid(site, "the DPoP proof jwk has no thumbprint");
        }
        JWTClaimsSet claims = verifySignature(jwt, jwk, site);
        String jti = checkClaims(claims, htm, htu, site);
        checkNonce(claims, site);
        if (site == Site.RESOURCE) {
            checkTokenBinding(claims, thumbprint, accessToken, expectedJkt);
        }
        // While the cluster is away this throws ClusterUnavailableException: Failures answers 503.
        if (!sharedState.firstUse(REPLAY_MAP, thumbprint + ":" + jti,
                Duration.ofMillis(rules.maxAgeMillis() + rules.futureSkewMillis()))) {
            throw invalid(site, "the DPoP proof jti was already used");
        }
        return thumbprint;
    }

    private JWK checkHeader(JWSHeader header, Site site) throws OAuthException {
        if (!DPoPProofFactory.TYPE.equals(header.getType())) {
            throw invalid(site, "the DPoP proof typ must be dpop+jwt");
        }
        if (!rules.algorithms().contains(header.getAlgorithm())) {
            throw invalid(site, "DPoP proof algorithm " + header.getAlgorithm() + " is not accepted; use one of "
                    + rules.algorithms());
        }
        JWK jwk = header.getJWK();
        if (jwk == null) {
            throw invalid(site, "the DPoP proof has no jwk header");
        }
        if (jwk.isPrivate()) {
            throw invalid(site, "the DPoP proof jwk must be a public key");
        }
        if (jwk instanceof RSAKey && jwk.size() < MIN_RSA_BITS) {
            throw invalid(site, "the DPoP proof RSA key must have at least " + MIN_RSA_BITS + " bits");
        }
        return jwk;
    }

    private JWTClaimsSet verifySignature(SignedJWT jwt, JWK jwk, Site site) throws OAuthException {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSVerifierFactory(gate.verifiers());
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(DPoPProofFactory.TYPE));
        processor.setJWSKeySelector((header, context) -> List.of(publicKey(jwk, header.getAlgorithm())));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, null,
                Set.of("jti", "iat", "htm", "htu"), null) {
            @Override
            protected Date currentTime() {
                return new Date(clock.millis());
            }
        });
        try {
            return processor.process(jwt, null);
        } catch (BadJOSEException e) {
            throw invalid(site, "the DPoP proof was rejected: " + e.getMessage());
        } catch (NullPointerException e) {
            // Nimbus reads a payload that is the JSON null as a null map, before any signature check
            throw invalid(site, "the DPoP proof claims are not a JSON object");
        } catch (JOSEException e) {
            CpuGate.rethrowOverload(e);
            throw invalid(site, "the DPoP proof could not be verified: " + e.getMessage());
        }
    }

    /** The header key as the algorithm's key type: an RSA jwk never verifies an ES256 proof. */
    private static Key publicKey(JWK jwk, JWSAlgorithm alg) throws KeySourceException {
        try {
            if (JWSAlgorithm.Family.RSA.contains(alg) && jwk instanceof RSAKey) {
                return ((RSAKey) jwk).toRSAPublicKey();
            }
            if (JWSAlgorithm.Family.EC.contains(alg) && jwk instanceof ECKey) {
                return ((ECKey) jwk).toECPublicKey();
            }
        } catch (JOSEException e) {
            throw new KeySourceException("unusable jwk: " + e.getMessage(), e);
        }
        throw new KeySourceException("jwk type " + jwk.getKeyType() + " does not fit " + alg);
    }

    private String checkClaims(JWTClaimsSet claims, String htm, String htu, Site site) throws OAuthException {
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank() || jti.length() > MAX_JTI_CHARS) {
            throw invalid(site, "the DPoP proof needs a jti string of at most " + MAX_JTI_CHARS + " characters");
        }
        if (!htm.equals(stringClaim(claims, "htm", site))) {
            throw invalid(site, "the DPoP proof htm must be " + htm);
        }
        String target = HttpTargets.normalized(stringClaim(claims, "htu", site));
        if (target == null || !target.equals(HttpTargets.normalized(htu))) {
            throw invalid(site, "the DPoP proof htu must be " + htu);
        }
        long iat = claims.getIssueTime().getTime();
        long now = clock.millis();
        if (iat < now - rules.maxAgeMillis()) {
            throw invalid(site, "the DPoP proof is too old (iat more than " + rules.maxAgeMillis() / 1000
                    + " s ago)");
        }
        if (iat > now + rules.futureSkewMillis()) {
            throw invalid(site, "the DPoP proof iat is in the future");
        }
        return jti;
    }

    private void checkNonce(JWTClaimsSet claims, Site site) throws OAuthException {
        String nonce = stringClaim(claims, "nonce", site);
        if (nonce == null) {
            if (rules.nonceRequired()) {
                throw useNonce(site, "the DPoP proof must carry the server nonce");
            }
            return;
        }
        if (!rules.nonces().accepts(nonce)) {
            throw useNonce(site, "the DPoP nonce is stale or unknown; use the one in the DPoP-Nonce header");
        }
    }

    private void checkTokenBinding(JWTClaimsSet claims, String thumbprint, String accessToken, String expectedJkt)
            throws OAuthException {
        String ath = stringClaim(claims, "ath", Site.RESOURCE);
        if (ath == null) {
            throw invalid(Site.RESOURCE, "the DPoP proof needs ath, the hash of the access token");
        }
        String expectedAth;
        try {
            expectedAth = DPoPUtils.computeSHA256(new DPoPAccessToken(accessToken)).toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
        if (!MessageDigest.isEqual(ath.getBytes(StandardCharsets.US_ASCII),
                expectedAth.getBytes(StandardCharsets.US_ASCII))) {
            throw invalid(Site.RESOURCE, "the DPoP proof ath does not match the access token");
        }
        if (expectedJkt == null || !MessageDigest.isEqual(thumbprint.getBytes(StandardCharsets.US_ASCII),
                expectedJkt.getBytes(StandardCharsets.US_ASCII))) {
            throw invalid(Site.RESOURCE, "the DPoP proof key is not the key the access token is bound to");
        }
    }

    private String stringClaim(JWTClaimsSet claims, String name, Site site) throws OAuthException {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            throw invalid(site, "the DPoP proof claim " + name + " must be a string");
        }
    }

    private String proofHeader(HTTPRequest request, Site site) throws OAuthException {
        List<String> values = request.getHeaderValues("DPoP");
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw invalid(site, "send one DPoP header");
        }
        return values.get(0);
    }

    private OAuthException invalid(Site site, String description) {
        String text = Errors.safe(description);
        if (site == Site.RESOURCE) {
            DPoPTokenError error = DPoPTokenError.INVALID_DPOP_PROOF.setDescription(text)
                    .setJWSAlgorithms(new LinkedHashSet<>(rules.algorithms()));
            return new OAuthException(error, Map.of("WWW-Authenticate", error.toWWWAuthenticateHeader()));
        }
        return new OAuthException(new ErrorObject("invalid_dpop_proof", text, 400));
    }

    private OAuthException useNonce(Site site, String description) throws OAuthException {
        String text = Errors.safe(description);
        String fresh = freshNonce();
        if (site == Site.RESOURCE) {
            DPoPTokenError error = DPoPTokenError.USE_DPOP_NONCE.setDescription(text);
            return new OAuthException(error, Map.of("WWW-Authenticate", error.toWWWAuthenticateHeader(),
                    "DPoP-Nonce", fresh));
        }
        return new OAuthException(new ErrorObject("use_dpop_nonce", text, 400), Map.of("DPoP-Nonce", fresh));
    }

    /** The accepted proof algorithms, for discovery's dpop_signing_alg_values_supported. */
    public List<String> algorithmNames() {
        return rules.algorithms().stream().map(JWSAlgorithm::getName).toList();
    }
}
