package org.obkm.bench.hello;

import java.io.IOException;
import java.util.Hashtable;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** The bare-Karaf baseline of run-start.sh: one whiteboard servlet at /hello answering 200. */
public final class HelloActivator implements BundleActivator {
    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", "/hello");
        context.registerService(Servlet.class, new HttpServlet() {
            private static final long serialVersionUID = 1L;
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().write("ok");
            }
        }, props);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
