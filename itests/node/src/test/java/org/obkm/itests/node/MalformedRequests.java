package org.obkm.itests.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.obkm.itests.support.Https;

/**
 * Random, reproducible (one seed) malformed requests to every endpoint of a node: random methods and
 * content types, form, JSON and JOSE bodies up to 200 KB, duplicate and conflicting parameters and
 * headers, non-UTF-8 bytes, broken JWTs in every JWT-carrying parameter and in {@code Authorization}
 * and {@code DPoP}, garbage cookies and client certificate headers. Each request is framed correctly
 * (an exact Content-Length or well-formed chunks) and asks for {@code Connection: close}, so the server
 * can always answer it; the framing faults are {@link MalformedInputSweepIT}'s own cases.
 */
final class MalformedRequests {

    /** One request: a short description for failure messages and its bytes. */
    record Request(String summary, byte[] bytes) {
    }

    private static final String[] PATHS = {
        "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server",
        "/oauth2/token/.well-known/openid-configuration", "/oauth2/jwks", "/health",
        "/oauth2/par", "/oauth2/authorize", "/oauth2/token", "/oauth2/introspect", "/oauth2/revoke",
        "/oauth2/userinfo", "/register", "/register/%s", "/authn/login", "/authn/consent", "/authn/static/obkm.css",
        "/open-banking/v3.1/aisp/account-access-consents", "/open-banking/v3.1/aisp/account-access-consents/%s",
        "/open-banking/v3.1/pisp/domestic-payment-consents", "/open-banking/v3.1/pisp/domestic-payment-consents/%s",
        "/open-banking/v3.1/pisp/domestic-payment-consents/%s/funds-confirmation",
        "/open-banking/v3.1/cbpii/funds-confirmation-consents", "/open-banking/v3.1/cbpii/funds-confirmation-consents/%s",
        "/oauth2/../oauth2/token", "//oauth2//token", "/oauth2/token;jsessionid=x", "/%2e%2e/etc/passwd", "/no-such",
    };
    private static final String[] METHODS = {"GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD",
        "OPTIONS", "TRACE", "FOO", "get"};
    private static final String[] CONTENT_TYPES = {"application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=ISO-8859-1",
        "application/x-www-form-urlencoded; charset=nonsense", "application/json", "application/json; charset=UTF-16",
        "application/jose", "application/jwt", "multipart/form-data; boundary=x", "text/plain", "*/*", "", ";;;",
        "application/x-www-form-urlencoded\u00ff"};
    /** Every parameter the node reads; the JWT-carrying ones get broken JWTs most often. */
    private static final String[] JWT_PARAMS = {"request", "client_assertion", "token", "id_token_hint",
        "login_hint_token", "software_statement", "dpop_proof"};
    private static final String[] PARAMS = {"grant_type", "client_id", "client_secret", "client_assertion_type",
        "scope", "redirect_uri", "response_type", "response_mode", "state", "nonce", "code", "code_verifier",
        "code_challenge", "code_challenge_method", "request_uri", "refresh_token", "token_type_hint", "claims",
        "authorization_details", "dpop_jkt", "prompt", "max_age", "acr_values", "username", "password", "flow",
        "decision", "csrf", "consent_id", "resource", "audience", "ui_locales"};
    private static final String[] VALUES = {"", "client_credentials", "authorization_code", "refresh_token",
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "urn:ietf:params:oauth:request_uri:x",
        "code", "S256", "plain", "openid accounts", "https://client.example.test/cb", "javascript:alert(1)",
        "-1", "99999999999999999999", "1e999999", "%00", "%C3%28", "%FF%FE", "%ED%A0%80", "%G1", "%", "%2",
        "+++", "%0d%0aX-Injected:%201", "a%26b%3Dc", "\u00e9", "\u00ff\u00fe"};
    private static final String[] JSON = {"{", "}", "[]", "null", "\"x\"", "0", "{\"userinfo\":5}",
        "{\"id_token\":{\"acr\":{\"essential\":\"yes\",\"values\":7}}}", "[{\"type\":null}]",
        "[{\"type\":\"payment_initiation\",\"locations\":\"x\",\"instructedAmount\":{\"amount\":[]}}]",
        "{\"Data\":{\"Permissions\":[\"ReadAccountsBasic\",1],\"ExpirationDateTime\":\"not a date\"},\"Risk\":{}}",
        "{\"Data\":{\"Initiation\":{\"InstructedAmount\":{\"Amount\":\"1e9999\",\"Currency\":\"\"}}},\"Risk\":[]}",
        "{\"Data\":{\"DebtorAccount\":{\"SchemeName\":{},\"Identification\":null}}}",
        "{\"a\":\"\\ud800\"}", "{\"a\":1,\"a\":2}", "{\"redirect_uris\":[\"x\"],\"token_endpoint_auth_method\":7}"};
    private static final String[] CERT_HEADERS = {"x-wso2-mutual-auth-cert", "X-Client-Cert", "ssl-client-cert",
        "X-SSL-Client-Cert", "X-Forwarded-Client-Cert"};
    private static final String[] CERT_VALUES = {"-----BEGIN CERTIFICATE-----\nMIIBgarbage\n-----END CERTIFICATE-----",
        "-----BEGIN%20CERTIFICATE-----%0AMIIB%25%25%0A-----END%20CERTIFICATE-----", "%%%", ":MIIB:", "MIIB" + "A".repeat(3000),
        "Hash=x;Cert=\"-----BEGIN\"", ""};

