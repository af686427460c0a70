package org.obkm.web.internal;

import javax.servlet.Servlet;

import org.obkm.api.flow.AuthorizationFlows;
import org.obkm.api.flow.FlowPage;
import org.obkm.api.flow.FlowStep;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The login page (OpenID Connect Core 1.0 §3.1.2.3): the person signs in with username and password;
 * the flow checks them against the user stores and moves on to consent.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + AuthorizationFlows.LOGIN_PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-login",
    ObkmContext.SELECT})
public final class LoginServlet extends PageServlet {

    private static final long serialVersionUID = 1L;

    @Activate
    public LoginServlet(@Reference AuthorizationFlows flows) {
        super(flows, FlowPage.Stage.LOGIN);
    }

    @Override
    FlowStep submit(FormData form, String browserKey) throws BadRequest {
        String flowId = form.required("flow");
        String csrf = form.required("csrf");
        String username = form.get("username");
        if (username == null || form.get("password") == null) {
            throw new BadRequest("username and password fields are required");
        }
        return flows.signIn(flowId, browserKey, csrf, username.strip(), form.secret("password"));
    }
}
