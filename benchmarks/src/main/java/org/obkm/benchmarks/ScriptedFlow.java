package org.obkm.benchmarks;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * One complete authorization code flow over HTTP, as a TPP's server and a person's browser make it:
 * PAR, authorize (303), login page, login POST (the password check), consent page, consent POST (303
 * with the code), token. With a FAPI 2.0 profile the client authenticates with
 * {@code private_key_jwt}, pushes a signed request object and binds the tokens with DPoP (all ES256);
 * with {@code none} it uses client_secret_basic and plain parameters. Each flow has a fresh browser
 * (cookie jar) and DPoP key. Any unexpected answer throws {@link StepFailed} naming the step.
 */
final class ScriptedFlow {

    /** The steps, in order; their durations are reported separately. */
    enum Step { PAR, AUTHORIZE, LOGIN_PAGE, LOGIN_POST, CONSENT_PAGE, CONSENT_POST, TOKEN }

    /** What every flow of a run shares: the server's endpoints, the client and the user. */
    record Setup(HttpClient http, String base, Map<String, Object> discovery, boolean fapi2, String clientId,
            ECKey clientKey, String clientSecret, String redirectUri, String scope, String username, String password) {
        String endpoint(String name) {
            return (String) discovery.get(name);
        }

        /** The node's URL for a public endpoint URL: same path, on the host and port under test. */
        String onNode(String publicUrl) {
            return base + URI.create(publicUrl).getRawPath();
        }
    }

    /** A step got an answer the flow cannot go on from. */
    static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final Step step;