    private final Random random;
    private final List<String> jwts;
    private final String clientId;
    private final String secret;
    private final String accessToken;

    /**
     * @param jwts broken and well-formed-but-wrong JWTs to put wherever a JWT goes
     * @param clientId a registered client, so some requests get past client authentication
     * @param accessToken one of its access tokens, so some resource requests get past the token check
     */
    MalformedRequests(long seed, List<String> jwts, String clientId, String secret, String accessToken) {
        this.random = new Random(seed);
        this.jwts = List.copyOf(jwts);
        this.clientId = clientId;
        this.secret = secret;
        this.accessToken = accessToken;
    }

    /** Broken JWTs that need no key: every way a compact serialization can go wrong. */
    static List<String> brokenJwts() {
        List<String> j = new ArrayList<>(List.of("", "a", "a.b", "a.b.c", "..", "....", "a.b.c.d.e", ".x.",
                "eyJ", "eyJhbGciOiJub25lIn0.e30.", "eyJhbGciOiJub25lIn0..", "e30.e30.e30", "W10.W10.", "bnVsbA.bnVsbA.x",
                "eyJhbGciOiJSUzI1NiJ9.%%%.abc", "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOiJ4In0.AAAA", "ey" + "J".repeat(8000),
                "a.b.c.d.e.f.g"));
        for (String header : List.of("{\"alg\":\"HS256\"}", "{\"alg\":\"none\",\"typ\":\"dpop+jwt\"}",
                "{\"alg\":\"ES256\",\"typ\":\"dpop+jwt\",\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}}",
                "{\"alg\":\"PS256\",\"kid\":\"" + "k".repeat(2000) + "\"}", "{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}",
                "{\"alg\":\"PS256\",\"crit\":[\"x\"]}", "{\"alg\":[]}", "{\"alg\":\"ES256\",\"jwk\":\"x\"}")) {
            for (String claims : List.of("{}", "{\"exp\":\"soon\",\"iat\":[],\"aud\":{}}", "{\"htm\":1,\"htu\":null}",
                    "{\"iss\":\"x\",\"sub\":\"x\",\"aud\":\"x\",\"exp\":99999999999999999999}", "[", "null")) {
                j.add(b64(header) + "." + b64(claims) + "." + b64("sig"));
            }
        }
        return j;
    }

