package org.obkm.itests.node;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import org.obkm.itests.support.Tls;

/**
 * HTTP/1.1 over TLS byte by byte, for requests no HTTP client would send: wrong lengths, bad chunk
 * sizes, bodies that stop or trickle, TLS records cut short. Each exchange is one connection; what
 * matters is that the server answers or closes it within a deadline.
 */
final class RawHttps {

    /**
     * How an exchange ended: {@code status} is the first response's status (-1 when the connection
     * closed, or was reset, before any answer); {@code timedOut} when neither came within the deadline.
     */
    record Outcome(int status, String response, boolean timedOut, long millis) {

        boolean answered() {
            return status > 0;
        }
    }

    /** What is sent before the peer is listened to: bytes, and pauses between them. */
    interface Script {
        void play(OutputStream out, TruncatingSocket socket) throws IOException, InterruptedException;
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "raw-https-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final SSLContext tls;
    private final int port;

    RawHttps(int port) {
        this.port = port;
        try {
            this.tls = Tls.context(null, new TrustManager[] {Tls.trustAll()});
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the request as it is and reads the first response, all within {@code deadline}. */
    Outcome exchange(byte[] request, Duration deadline) {
        return exchange((out, socket) -> out.write(request), deadline);
    }

    Outcome exchange(Script script, Duration deadline) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        AtomicBoolean killed = new AtomicBoolean();
        TruncatingSocket plain = new TruncatingSocket();
        // A write blocked on a server that neither reads nor closes has no timeout of its own
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            killed.set(true);
            closeQuietly(plain);
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        try (plain) {
            plain.connect(new InetSocketAddress("localhost", port), (int) deadline.toMillis());
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true)) {
                socket.setSoTimeout(remaining(end));
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                try {
                    script.play(out, plain);
                    out.flush();
                } catch (IOException e) {
                    // the server may refuse before the whole request is written; its answer is what counts
                }
                Outcome o = read(socket, start, end);
                return killed.get() ? new Outcome(-1, o.response(), true, o.millis()) : o;
            }
        } catch (SocketTimeoutException e) {
            return new Outcome(-1, "", true, millis(start));
        } catch (IOException e) {
            return new Outcome(-1, e.toString(), killed.get(), millis(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            watchdog.cancel(false);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing to end a blocked write; nothing else to do
        }
    }

    /**
     * Opens a connection whose TLS handshake never completes: half a ClientHello record. Such a
     * connection is only bounded by the connector's idle timeout, so it must not cost a server thread.
     */
    Socket stalledHandshake() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("localhost", port), 5_000);
        // TLS record header: handshake (22), TLS 1.2, 512 bytes announced; then the start of a ClientHello
        s.getOutputStream().write(new byte[] {22, 3, 3, 2, 0, 1, 0, 1, (byte) 0xfc, 3, 3});
        s.getOutputStream().flush();
        return s;
    }

    /** Reads the first response: its head, then a Content-Length body, a chunked body or up to the close. */
    private static Outcome read(SSLSocket socket, long start, long end) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int headEnd = -1;
        long bodyLength = -1;
        boolean chunked = false;
        while (true) {
            socket.setSoTimeout(remaining(end));
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                n = -1; // reset or TLS alert: a close
            }
            if (n < 0) {
                break;
            }
            got.write(buf, 0, n);
            String text = got.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
                String head = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
                chunked = head.contains("\r\ntransfer-encoding: chunked");
                bodyLength = contentLength(head);
            }
            if (headEnd >= 0 && (bodyLength >= 0 && text.length() >= headEnd + 4 + bodyLength
                    || chunked && text.endsWith("\r\n0\r\n\r\n"))) {
                break;
            }
        }
        String text = got.toString(StandardCharsets.ISO_8859_1);
        return new Outcome(status(text), text, false, millis(start));
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        return head.startsWith("http/1.1 204") || head.startsWith("http/1.1 304") ? 0 : -1;
    }

    private static int status(String response) {
        if (!response.startsWith("HTTP/1.") || response.length() < 12) {
            return -1;
        }
        try {
            return Integer.parseInt(response.substring(9, 12));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int remaining(long end) {
        return (int) Math.max(1, (end - System.nanoTime()) / 1_000_000);
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Pauses a script; a sleep is what is under test here (a client that stalls), not a wait. */
    static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** Concatenates request parts, each ISO-8859-1 (a String) or raw bytes. */
    static byte[] bytes(List<?> parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Object p : parts) {
            b.writeBytes(p instanceof byte[] raw ? raw : p.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        return b.toByteArray();
    }

    /**
     * The TCP socket under the TLS one (the JDK's layered SSLSocket writes its records through this
     * socket's stream): {@link #cutNextWrite} passes only the first bytes of the next TLS record and
     * drops everything after, so the server holds a record it can never complete.
     */
    static final class TruncatingSocket extends Socket {

        private volatile int cut = -1;
        private OutputStream wrapped;

        void cutNextWrite(int keepBytes) {
            cut = keepBytes;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (wrapped == null) {
                wrapped = new FilterOutputStream(super.getOutputStream()) {
                    private boolean dropping;

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (dropping) {
                            return;
                        }
                        int keep = cut;
                        if (keep >= 0) {
                            dropping = true;
                            out.write(b, off, Math.min(keep, len));
                            out.flush();
                            return;
                        }
                        out.write(b, off, len);
                    }

                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }
                };
            }
            return wrapped;
        }
    }
}
