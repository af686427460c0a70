package org.obkm.consent.internal.endpoint;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

import javax.servlet.Servlet;

import org.obkm.api.consent.ConsentService;
import org.obkm.api.keys.SigningService;
import org.obkm.api.resource.MessageSignatures;
import org.obkm.api.resource.ResourceTokens;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the consent resources on OBKM's servlet context ({@code obkm}, as every endpoint) under the
 * configured base path. The whiteboard pattern is the configuration's, so the servlet is registered
 * here, from the configuration; a change of it re-registers (DS deactivates and activates the
 * component), which takes the resources away for that instant only.
 */
@Component(configurationPid = ConsentEndpoints.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = ConsentConfig.class)
public final class ConsentEndpoints {

    static final String PID = "org.obkm.consent";
    private static final Pattern BASE_PATH = Pattern.compile("^(/[A-Za-z0-9._~-]+)+$");
    private static final String DEFAULT_BASE = "/open-banking/v3.1";
    private static final Logger LOG = LoggerFactory.getLogger(ConsentEndpoints.class);

    private final ServiceRegistration<Servlet> registration;

    @Activate
    public ConsentEndpoints(BundleContext context, @Reference ConsentService consents,
            @Reference ResourceTokens tokens, @Reference MessageSignatures signatures, @Reference SigningService signing,
            ConsentConfig config) {
        String base = basePath(config.basePath());
        Set<String> anchors = anchors(config.trustAnchors());
        String issuer = config.signingIssuer() == null ? "" : config.signingIssuer().strip();
        if (issuer.isEmpty()) {
            LOG.warn("{} signingIssuer is empty: payment consent responses carry no x-jws-signature", PID);
        }
        ConsentServlet servlet = new ConsentServlet(consents, tokens, signatures,
                issuer.isEmpty() ? null : new ResponseSignatures(signing, issuer, anchors.iterator().next())::sign,
                new ConsentServlet.Settings(base, origin(config.publicBaseUrl()), Math.max(1024, config.maxBodyBytes()),
                        anchors), java.time.Clock.systemUTC());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, base + "/*");
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "obkm-consents");
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT, "("
                + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=obkm)");
        registration = context.registerService(Servlet.class, servlet, props);
        LOG.info("Open-banking consent resources at {}", base);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }

    static Set<String> anchors(String[] configured) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : configured == null ? new String[0] : configured) {
            for (String part : a.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        if (out.isEmpty()) {
            out.add("openbanking.org.uk");
        }
        return out;
    }

    static String basePath(String configured) {
        String v = configured == null ? "" : configured.strip();
        if (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        if (!BASE_PATH.matcher(v).matches() || v.startsWith("/oauth2") || v.equals("/health")) {
            LOG.error("{} basePath must be a path such as {} outside /oauth2; {} is used instead of: {}", PID,
                    DEFAULT_BASE, DEFAULT_BASE, configured);
            return DEFAULT_BASE;
        }
        return v;
    }

    static String origin(String configured) {
        String v = configured == null ? "" : configured.strip();
        if (v.isEmpty()) {
            return "";
        }
        if (!v.matches("^https://[A-Za-z0-9.:\\[\\]-]+/?$")) {
            LOG.error("{} publicBaseUrl must be an https origin such as https://api.bank.example; ignored: {}", PID, v);
            return "";
        }
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
    }
}
