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
 * The consent page (OpenID Connect Core 1.0 §3.1.2.4): shows who asks for what, in plain words, and
 * records the person's answer; either answer sends the browser back to the client.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + AuthorizationFlows.CONSENT_PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-consent",
    ObkmContext.SELECT})
public final class ConsentServlet extends PageServlet {

    private static final long serialVersionUID = 1L;

    @Activate
    public ConsentServlet(@Reference AuthorizationFlows flows) {
        super(flows, FlowPage.Stage.CONSENT);
    }

    @Override
    FlowStep submit(FormData form, String browserKey) throws BadRequest {
        String flowId = form.required("flow");
        String csrf = form.required("csrf");
        String decision = form.required("decision");
        if (!"approve".equals(decision) && !"deny".equals(decision)) {
            throw new BadRequest("decision is neither approve nor deny");
        }
        // The accounts the PSU selected for an open-banking consent: checkboxes account.N or the radio account.
        return flows.decide(flowId, browserKey, csrf, "approve".equals(decision), form.values("account"));
    }
}
