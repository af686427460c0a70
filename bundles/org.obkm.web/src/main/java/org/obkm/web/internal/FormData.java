package org.obkm.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;

/**
 * The fields of a page request, decoded from {@code application/x-www-form-urlencoded} (a POST body,
 * or a GET query string). The body is read here, at most {@value #MAX_BYTES} bytes, rather than
 * through the servlet parameter map, which would merge URL query parameters into the form (a
 * password must never be taken from a URL) and set no limit on chunked bodies. Values are kept as
 * {@code char[]} so that {@link #clear()} can zero a password; no field may be repeated.
 */
final class FormData {

    /** Larger than any honest login or consent form, small enough to refuse floods cheaply. */
    static final int MAX_BYTES = 16 * 1024;

    private final Map<String, char[]> fields;

    private FormData(Map<String, char[]> fields) {
        this.fields = fields;
    }

    /** The fields of a form POST; a query string, another content type or an oversized body is refused. */
    static FormData body(HttpServletRequest req) throws BadRequest {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new BadRequest("not a form body");
        }
        if (req.getQueryString() != null) {
            throw new BadRequest("a form POST with a query string");
        }
        if (req.getContentLengthLong() > MAX_BYTES) {
            throw new BadRequest("body of " + req.getContentLengthLong() + " bytes");
        }
        byte[] raw;
        try (InputStream in = req.getInputStream()) {
            raw = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException | RuntimeException e) {
            // Jetty reports a broken chunked body as a RuntimeException (BadMessageException).
            throw new BadRequest("unreadable body: " + e.getClass().getSimpleName());
        }
        try {
            if (raw.length > MAX_BYTES) {
                throw new BadRequest("body over " + MAX_BYTES + " bytes");
            }
            return parse(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** The fields of a GET's query string (none when there is no query). */
    static FormData query(HttpServletRequest req) throws BadRequest {
        String query = req.getQueryString();
        if (query == null) {
            return new FormData(new HashMap<>());
        }
        if (query.length() > MAX_BYTES) {
            throw new BadRequest("query over " + MAX_BYTES + " characters");
        }
        for (int i = 0; i < query.length(); i++) {
            if (query.charAt(i) > 0x7e) {
                throw new BadRequest("query is not percent-encoded ASCII");
            }
        }
        return parse(query.getBytes(StandardCharsets.US_ASCII));
    }

    /** Parses percent-encoded ASCII into fields; the values must decode to valid UTF-8. */
    static FormData parse(byte[] raw) throws BadRequest {
        Map<String, char[]> fields = new HashMap<>();
        FormData form = new FormData(fields);
        try {
            int start = 0;
            while (start <= raw.length) {
                int end = indexOf(raw, (byte) '&', start, raw.length);
                if (end > start) {
                    int eq = indexOf(raw, (byte) '=', start, end);
                    String name = new String(decode(raw, start, eq));
                    char[] value = eq < end ? decode(raw, eq + 1, end) : new char[0];
                    if (fields.putIfAbsent(name, value) != null) {
                        Arrays.fill(value, '\0');
                        throw new BadRequest("a repeated field");
                    }
                }
                start = end + 1;
            }
            return form;
        } catch (BadRequest e) {
            form.clear();
            throw e;
        }
    }

    /** The value of a field, or null when absent. */
    String get(String name) {
        char[] value = fields.get(name);
        return value == null ? null : new String(value);
    }

    /** The values of the fields named {@code prefix} or {@code prefix.<anything>}, in name order. */
    java.util.List<String> values(String prefix) {
        return fields.keySet().stream().filter(n -> n.equals(prefix) || n.startsWith(prefix + "."))
                .sorted().map(this::get).filter(v -> !v.isEmpty()).toList();
    }

    /** The value of a field that must be present and not empty. */
    String required(String name) throws BadRequest {
        String value = get(name);
        if (value == null || value.isEmpty()) {
            throw new BadRequest("missing field " + name);
        }
        return value;
    }

    /** A secret's characters, zeroed by {@link #clear()}; an empty array when absent. */
    char[] secret(String name) {
        return fields.getOrDefault(name, new char[0]);
    }

    /** Zeroes every value, the passwords among them. */
    void clear() {
        fields.values().forEach(v -> Arrays.fill(v, '\0'));
    }

    private static int indexOf(byte[] raw, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (raw[i] == b) {
                return i;
            }
        }
        return to;
    }

    private static char[] decode(byte[] raw, int from, int to) throws BadRequest {
        byte[] bytes = new byte[to - from];
        CharBuffer chars = null;
        try {
            int n = 0;
            for (int i = from; i < to; i++) {
                int c = raw[i] & 0xff;
                if (c == '+') {
                    c = ' ';
                } else if (c == '%') {
                    int hi = i + 2 < to ? Character.digit(raw[i + 1], 16) : -1;
                    int lo = hi >= 0 ? Character.digit(raw[i + 2], 16) : -1;
                    if (lo < 0) {
                        throw new BadRequest("malformed percent-encoding");
                    }
                    c = hi << 4 | lo;
                    i += 2;
                } else if (c < 0x20 || c > 0x7e) {
                    throw new BadRequest("not percent-encoded ASCII");
                }
                bytes[n++] = (byte) c;
            }
            chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n));
            return Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
        } catch (CharacterCodingException e) {
            throw new BadRequest("not UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (chars != null) {
                Arrays.fill(chars.array(), '\0');
            }
        }
    }
}
