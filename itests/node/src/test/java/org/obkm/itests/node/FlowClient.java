package org.obkm.itests.node;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;

/**
 * A FAPI 2.0 client of one OBKM node, and the browsers of its users, over real HTTPS: pushed
 * authorization requests with a signed request object (RFC 9126, RFC 9101), {@code private_key_jwt}
 * client authentication (RFC 7523), PKCE S256 (RFC 7636), DPoP proofs (RFC 9449), and a browser with a
 * cookie jar that reads the hidden fields of the login and consent pages. Plain JDK and Nimbus only, no
 * test framework: the cluster test and the load benchmark reuse it as it is.
 */
final class FlowClient {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final String PAR = "/oauth2/par";
    static final String AUTHORIZE = "/oauth2/authorize";
    static final String TOKEN = "/oauth2/token";
    static final String USERINFO = "/oauth2/userinfo";
    static final String INTROSPECT = "/oauth2/introspect";
    static final String LOGIN = "/authn/login";
    static final String CONSENT = "/authn/consent";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A response, read whole; {@code uri} is the URL that was requested. */
    record Response(URI uri, int status, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

        List<String> headerValues(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).toList();
        }

        Map<String, Object> json() {
            try {
                return JSONObjectUtils.parse(body);
            } catch (ParseException e) {
                throw new AssertionError("no JSON object in " + this, e);
            }
        }

        /** The redirect target, resolved against the request URL; null when this is no redirect. */
        URI location() {
            String l = header("Location");
            return l == null ? null : uri.resolve(l);
        }