    Request next() {
        String path = pick(PATHS);
        if (path.contains("%s")) {
            path = path.replace("%s", pick(List.of("x", "00000000-0000-0000-0000-000000000000", clientId, "%00", "a/b",
                    "\u00ff", "x".repeat(3000))));
        }
        String method = random.nextInt(4) == 0 ? pick(METHODS) : usualMethod(path);
        List<String> headers = new ArrayList<>();
        headers.add("Host: localhost");
        String query = random.nextInt(3) == 0 || "GET".equals(method) && path.startsWith("/oauth2/authorize")
                ? "?" + form(1 + random.nextInt(6)) : "";
        byte[] body = new byte[0];
        if (!"GET".equals(method) && !"HEAD".equals(method) || random.nextInt(8) == 0) {
            String type = bodyType(path);
            if (random.nextInt(5) > 0) {
                headers.add("Content-Type: " + type);
            }
            if (random.nextInt(12) == 0) {
                headers.add("Content-Type: " + pick(CONTENT_TYPES));
            }
            body = body(type);
        }
        addAuthorization(headers, path);
        addGarbageHeaders(headers);
        boolean chunked = body.length > 0 && random.nextInt(6) == 0;
        headers.add(chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length);
        headers.add("Connection: close");
        String head = method + " " + path + query + " HTTP/1.1\r\n" + String.join("\r\n", headers) + "\r\n\r\n";
        byte[] framed = chunked ? chunks(body) : body;
        String summary = method + " " + path + cut(query, 80) + " " + cut(String.join(" | ", headers), 300)
                + " body " + body.length + " bytes: " + cut(new String(body, StandardCharsets.ISO_8859_1), 200);
        return new Request(summary, RawHttps.bytes(List.of(head, framed)));
    }

    private static String usualMethod(String path) {
        if (path.startsWith("/oauth2/par") || path.startsWith("/oauth2/token") && !path.contains("well-known")
                || path.startsWith("/oauth2/introspect") || path.startsWith("/oauth2/revoke")
                || path.endsWith("-consents") || path.equals("/register")) {
            return "POST";
        }
        return "GET";
    }

    private String bodyType(String path) {
        if (random.nextInt(6) == 0) {
            return pick(CONTENT_TYPES);
        }
        if (path.startsWith("/open-banking")) {
            return "application/json";
        }
        if (path.startsWith("/register")) {
            return pick(List.of("application/jose", "application/jwt", "application/json"));
        }
        return "application/x-www-form-urlencoded";
    }

    private byte[] body(String type) {
        int kind = random.nextInt(10);
        String text;
        if (kind == 0) {
            byte[] raw = new byte[random.nextInt(3) == 0 ? random.nextInt(200_000) : random.nextInt(2_000)];
            random.nextBytes(raw);
            return raw;
        } else if (type.startsWith("application/json") || kind == 1) {
            text = random.nextBoolean() ? pick(JSON) : deepJson();
        } else if (type.startsWith("application/jo") || type.startsWith("application/jwt") || kind == 2) {
            text = pick(jwts);
        } else {
            text = form(1 + random.nextInt(10));
        }
        if (random.nextInt(10) == 0) {
            // up to 200 KB, past every limit the node sets on a body
            text = text + "&pad=" + "x".repeat(random.nextInt(200_000));
        }
        return text.getBytes(random.nextInt(8) == 0 ? StandardCharsets.UTF_16 : StandardCharsets.UTF_8);
    }

    private String deepJson() {
        int depth = 1 + random.nextInt(5_000);
        return "[".repeat(depth) + "{\"a\":" + "]".repeat(random.nextInt(depth + 1));
    }

