package org.obkm.oauth.internal.sender;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Comparing the HTTP target URIs that DPoP proofs name ({@code htu}) with the endpoint's own. */
public final class HttpTargets {

    private HttpTargets() {
    }

    /**
     * The URI as RFC 3986 §6.2.2-6.2.3 normalizes it, without query and fragment (RFC 9449 §4.3 point 9):
     * lower-case scheme and host, no default port, dot segments removed, percent-encoding in upper case
     * and unreserved characters decoded. Null for anything but an absolute http(s) URL.
     */
    public static String normalized(String uri) {
        if (uri == null) {
            return null;
        }
        URI u;
        try {
            u = new URI(uri).normalize();
        } catch (URISyntaxException e) {
            return null;
        }
        if (u.getScheme() == null || u.isOpaque() || u.getHost() == null || u.getRawUserInfo() != null) {
            return null;
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort;
        if ("https".equals(scheme)) {
            defaultPort = 443;
        } else if ("http".equals(scheme)) {
            defaultPort = 80;
        } else {
            return null;
        }
        String host = u.getHost().toLowerCase(Locale.ROOT);
        String port = u.getPort() == -1 || u.getPort() == defaultPort ? "" : ":" + u.getPort();
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : percentNormalized(u.getRawPath());
        return scheme + "://" + host + port + path;
    }

    private static String percentNormalized(String raw) {
        StringBuilder b = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                int v = Integer.parseInt(raw.substring(i + 1, i + 3), 16);
                if ((v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || (v >= '0' && v <= '9') || v == '-'
                        || v == '.' || v == '_' || v == '~') {
                    b.append((char) v);
                } else {
                    b.append('%').append(raw.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
                }
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
