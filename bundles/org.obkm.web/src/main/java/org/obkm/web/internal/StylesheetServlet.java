package org.obkm.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The pages' one stylesheet, from inside the bundle: the Content-Security-Policy allows styles from
 * this origin only, and the pages load nothing from third parties.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + StylesheetServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-stylesheet",
    ObkmContext.SELECT})
public final class StylesheetServlet extends HttpServlet {

    static final String PATH = "/authn/static/obkm.css";
    private static final long serialVersionUID = 1L;
    private static final byte[] CSS = load();

    /** What the pages link: the content hash changes with the file, so browsers may keep it a year. */
    static final String HREF = PATH + "?v=" + hash(CSS);

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Responses.secure(resp);
        if (!"GET".equals(req.getMethod())) {
            resp.setHeader("Allow", "GET");
            Responses.html(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, Html.error(Html.METHOD_NOT_ALLOWED));
            return;
        }
        resp.setHeader("Cache-Control", "public, max-age=31536000, immutable");
        Responses.write(resp, HttpServletResponse.SC_OK, "text/css;charset=UTF-8", CSS);
    }

    private static byte[] load() {
        try (InputStream in = StylesheetServlet.class.getResourceAsStream("obkm.css")) {
            if (in == null) {
                throw new IllegalStateException("obkm.css is missing from the bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