        StepFailed(Step step, String message) {
            super(step + ": " + message, null, false, false);
            this.step = step;
        }
    }

    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Pattern HIDDEN = Pattern.compile(
            "<input type=\"hidden\" name=\"([a-z]+)\" value=\"([^\"]*)\">");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Setup s;
    private final long[] nanos = new long[Step.values().length];
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private long signingNanos;
    private ECKey dpopKey;

    ScriptedFlow(Setup setup) {
        this.s = setup;
    }

    /** Nanoseconds each step took, by {@link Step#ordinal()}. */
    long[] stepNanos() {
        return nanos;
    }

    /** Nanoseconds this flow spent making keys and signing (assertions, request object, DPoP proofs). */
    long signingNanos() {
        return signingNanos;
    }

    /** Runs the flow; returns the access token. */
    String run() throws Exception {
        String state = random(16);
        String nonce = random(16);
        String verifier = random(32);
        String challenge = b64(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        if (s.fapi2()) {
            long t = System.nanoTime();
            dpopKey = new ECKeyGenerator(Curve.P_256).generate();
            signingNanos += System.nanoTime() - t;
        }

        long t = System.nanoTime();
        Map<String, String> par = new LinkedHashMap<>();
        if (s.fapi2()) {
            Date now = new Date();
            par.put("request", sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(s.clientKey().getKeyID())
                    .type(new JOSEObjectType("oauth-authz-req+jwt")).build(), new JWTClaimsSet.Builder()
                    .issuer(s.clientId()).audience((String) s.discovery().get("issuer")).claim("client_id", s.clientId())
                    .claim("response_type", "code").claim("redirect_uri", s.redirectUri()).claim("scope", s.scope())
                    .claim("state", state).claim("nonce", nonce).claim("code_challenge", challenge)
                    .claim("code_challenge_method", "S256").jwtID(UUID.randomUUID().toString())
                    .issueTime(now).notBeforeTime(now).expirationTime(new Date(now.getTime() + 300_000)).build(),
                    s.clientKey()));
        } else {
            par.put("response_type", "code");
            par.put("redirect_uri", s.redirectUri());
            par.put("scope", s.scope());
            par.put("state", state);
            par.put("nonce", nonce);
            par.put("code_challenge", challenge);
            par.put("code_challenge_method", "S256");
        }
        HttpResponse<String> r = clientPost("pushed_authorization_request_endpoint", par);
        expect(Step.PAR, r, 201);
        String requestUri = field(Step.PAR, r.body(), "request_uri");
        t = lap(Step.PAR, t);

        r = browser(HttpRequest.newBuilder(URI.create(s.onNode(s.endpoint("authorization_endpoint")) + "?client_id="
                + enc(s.clientId()) + "&request_uri=" + enc(requestUri))).GET());
        String loginUrl = location(Step.AUTHORIZE, r);
        t = lap(Step.AUTHORIZE, t);

        r = browser(HttpRequest.newBuilder(URI.create(s.base() + loginUrl)).GET());
        expect(Step.LOGIN_PAGE, r, 200);
        Map<String, String> form = hidden(Step.LOGIN_PAGE, r.body());
        t = lap(Step.LOGIN_PAGE, t);

        form.put("username", s.username());
        form.put("password", s.password());
        r = browser(formPost(s.base() + "/authn/login", form));
        String consentUrl = location(Step.LOGIN_POST, r);
        if (!consentUrl.startsWith("/authn/consent")) {
            throw new StepFailed(Step.LOGIN_POST, "redirected to " + consentUrl + " instead of the consent page");
        }
        t = lap(Step.LOGIN_POST, t);

        r = browser(HttpRequest.newBuilder(URI.create(s.base() + consentUrl)).GET());
        expect(Step.CONSENT_PAGE, r, 200);
        form = hidden(Step.CONSENT_PAGE, r.body());
        t = lap(Step.CONSENT_PAGE, t);

        form.put("decision", "approve");
        r = browser(formPost(s.base() + "/authn/consent", form));
        String back = location(Step.CONSENT_POST, r);
        Map<String, String> q = query(back);
        if (!back.startsWith(s.redirectUri() + "?") || q.get("code") == null || !state.equals(q.get("state"))) {
            throw new StepFailed(Step.CONSENT_POST, "unexpected redirect " + back);
        }
        t = lap(Step.CONSENT_POST, t);

        Map<String, String> token = new LinkedHashMap<>();
        token.put("grant_type", "authorization_code");
        token.put("code", q.get("code"));
        token.put("redirect_uri", s.redirectUri());
        token.put("code_verifier", verifier);
        r = clientPost("token_endpoint", token);
        expect(Step.TOKEN, r, 200);
        String accessToken = field(Step.TOKEN, r.body(), "access_token");
        lap(Step.TOKEN, t);
        return accessToken;
    }

    private long lap(Step step, long since) {
        long now = System.nanoTime();
        nanos[step.ordinal()] = now - since;
        return now;
    }

    /** A client-authenticated POST (private_key_jwt and DPoP, or HTTP Basic). */
    private HttpResponse<String> clientPost(String endpoint, Map<String, String> form) throws Exception {
        String publicUrl = s.endpoint(endpoint);
        HttpRequest.Builder b;
        if (s.fapi2()) {
            Date now = new Date();
            form.put("client_id", s.clientId());
            form.put("client_assertion_type", JWT_BEARER);
            form.put("client_assertion", sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(s.clientKey().getKeyID())
                    .type(JOSEObjectType.JWT).build(), new JWTClaimsSet.Builder().issuer(s.clientId())
                    .subject(s.clientId()).audience((String) s.discovery().get("issuer"))
                    .jwtID(UUID.randomUUID().toString()).issueTime(now)
                    .expirationTime(new Date(now.getTime() + 60_000)).build(), s.clientKey()));
            String proof = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                    .jwk(dpopKey.toPublicJWK()).build(), new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
                    .claim("htm", "POST").claim("htu", publicUrl).issueTime(now).build(), dpopKey);
            b = formPost(s.onNode(publicUrl), form).header("DPoP", proof);
        } else {
            String creds = enc(s.clientId()) + ":" + enc(s.clientSecret());
            b = formPost(s.onNode(publicUrl), form).header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(creds.getBytes(StandardCharsets.UTF_8)));
        }
        return s.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A browser request: this flow's cookies sent, Set-Cookie kept; redirects are not followed. */
    private HttpResponse<String> browser(HttpRequest.Builder b) throws Exception {
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> r = s.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (String c : r.headers().allValues("Set-Cookie")) {
            String pair = c.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return r;
    }

    private static HttpRequest.Builder formPost(String url, Map<String, String> form) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"))));
    }

    private static void expect(Step step, HttpResponse<String> r, int status) throws StepFailed {
        if (r.statusCode() != status) {
            throw new StepFailed(step, "HTTP " + r.statusCode() + " " + excerpt(r.body()));
        }
    }

    private static String location(Step step, HttpResponse<String> r) throws StepFailed {
        expect(step, r, 303);
        return r.headers().firstValue("Location").orElseThrow(() -> new StepFailed(step, "303 without Location"));
    }

    private static Map<String, String> hidden(Step step, String html) throws StepFailed {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            out.put(m.group(1), m.group(2)); // flow ids and CSRF tokens are base64url: nothing to unescape
        }
        if (!out.containsKey("flow") || !out.containsKey("csrf")) {
            throw new StepFailed(step, "no hidden flow and csrf fields in " + excerpt(html));
        }
        return out;
    }

    private static String field(Step step, String json, String name) throws StepFailed {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new StepFailed(step, "no " + name + " in " + excerpt(json));
        }
        return m.group(1);
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = URI.create(url).getRawQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                String[] p = kv.split("=", 2);
                out.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    private String sign(JWSHeader header, JWTClaimsSet claims, ECKey key) throws JOSEException {
        long t = System.nanoTime();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner(key));
        String out = jwt.serialize();
        signingNanos += System.nanoTime() - t;
        return out;
    }

    private static String excerpt(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return b64(b);
    }
}