        @Override
        public String toString() {
            String shown = body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
            return status + " " + uri.getPath() + " " + shown;
        }
    }

    /**
     * One authorization request's secrets, kept by the client between PAR and the token request.
     *
     * @param scope the requested scope
     * @param state the state the redirect must carry back
     * @param nonce the nonce the ID token must carry
     * @param verifier the PKCE code verifier; its S256 challenge goes into the request object
     * @param redirectUri where the code is sent
     */
    record Authorization(String scope, String state, String nonce, CodeVerifier verifier, String redirectUri) {

        String challenge() {
            return CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
        }
    }

    private final String base;
    private final String issuer;
    private final HttpClient http;
    private final String clientId;
    private final RSAKey clientKey;
    private final String redirectUri;
    private final ECKey dpopKey;
    private final DefaultDPoPProofFactory dpop;
    private volatile String dpopNonce;

    /**
     * @param baseUrl     the node, such as {@code https://localhost:9446}
     * @param issuer      the configured issuer: audience of client assertions and request objects
     * @param tls         trusts the node's certificate ({@link #trusting})
     * @param clientId    the registered client
     * @param clientKey   its private key; the public half is registered ({@link #publicJwks})
     * @param redirectUri the registered redirect URI used by default
     */
    FlowClient(String baseUrl, String issuer, SSLContext tls, String clientId, RSAKey clientKey, String redirectUri) {
        this.base = baseUrl;
        this.issuer = issuer;
        this.http = httpClient(tls);
        this.clientId = clientId;
        this.clientKey = clientKey;
        this.redirectUri = redirectUri;
        try {
            this.dpopKey = new ECKeyGenerator(Curve.P_256).keyID("dpop-" + UUID.randomUUID()).generate();
            this.dpop = new DefaultDPoPProofFactory(dpopKey, JWSAlgorithm.ES256);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- keys and TLS -------------------------------------------------------------------------

    /** A fresh RSA key pair for {@code private_key_jwt} and request objects (PS256). */
    static RSAKey newClientKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("client-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JWK Set to register for the client: the public half of its key. */
    static String publicJwks(RSAKey key) {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** TLS trusting only this certificate (the node's self-signed one), host name checked. */
    static SSLContext trusting(Certificate anchor) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("obkm-node", anchor);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String clientId() {
        return clientId;
    }

    String base() {
        return base;
    }

    ECKey dpopKey() {
        return dpopKey;
    }

    /** The RFC 7638 thumbprint of the DPoP key: the {@code cnf.jkt} of tokens bound to it. */
    String dpopThumbprint() {
        try {
            return dpopKey.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- PAR and the authorization endpoint ---------------------------------------------------

    /** New state, nonce and PKCE verifier for a request to the default redirect URI. */
    Authorization newAuthorization(String scope) {
        return new Authorization(scope, "st-" + UUID.randomUUID(), "n-" + UUID.randomUUID(), new CodeVerifier(),
                redirectUri);
    }

    /** The request object's claims (FAPI 2.0 Message Signing §5.3.1): valid for 5 minutes from now. */
    JWTClaimsSet.Builder requestObjectClaims(Authorization a) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(clientId).audience(issuer)
                .notBeforeTime(new Date(now - 1000)).expirationTime(new Date(now + 300_000))
                .issueTime(new Date(now)).jwtID(UUID.randomUUID().toString())
                .claim("client_id", clientId).claim("response_type", "code")
                .claim("redirect_uri", a.redirectUri()).claim("scope", a.scope())
                .claim("state", a.state()).claim("nonce", a.nonce())
                .claim("code_challenge", a.challenge()).claim("code_challenge_method", "S256");
    }

    /** POST /oauth2/par with a PS256 request object and a DPoP proof (the code is then bound to the key). */
    Response par(Authorization a) {
        return par(a, b -> { }, true);
    }

    /**
     * POST /oauth2/par.
     *
     * @param change alters the request object's claims before signing
     * @param withDpop whether a DPoP proof goes along (binding the code to the DPoP key, RFC 9449 §10)
     */
    Response par(Authorization a, Consumer<JWTClaimsSet.Builder> change, boolean withDpop) {
        return withNonceRetry(() -> {
            JWTClaimsSet.Builder claims = requestObjectClaims(a);
            change.accept(claims);
            String request = sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(clientKey.getKeyID())
                    .type(new JOSEObjectType("oauth-authz-req+jwt")).build(), claims.build());
            String form = form("client_id", clientId, "client_assertion_type", JWT_BEARER,
                    "client_assertion", clientAssertion(), "request", request);
            return withDpop ? post(PAR, form, "DPoP", dpopProof("POST", base + PAR))
                    : post(PAR, form);
        });
    }

    /** Pushes the request and returns its request_uri; fails unless the answer is 201. */
    String push(Authorization a) {
        Response r = par(a);
        if (r.status() != 201) {
            throw new AssertionError("PAR refused: " + r);
        }
        return (String) r.json().get("request_uri");
    }

    /** The URL the client sends the browser to (RFC 9126 §4). */
    URI authorizeUri(String requestUri) {
        return URI.create(base + AUTHORIZE + "?" + form("client_id", clientId, "request_uri", requestUri));
    }

    // --- token endpoint, userinfo, introspection ----------------------------------------------

    /** A {@code private_key_jwt} assertion (RFC 7523 §3): aud the issuer, 60 s, fresh jti. */
    String clientAssertion() {
        long now = System.currentTimeMillis();
        return sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(clientKey.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(issuer)
                        .issueTime(new Date(now)).expirationTime(new Date(now + 60_000))
                        .jwtID(UUID.randomUUID().toString()).build());
    }

    /** The authorization code grant with PKCE and a DPoP proof for the token endpoint. */
    Response redeem(String code, Authorization a) {
        return token(true, "grant_type", "authorization_code", "code", code, "redirect_uri", a.redirectUri(),
                "code_verifier", a.verifier().getValue());
    }

    /** The refresh token grant with a DPoP proof. */
    Response refresh(String refreshToken) {
        return token(true, "grant_type", "refresh_token", "refresh_token", refreshToken);
    }

    /** A token request of this client: the form (name, value pairs), the client assertion, a DPoP proof or not. */
    Response token(boolean withDpop, String... form) {
        return withNonceRetry(() -> tokenWithProof(withDpop ? dpopProof("POST", base + TOKEN) : null, form));
    }

    /** A token request with exactly this DPoP header value (null: none), for proofs made wrong on purpose. */
    Response tokenWithProof(String proof, String... form) {
        String body = form(form) + "&" + form("client_assertion_type", JWT_BEARER, "client_assertion", clientAssertion());
        return proof == null ? post(TOKEN, body) : post(TOKEN, body, "DPoP", proof);
    }

    /** GET /oauth2/userinfo with a DPoP-bound token: {@code Authorization: DPoP} and a proof with ath. */
    Response userinfo(String accessToken) {
        return withNonceRetry(() -> get(USERINFO, "Authorization", "DPoP " + accessToken,
                "DPoP", dpopProof("GET", base + USERINFO, accessToken)));
    }

    /** RFC 7662 introspection, authenticated as this client; the response JSON. */
    Map<String, Object> introspect(String token) {
        Response r = post(INTROSPECT, form("token", token, "client_assertion_type", JWT_BEARER,
                "client_assertion", clientAssertion()));
        if (r.status() != 200) {
            throw new AssertionError("introspection failed: " + r);
        }
        return r.json();
    }

    /** A DPoP proof for a request to the authorization server (no ath), with the last server nonce seen. */
    String dpopProof(String htm, String htu) {
        return dpopProof(htm, htu, null);
    }

    /** A DPoP proof; with an access token, its ath (for resources, RFC 9449 §7). */
    String dpopProof(String htm, String htu, String accessToken) {
        try {
            String nonce = dpopNonce;
            return dpop.createDPoPJWT(htm, URI.create(htu), accessToken == null ? null : new DPoPAccessToken(accessToken),
                    nonce == null ? null : new Nonce(nonce)).serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 9449 §8: a server that asks for a nonce answers use_dpop_nonce once; retry with its nonce. */
    private Response withNonceRetry(Supplier<Response> send) {
        Response r = send.get();
        String nonce = r.header("DPoP-Nonce");
        if (nonce != null) {
            dpopNonce = nonce;
            String challenge = String.valueOf(r.header("WWW-Authenticate"));
            if (r.body().contains("\"use_dpop_nonce\"") || challenge.contains("use_dpop_nonce")) {
                return send.get();
            }
        }
        return r;
    }

    /** POSTs a form to a path of the node, without cookies; headers as name, value pairs. */
    Response post(String path, String form, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8));
        return send(http, b, headers);
    }

    /** GETs a path of the node, without cookies; headers as name, value pairs. */
    Response get(String path, String... headers) {
        return send(http, HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, RSAKey key) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(JWSHeader header, JWTClaimsSet claims) {
        return sign(header, claims, clientKey);
    }

    // --- the browser --------------------------------------------------------------------------

    /** A new browser with an empty cookie jar. */
    Browser browser() {
        return new Browser(http);
    }

    /**
     * A user's browser: its own cookies (name and value, sent back to this node), redirects not
     * followed, so each step and each redirect can be looked at.
     */
    static final class Browser {

        private final HttpClient http;
        private final Map<String, String> cookies = new LinkedHashMap<>();
        private final List<String> setCookieHeaders = new ArrayList<>();

        Browser(HttpClient http) {
            this.http = http;
        }

        Response get(URI uri) {
            return remember(send(http, withCookies(HttpRequest.newBuilder(uri).GET())));
        }

        Response post(URI uri, String form) {
            return remember(send(http, withCookies(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)))));
        }

        /** Posts the login form of this page with its hidden fields. */
        Response signIn(Response loginPage, String username, String password) {
            return post(loginPage.uri().resolve(formAction(loginPage.body())), form("flow", hidden(loginPage.body(), "flow"),
                    "csrf", hidden(loginPage.body(), "csrf"), "username", username, "password", password));
        }

        /** Posts the consent form of this page with the decision {@code approve} or {@code deny}. */
        Response decide(Response consentPage, String decision) {
            return post(consentPage.uri().resolve(formAction(consentPage.body())), form("flow",
                    hidden(consentPage.body(), "flow"), "csrf", hidden(consentPage.body(), "csrf"), "decision", decision));
        }

        String cookie(String name) {
            return cookies.get(name);
        }

        /** Every Set-Cookie header this browser was sent, in order. */
        List<String> setCookieHeaders() {
            return List.copyOf(setCookieHeaders);
        }

        private HttpRequest.Builder withCookies(HttpRequest.Builder b) {
            if (!cookies.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                cookies.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "; ").append(k).append('=').append(v));
                b.header("Cookie", sb.toString());
            }
            return b;
        }

        private Response remember(Response r) {
            for (String header : r.headerValues("Set-Cookie")) {
                setCookieHeaders.add(header);
                String pair = header.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    String name = pair.substring(0, eq).strip();
                    String value = pair.substring(eq + 1).strip();
                    boolean expired = header.toLowerCase().contains("max-age=0");
                    if (expired || value.isEmpty()) {
                        cookies.remove(name);
                    } else {
                        cookies.put(name, value);
                    }
                }
            }
            return r;
        }
    }

    // --- HTML and URLs ------------------------------------------------------------------------

    private static final Pattern INPUT = Pattern.compile("<input\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);

    /** The value of the input named {@code name} (hidden fields flow and csrf); null when absent. */
    static String hidden(String html, String name) {
        Matcher m = INPUT.matcher(html);
        while (m.find()) {
            if (name.equals(attribute(m.group(), "name"))) {
                return attribute(m.group(), "value");
            }
        }
        return null;
    }

    /** The action of the page's first form. */
    static String formAction(String html) {
        Matcher m = FORM.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no form in the page: " + html);
        }
        return attribute(m.group(), "action");
    }

    /** The text of the element with this id, tags removed and entities decoded; null when absent. */
    static String textById(String html, String id) {
        Matcher m = Pattern.compile("<([a-zA-Z0-9]+)\\b[^>]*\\bid=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</\\1>",
                Pattern.DOTALL).matcher(html);
        return m.find() ? unescape(m.group(2).replaceAll("<[^>]*>", "")).strip() : null;
    }

    /** The values of an attribute over every element that has it ({@code data-code} of the permissions). */
    static List<String> attributeValues(String html, String attribute) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\b" + Pattern.quote(attribute) + "=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            out.add(unescape(m.group(1)));
        }
        return out;
    }

    private static String attribute(String tag, String name) {
        Matcher m = Pattern.compile("\\b" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(tag);
        return m.find() ? unescape(m.group(1)) : null;
    }

    private static String unescape(String s) {
        Matcher m = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);").matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String r = switch (e) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> new String(Character.toChars(e.startsWith("#x") ? Integer.parseInt(e.substring(2), 16)
                        : Integer.parseInt(e.substring(1))));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(r));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The query parameters of a URL (the redirect back to the client), decoded; the first of repeats. */
    static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = uri.getRawQuery();
        if (q == null) {
            return out;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    /** {@code application/x-www-form-urlencoded} from name, value pairs. */
    static String form(String... nameValues) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nameValues.length; i += 2) {
            sb.append(sb.length() == 0 ? "" : "&").append(URLEncoder.encode(nameValues[i], StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(nameValues[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    // --- HTTP ---------------------------------------------------------------------------------

    private static HttpClient httpClient(SSLContext tls) {
        SSLParameters params = tls.getDefaultSSLParameters();
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        params.setEndpointIdentificationAlgorithm("HTTPS");
        return HttpClient.newBuilder().sslContext(tls).sslParameters(params).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static Response send(HttpClient http, HttpRequest.Builder b, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpRequest request = b.timeout(TIMEOUT).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(request.uri(), r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new AssertionError("request to " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
