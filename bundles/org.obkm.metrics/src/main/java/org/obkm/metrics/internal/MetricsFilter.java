package org.obkm.metrics.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletOutputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * Counts every request of OBKM's servlet context by endpoint and status, times it, and for an answer
 * of 400 or above reads the OAuth error code (RFC 6749 §5.2 {@code error}) from the start of the JSON
 * body as it is written. Ranked first, so that it also sees what the transport filter refuses. A
 * successful answer costs a wrapper, two clock reads and two lock-free adds.
 */
@Component(service = Filter.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME + "=obkm-metrics",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME
            + "=obkm)",
    "service.ranking:Integer=100"})
public final class MetricsFilter implements Filter {

    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([a-z_]{1,40})\"");
    /** Enough of a JSON error body to hold its {@code error} member, which OBKM writes first. */
    private static final int SNIFF_BYTES = 200;

    private final Map<String, NodeMetrics.EndpointMeters> meters = new HashMap<>();
    private final NodeMetrics.EndpointMeters other;

    @Activate
    public MetricsFilter(@Reference NodeMetrics metrics) {
        for (String label : Endpoints.labels()) {
            meters.put(label, metrics.endpoint(label));
        }
        this.other = meters.get("other");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long begin = System.nanoTime();
        Outcome outcome = new Outcome((HttpServletResponse) response);
        try {
            chain.doFilter(request, outcome);
        } finally {
            int status = outcome.getStatus();
            NodeMetrics.EndpointMeters m = meters.getOrDefault(Endpoints.of(((HttpServletRequest) request).getRequestURI()),
                    other);
            m.record(status, status >= 400 ? outcome.error() : null, System.nanoTime() - begin);
        }
    }

    /** Keeps the first bytes of an error answer's body. */
    static final class Outcome extends HttpServletResponseWrapper {
        private byte[] head;
        private int headLength;

        Outcome(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            ServletOutputStream out = super.getOutputStream();
            if (getStatus() < 400) {
                return out;
            }
            return new ServletOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    keep(new byte[] {(byte) b}, 0, 1);
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    keep(b, off, len);
                    out.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }

                @Override
                public boolean isReady() {
                    return out.isReady();
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    out.setWriteListener(listener);
                }
            };
        }

        private void keep(byte[] b, int off, int len) {
            if (head == null) {
                head = new byte[SNIFF_BYTES];
            }
            int n = Math.min(len, SNIFF_BYTES - headLength);
            if (n > 0) {
                System.arraycopy(b, off, head, headLength, n);
                headLength += n;
            }
        }

        /** The OAuth error code of the body, or {@code http_STATUS} when there is none. */
        String error() {
            if (head != null) {
                Matcher m = ERROR.matcher(new String(head, 0, headLength, StandardCharsets.UTF_8));
                if (m.find()) {
                    return m.group(1);
                }
            }
            return "http_" + getStatus();
        }
    }
}
