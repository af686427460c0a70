package org.obkm.web.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.flow.AuthorizationFlows;
import org.obkm.api.flow.FlowPage;
import org.obkm.api.flow.FlowStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shape both pages of a flow share (OpenID Connect Core 1.0 §3.1.2.3-3.1.2.4): GET renders the
 * page the flow is at, POST reads the form and hands it to {@link AuthorizationFlows}, and the
 * outcome is a 303, the page again, a form the browser posts to the client, or the error page. Bad
 * input gets the error page with 400; an unexpected failure is logged once and answered 503, never with
 * a stack trace.
 */
abstract class PageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PageServlet.class);

    final transient AuthorizationFlows flows;
    private final FlowPage.Stage stage;

    PageServlet(AuthorizationFlows flows, FlowPage.Stage stage) {
        this.flows = flows;
        this.stage = stage;
    }

    /** Carries out the page's form; the caller zeroes the form afterwards. */
    abstract FlowStep submit(FormData form, String browserKey) throws BadRequest;

    @Override
    protected final void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Responses.secure(resp);
        try {
            switch (req.getMethod()) {
                case "GET" -> show(req, resp);
                case "POST" -> post(req, resp);
                default -> {
                    resp.setHeader("Allow", "GET, POST");
                    Responses.html(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, Html.error(Html.METHOD_NOT_ALLOWED));
                }
            }
        } catch (BadRequest e) {
            LOG.debug("{} {} refused: {}", req.getMethod(), path(stage), e.getMessage());
            Responses.html(resp, HttpServletResponse.SC_BAD_REQUEST, Html.error(Html.BAD_REQUEST));
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", req.getMethod(), path(stage), e);
            if (!resp.isCommitted()) {
                resp.reset();
                Responses.secure(resp);
                resp.setHeader("Retry-After", "30");
                Responses.html(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, Html.error(Html.UNAVAILABLE));
            }
        }
    }

    private void show(HttpServletRequest req, HttpServletResponse resp) throws BadRequest, IOException {
        String flowId = FormData.query(req).get("flow");
        Optional<FlowPage> page = flowId == null || flowId.isEmpty() ? Optional.empty()
                : flows.page(flowId, browserKey(req));
        if (page.isEmpty()) {
            Responses.html(resp, HttpServletResponse.SC_BAD_REQUEST, Html.error(Html.EXPIRED));
        } else if (page.get().stage() != stage) {
            Responses.seeOther(resp, path(page.get().stage()) + "?flow="
                    + URLEncoder.encode(flowId, StandardCharsets.UTF_8));
        } else {
            Responses.html(resp, HttpServletResponse.SC_OK, Html.page(page.get()));
        }
    }

    private void post(HttpServletRequest req, HttpServletResponse resp) throws BadRequest, IOException {
        FormData form = FormData.body(req);
        FlowStep step;
        try {
            step = submit(form, browserKey(req));
        } finally {
            form.clear();
        }
        switch (step.kind()) {
            case REDIRECT -> Responses.seeOther(resp, step.redirect().toASCIIString());
            case POST -> Responses.formPost(resp, step.redirect(), step.form());
            case SHOW -> Responses.html(resp, HttpServletResponse.SC_OK, Html.page(step.page()));
            case FAILED -> Responses.html(resp, HttpServletResponse.SC_BAD_REQUEST,
                    Html.error(step.message().isEmpty() ? Html.EXPIRED : step.message()));
        }
    }

    /** The browser's key: the first {@value AuthorizationFlows#BROWSER_COOKIE} cookie, or null. */
    static String browserKey(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (AuthorizationFlows.BROWSER_COOKIE.equals(c.getName())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    static String path(FlowPage.Stage stage) {
        return stage == FlowPage.Stage.LOGIN ? AuthorizationFlows.LOGIN_PATH : AuthorizationFlows.CONSENT_PATH;
    }
}
