package org.obkm.web.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** An HTTP/1.1 response as Jetty's in-memory connector returns it (ISO-8859-1 text), parsed for the tests. */
record RawResponse(int status, Map<String, String> headers, String body) {

    static RawResponse parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new AssertionError("no response");
        }
        int end = raw.indexOf("\r\n\r\n");
        String[] lines = raw.substring(0, end < 0 ? raw.length() : end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.putIfAbsent(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
        String body = end < 0 ? "" : raw.substring(end + 4);
        return new RawResponse(status, headers,
                new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    String get(String header) {
        return headers.get(header);
    }

    int getStatus() {
        return status;
    }

    String getContent() {
        return body;
    }
}
