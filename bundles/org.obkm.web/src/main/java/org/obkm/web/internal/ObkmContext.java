package org.obkm.web.internal;

import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The pages register on OBKM's one named servlet context, {@value #NAME}, which the oauth bundle
 * provides (its {@code ObkmServletContext}, at path {@code /}): the transport filter's security headers
 * and HTTPS rule cover them as they cover the endpoints.
 */
final class ObkmContext {

    static final String NAME = "obkm";
    static final String SELECT = HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=("
            + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + NAME + ")";

    private ObkmContext() {
    }
}