    /** Form fields, some JWT ones, some repeated (RFC 6749 §3.1 forbids it), some values raw non-ASCII. */
    private String form(int fields) {
        List<String> f = new ArrayList<>();
        for (int i = 0; i < fields; i++) {
            int kind = random.nextInt(5);
            String name = kind == 0 ? pick(JWT_PARAMS) : pick(PARAMS);
            String value = switch (kind) {
                case 0 -> pick(jwts);
                case 1 -> Https.enc(pick(JSON));
                case 2 -> pick(List.of(clientId, secret, Https.enc(pick(jwts))));
                default -> pick(VALUES);
            };
            f.add(name + "=" + value);
            if (random.nextInt(8) == 0) {
                f.add(name + "=" + pick(VALUES));
            }
        }
        if (random.nextInt(10) == 0) {
            f.add(pick(List.of("=", "&&", "a", "=x", "a==b", "%zz=1")));
        }
        return String.join("&", f);
    }

    private void addAuthorization(List<String> headers, String path) {
        int kind = random.nextInt(8);
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        if (kind == 0) {
            headers.add("Authorization: Basic " + basic);
        } else if (kind == 1) {
            headers.add("Authorization: Bearer " + (path.startsWith("/open-banking") || path.contains("userinfo")
                    ? accessToken : pick(jwts)));
        } else if (kind == 2) {
            headers.add("Authorization: " + pick(List.of("Basic", "Basic !!!", "Basic " + b64("no-colon"), "Basic " + b64(":"),
                    "Basic " + b64(clientId + ":wrong"), "Bearer", "Bearer " + pick(jwts), "DPoP " + pick(jwts),
                    "DPoP " + accessToken, "Negotiate x", "x".repeat(8_000), "Basic " + basic + ", Bearer x")));
        } else if (kind == 3) {
            headers.add("Authorization: Basic " + basic);
            headers.add("Authorization: Bearer " + accessToken);
        }
        if (random.nextInt(4) == 0) {
            headers.add("DPoP: " + pick(jwts));
            if (random.nextInt(4) == 0) {
                headers.add("DPoP: " + pick(jwts));
            }
        }
    }

    private void addGarbageHeaders(List<String> headers) {
        if (random.nextInt(4) == 0) {
            headers.add("Cookie: " + pick(List.of("JSESSIONID=" + pick(VALUES), "obkm_session=%%%; JSESSIONID=",
                    "=;=;=", "a=" + "Z".repeat(random.nextInt(6_000)), "JSESSIONID=a; JSESSIONID=b", "\u00ff\u00fe=1")));
        }
        if (random.nextInt(4) == 0) {
            headers.add(pick(CERT_HEADERS) + ": " + pick(CERT_VALUES));
        }
        if (random.nextInt(4) == 0) {
            headers.add(pick(List.of("x-fapi-interaction-id", "x-fapi-auth-date", "x-fapi-customer-ip-address",
                    "x-jws-signature", "x-idempotency-key", "X-Forwarded-For", "X-Forwarded-Proto", "Origin", "Accept",
                    "Accept-Charset", "Accept-Encoding", "Expect", "Range", "If-None-Match", "Content-Encoding"))
                    + ": " + pick(List.of(pick(jwts), pick(VALUES), "x".repeat(random.nextInt(4_000)), "\u00ff\u00c3(",
                            "1.2.3.4, ::1, not-an-ip", "gzip", "bytes=0-1,-5")));
        }
        if (random.nextInt(30) == 0) {
            headers.add("X-Big: " + "b".repeat(20_000 + random.nextInt(60_000)));
        }
    }

    private static byte[] chunks(byte[] body) {
        List<Object> parts = new ArrayList<>();
        for (int off = 0; off < body.length; off += 4096) {
            int n = Math.min(4096, body.length - off);
            byte[] chunk = new byte[n];
            System.arraycopy(body, off, chunk, 0, n);
            parts.add(Integer.toHexString(n) + "\r\n");
            parts.add(chunk);
            parts.add("\r\n");
        }
        parts.add("0\r\n\r\n");
        return RawHttps.bytes(parts);
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private String pick(String[] array) {
        return array[random.nextInt(array.length)];
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…(" + s.length() + ")";
    }
}
