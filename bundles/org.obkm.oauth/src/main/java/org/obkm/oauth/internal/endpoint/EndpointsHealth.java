package org.obkm.oauth.internal.endpoint;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.obkm.api.health.HealthIndicator;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.policy.ClientProfiles;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.dto.RuntimeDTO;

/**
 * Endpoints health: up once the HTTP runtime actually serves the OAuth endpoints, so a load
 * balancer never sends a TPP to a node that would answer 404 while it is still starting.
 */
@Component(service = HealthIndicator.class)
public final class EndpointsHealth implements HealthIndicator {

    static final List<String> REQUIRED = List.of("obkm-token", "obkm-introspect", "obkm-revoke", "obkm-jwks",
            "obkm-discovery", "obkm-par", "obkm-authorize", "obkm-userinfo");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HttpServiceRuntime runtime;

    /**
     * Invalid org.obkm.oauth settings (say an http issuer) fail this component's activation; the
     * servlets stay registered but cannot be made. Not binding it is the sign: the node cannot serve.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServerSettings settings;

    /** A bad profile configuration leaves PAR served but refusing everything: the node cannot serve. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ClientProfiles profiles;

    @Override
    public String name() {
        return "endpoints";
    }

    @Override
    public Status check() {
        HttpServiceRuntime r = runtime;
        if (r == null) {
            return Status.down("no HTTP runtime");
        }
        if (settings == null) {
            return Status.down("org.obkm.oauth configuration invalid (see the log)");
        }
        RuntimeDTO dto = r.getRuntimeDTO();
        Set<String> served = Arrays.stream(dto.servletContextDTOs)
                .flatMap(c -> Arrays.stream(c.servletDTOs)).map(s -> s.name).collect(Collectors.toSet());
        List<String> missing = REQUIRED.stream().filter(n -> !served.contains(n)).toList();
        ClientProfiles p = profiles;
        if (missing.isEmpty() && p != null && p.error().isPresent()) {
            return Status.down("invalid client profiles: " + p.error().get());
        }
        return missing.isEmpty() ? Status.up(REQUIRED.size() + " served") : Status.down("not yet served: " + missing);
    }
}
