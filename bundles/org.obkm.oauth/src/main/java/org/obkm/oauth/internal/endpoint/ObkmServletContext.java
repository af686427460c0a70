package org.obkm.oauth.internal.endpoint;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The one servlet context all of OBKM's HTTP surface is registered on (OSGi HTTP Whiteboard §140.2):
 * the endpoints, the health check, the transport filter and the web bundle's pages select it by name
 * ({@value #SELECT}), so the filter covers exactly them and nothing else deployed in the container
 * shares their context. At path {@code /}, so every URL stays what it was. Bundle-scoped, as the
 * specification advises: each using bundle gets a helper that finds resources in that bundle.
 */
@Component(service = ServletContextHelper.class, scope = ServiceScope.BUNDLE, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + ObkmServletContext.NAME,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_PATH + "=/"})
public final class ObkmServletContext extends ServletContextHelper {

    static final String NAME = "obkm";
    /** The whiteboard property each servlet and filter of OBKM carries. */
    static final String SELECT = HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=("
            + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + NAME + ")";

    @Activate
    public ObkmServletContext(ComponentContext context) {
        super(context.getUsingBundle());
    }
}
