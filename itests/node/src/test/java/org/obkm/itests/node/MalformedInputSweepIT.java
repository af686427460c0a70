package org.obkm.itests.node;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.itests.support.ClientAssertions;
import org.obkm.itests.support.Https;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * Issue 16: malformed input never gets a 5xx, a stack trace or a hang. Raw TLS connections to every
 * endpoint carry random malformed requests from one seed, and framing no HTTP client would send
 * (wrong lengths, bad chunk sizes, stalled and trickling bodies, TLS records cut short, oversized and
 * duplicate headers). Every request must be answered, or its connection closed, within 10 s; no answer
 * may be a 5xx or name an exception; the node logs no ERROR meanwhile.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MalformedInputSweepIT extends NodeTestSupport {

    /** Change the seed to explore; a failure message names the request, so the seed need not be kept. */
    private static final long SEED = 16;
    private static final int RANDOM_REQUESTS = 600;
    private static final int IN_FLIGHT = 8;
    private static final Duration BOUND = Duration.ofSeconds(10);
    /** A class name ending in Exception or Error, a stack frame, or a chained cause. */
    private static final Pattern STACK = Pattern.compile(
            "(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error)\\b|\\bat [\\w.$]+\\([\\w.]*:\\d+\\)|Caused by:");

    private static String clientId;
    private static String secret;
    private static String accessToken;
    private static List<String> jwts;

    @Before
    public void registerClient() throws Exception {
        if (clientId != null) {
            return;
        }
        CreatedClient c = clients.create(new ClientRegistration("it-sweep",
                Set.of("client_credentials", "authorization_code", "refresh_token"),
                Set.of("openid", "accounts", "payments", "fundsconfirmations"), TokenEndpointAuthMethod.CLIENT_SECRET_BASIC,
                null, null, List.of("https://client.example.test/cb"), null, "none", false, false));
        clientId = c.client().clientId();
        secret = c.secret();
        accessToken = (String) tokenFor(c, "scope", "accounts payments fundsconfirmations").get("access_token");
        // Well-formed JWTs with the client's own claims, signed by a key nobody registered
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
        List<String> all = new ArrayList<>(MalformedRequests.brokenJwts());
        all.add(ClientAssertions.sign(stranger, JWSAlgorithm.PS256, ClientAssertions.validClaims(clientId, issuer()).build()));
        all.add(ClientAssertions.sign(stranger, JWSAlgorithm.RS256, ClientAssertions.validClaims(clientId, issuer()).build()));
        all.add(ClientAssertions.unsigned(ClientAssertions.validClaims(clientId, issuer()).build()));
        all.add(ClientAssertions.signHs256(secret.getBytes(StandardCharsets.UTF_8),
                ClientAssertions.validClaims(clientId, issuer()).build()));
        jwts = List.copyOf(all);
    }

    @Test
    public void randomMalformedRequestsToEveryEndpointAreAnsweredWithoutServerErrors() throws Exception {
        long logStart = logSize();
        MalformedRequests generator = new MalformedRequests(SEED, jwts, clientId, secret, accessToken);
        List<MalformedRequests.Request> requests = Stream.generate(generator::next).limit(RANDOM_REQUESTS).toList();
        RawHttps raw = new RawHttps(httpsPort());
        java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
        List<String> wrong = run(requests.stream().map(r -> (Supplier<String>) () -> {
            RawHttps.Outcome o = raw.exchange(r.bytes(), BOUND);
            if (!o.answered() && !o.timedOut()) {
                closed.incrementAndGet();
            }
            // A close is an answer too (a refused body is cut off with the connection, which may take the
            // response with it), but most requests must get a response
            return judge(r.summary(), o);
        }).toList());
        assertTrue(wrong.size() + " of " + RANDOM_REQUESTS + " requests (seed " + SEED + ") wrongly answered:\n"
                + String.join("\n", wrong.subList(0, Math.min(20, wrong.size()))), wrong.isEmpty());
        assertTrue(closed.get() + " of " + RANDOM_REQUESTS + " connections closed without a response",
                closed.get() < RANDOM_REQUESTS / 10);
        assertNoErrorLogged(logStart);
    }

    /** Framing faults, each on every kind of endpoint that reads a body. */
    @Test
    public void malformedFramingIsAnsweredOrClosedWithinTenSeconds() throws Exception {
        long logStart = logSize();
        RawHttps raw = new RawHttps(httpsPort());
        List<Supplier<String>> cases = new ArrayList<>();
        for (String[] target : bodyTargets()) {
            String start = "POST " + target[0] + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + target[1] + "\r\n"
                    + "Authorization: " + target[2] + "\r\n";
            String body = target[3];
            for (String[] framing : framings(body)) {
                byte[] request = RawHttps.bytes(List.of(start + framing[1]));
                cases.add(() -> judge(framing[0] + " to " + target[0], raw.exchange(request, BOUND)));
            }
            // Headers complete, then part of the body and nothing more: the request idle timeout closes it
            byte[] stalled = RawHttps.bytes(List.of(start + "Content-Length: 1000\r\n\r\n" + body));
            cases.add(() -> judge("a body stalled after " + body.length() + " of 1000 bytes to " + target[0],
                    raw.exchange(stalled, BOUND)));
            // A byte every 300 ms: below the minimum data rate, so refused long before the body is in
            cases.add(() -> judge("a body trickling in to " + target[0], raw.exchange((out, socket) -> {
                out.write((start + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                for (int i = 0; i < 40; i++) {
                    RawHttps.pause(300);
                    out.write('a');
                    out.flush();
                }
            }, BOUND)));
            // The body's TLS record cut short: the server holds half a record it can never decrypt
            cases.add(() -> judge("a TLS record cut short in the body to " + target[0], raw.exchange((out, socket) -> {
                out.write((start + "Content-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                socket.cutNextWrite(7);
                out.write(body.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }, BOUND)));
        }
        for (String[] c : headerFaults()) {
            byte[] request = RawHttps.bytes(List.of(c[1]));
            cases.add(() -> judge(c[0], raw.exchange(request, BOUND)));
        }
        List<String> wrong = run(cases);
        assertTrue(wrong.size() + " of " + cases.size() + " framing cases wrongly answered:\n" + String.join("\n", wrong),
                wrong.isEmpty());
        assertNoErrorLogged(logStart);
    }

    /**
     * Connections that never finish their TLS handshake wait for the connector's idle timeout (60 s,
     * for keep-alive); they must cost no server thread, so more of them than the server has threads
     * leave the node answering at once.
     */
    @Test
    public void stalledHandshakesHoldNoServerThread() throws Exception {
        RawHttps raw = new RawHttps(httpsPort());
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                stalled.add(raw.stalledHandshake());
            }
            long start = System.nanoTime();
            Https.Response health = https().get("/health");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue("health with 100 stalled handshakes: " + health + " in " + millis + " ms",
                    health.status() == 200 && millis < 5_000);
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    /** Path, content type, Authorization, a body that is well formed for it. */
    private static List<String[]> bodyTargets() {
        String basic = Https.basic(clientId, secret);
        return List.of(
                new String[] {TOKEN, FORM, basic, "grant_type=client_credentials&scope=accounts"},
                new String[] {"/oauth2/par", FORM, basic, "response_type=code&scope=openid&state=s&nonce=n"
                        + "&redirect_uri=https%3A%2F%2Fclient.example.test%2Fcb&code_challenge_method=S256"
                        + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeJ1t-qpp5Ymy8QmE5Xk"},
                new String[] {INTROSPECT, FORM, basic, "token=" + accessToken},
                new String[] {"/register", "application/jose", "Bearer x", jwts.get(jwts.size() - 4)},
                new String[] {"/open-banking/v3.1/aisp/account-access-consents", "application/json",
                        "Bearer " + accessToken, "{\"Data\":{\"Permissions\":[\"ReadAccountsBasic\"]},\"Risk\":{}}"},
                new String[] {"/authn/login", FORM, "Basic x", "username=alice&password=secret&flow=x"});
    }

    /** Name, then the rest of the request after the first headers. */
    private static List<String[]> framings(String body) {
        int n = body.length();
        return List.of(
                new String[] {"Content-Length shorter than the body, the rest garbage",
                        "Content-Length: " + (n / 2) + "\r\n\r\n" + body + "\r\nGARBAGE\r\n\r\n"},
                new String[] {"a negative Content-Length", "Content-Length: -1\r\n\r\n" + body},
                new String[] {"a non-numeric Content-Length", "Content-Length: 1e3\r\n\r\n" + body},
                new String[] {"a Content-Length past 2^63", "Content-Length: 99999999999999999999\r\n\r\n" + body},
                new String[] {"two Content-Lengths", "Content-Length: " + n + "\r\nContent-Length: " + (n + 5)
                        + "\r\n\r\n" + body + "xxxxx"},
                new String[] {"Content-Length and chunked", "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(n) + "\r\n" + body + "\r\n0\r\n\r\n"},
                new String[] {"a chunk size that is not hex", "Transfer-Encoding: chunked\r\n\r\nZZ\r\n" + body + "\r\n0\r\n\r\n"},
                new String[] {"a negative chunk size", "Transfer-Encoding: chunked\r\n\r\n-5\r\n" + body + "\r\n0\r\n\r\n"},
                new String[] {"a chunk size past 2^64", "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n" + body},
                new String[] {"a chunk longer than its data, then nothing",
                        "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(n + 4000) + "\r\n" + body},
                new String[] {"chunks without the last chunk", "Transfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(n) + "\r\n" + body + "\r\n"},
                new String[] {"a chunk without its CRLF", "Transfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(n) + "\r\n" + body + "XX0\r\n\r\n"},
                new String[] {"chunk extensions of garbage", "Transfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(n) + ";;;==\"\r\n" + body + "\r\n0;x\r\n\r\n"},
                new String[] {"transfer coding gzip", "Transfer-Encoding: gzip\r\n\r\n" + body},
                new String[] {"transfer coding chunked twice", "Transfer-Encoding: chunked, chunked\r\n\r\n"
                        + Integer.toHexString(n) + "\r\n" + body + "\r\n0\r\n\r\n"},
                new String[] {"Content-Encoding gzip on a plain body", "Content-Encoding: gzip\r\nContent-Length: " + n
                        + "\r\n\r\n" + body},
                new String[] {"Expect 100-continue", "Expect: 100-continue\r\nContent-Length: " + n + "\r\n\r\n" + body},
                new String[] {"an Expect of garbage", "Expect: teapot\r\nContent-Length: " + n + "\r\n\r\n" + body},
                new String[] {"a 200 KB body", "Content-Length: 200000\r\n\r\n" + body + "&" + "x".repeat(200_000 - n - 1)},
                new String[] {"a 2 MB body", "Content-Length: 2000000\r\n\r\n" + body + "&" + "x".repeat(2_000_000 - n - 1)},
                new String[] {"a 300 KB chunked body", "Transfer-Encoding: chunked\r\n\r\n"
                        + ("1000\r\n" + "x".repeat(4096) + "\r\n").repeat(75) + "0\r\n\r\n"},
                new String[] {"a pipelined garbage request", "Content-Length: " + n + "\r\n\r\n" + body
                        + "\u00ff\u00fe GARBAGE\r\n\r\n"});
    }

    /** Name, whole request: faults in the request line and headers. */
    private static List<String[]> headerFaults() {
        String end = "Host: localhost\r\nConnection: close\r\n\r\n";
        List<String[]> c = new ArrayList<>(List.of(
                new String[] {"a 64 KB header", "GET /health HTTP/1.1\r\nX-Big: " + "b".repeat(65_536) + "\r\n" + end},
                new String[] {"1000 headers", "GET /health HTTP/1.1\r\n" + "X-A: a\r\n".repeat(1000) + end},
                new String[] {"a 100 KB URI", "GET /oauth2/authorize?x=" + "u".repeat(100_000) + " HTTP/1.1\r\n" + end},
                new String[] {"a header line without a colon", "GET /health HTTP/1.1\r\nNoColonHere\r\n" + end},
                new String[] {"a header name with a space", "GET /health HTTP/1.1\r\nBad Name: x\r\n" + end},
                new String[] {"an obsolete folded header", "GET /health HTTP/1.1\r\nX-A: a\r\n  folded\r\n" + end},
                new String[] {"bare LF line ends", "GET /health HTTP/1.1\nHost: localhost\nConnection: close\n\n"},
                new String[] {"a NUL in a header", "GET /health HTTP/1.1\r\nX-A: a\u0000b\r\n" + end},
                new String[] {"non-UTF-8 bytes in a header", "GET /oauth2/userinfo HTTP/1.1\r\nAuthorization: Bearer \u00ff\u00c3(\r\n" + end},
                new String[] {"non-ASCII bytes in the path", "GET /oauth2/\u00ff\u00fe HTTP/1.1\r\n" + end},
                new String[] {"an absolute-form target", "POST https://evil.example/oauth2/token HTTP/1.1\r\nContent-Length: 0\r\n" + end},
                new String[] {"an asterisk target", "OPTIONS * HTTP/1.1\r\n" + end},
                new String[] {"CONNECT", "CONNECT localhost:443 HTTP/1.1\r\n" + end},
                new String[] {"HTTP/1.2", "GET /health HTTP/1.2\r\n" + end},
                new String[] {"HTTP/2.0 in an HTTP/1 request line", "GET /health HTTP/2.0\r\n" + end},
                new String[] {"HTTP/1.1x, a broken version", "GET /health HTTP/1.1x\r\n" + end},
                new String[] {"HTTP/0.9, no version", "GET /health\r\n" + end},
                new String[] {"HTTP/1.0 without Host", "GET /oauth2/jwks HTTP/1.0\r\n\r\n"},
                new String[] {"HTTP/1.1 without Host", "GET /oauth2/jwks HTTP/1.1\r\nConnection: close\r\n\r\n"},
                new String[] {"two conflicting Hosts", "GET /health HTTP/1.1\r\nHost: a.example\r\n" + end},
                new String[] {"two conflicting Content-Types", "POST /oauth2/token HTTP/1.1\r\nContent-Type: " + FORM
                        + "\r\nContent-Type: application/json\r\nContent-Length: 3\r\n" + end + "a=b"},
                new String[] {"a garbage method", "\u00ff\u00fe /oauth2/token HTTP/1.1\r\n" + end},
                new String[] {"an HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"},
                new String[] {"a request line of garbage", "\u0016\u0003\u0001\u0000\u00a5\u0001\r\n\r\n"}));
        return c;
    }

    /**
     * Null when the outcome is right: an answer below 500 without a stack trace or exception name, or a
     * close; never a timeout.
     */
    private static String judge(String what, RawHttps.Outcome o) {
        if (o.timedOut()) {
            return "no answer and no close within " + BOUND.toSeconds() + " s: " + what;
        }
        if (!o.answered()) {
            return null;
        }
        // RFC 9110 §15.6.6: 505 is the answer to an HTTP version the server does not speak (Jetty's parser
        // answers it for HTTP/1.2, HTTP/2.0 in an HTTP/1 request line, HTTP/1.1x and a line without version)
        boolean versionRefused = o.status() == 505 && what.startsWith("HTTP/");
        if (o.status() >= 500 && !versionRefused) {
            return o.status() + " for " + what + "\n    " + head(o.response());
        }
        if (STACK.matcher(o.response()).find()) {
            return "exception named in the answer to " + what + "\n    " + head(o.response());
        }
        return null;
    }

    private static String head(String response) {
        return response.length() <= 600 ? response : response.substring(0, 600) + "…";
    }

    /** Runs the cases {@link #IN_FLIGHT} at a time; returns what went wrong. */
    private static List<String> run(List<Supplier<String>> cases) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (Supplier<String> c : cases) {
                results.add(pool.submit(c::get));
            }
            List<String> wrong = Collections.synchronizedList(new ArrayList<>());
            for (Future<String> f : results) {
                String w = f.get(2, TimeUnit.MINUTES);
                if (w != null) {
                    wrong.add(w);
                }
            }
            return wrong;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Path log() {
        return Path.of(System.getProperty("karaf.log", System.getProperty("karaf.data") + "/log"), "karaf.log");
    }

    private static long logSize() throws IOException {
        return Files.exists(log()) ? Files.size(log()) : 0;
    }

    /** No ERROR line since {@code from} (a byte offset in karaf.log). */
    private static void assertNoErrorLogged(long from) throws IOException {
        byte[] all = Files.readAllBytes(log());
        String since = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                StandardCharsets.UTF_8);
        List<String> errors = since.lines().filter(l -> l.contains("| ERROR |")).toList();
        assertTrue("ERROR logged during the sweep:\n" + String.join("\n", errors), errors.isEmpty());
    }
}
