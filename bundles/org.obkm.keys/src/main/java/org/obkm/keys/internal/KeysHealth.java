package org.obkm.keys.internal;

import org.obkm.api.health.HealthIndicator;
import org.obkm.api.keys.KeyService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import com.nimbusds.jose.JWSAlgorithm;

/** Keys health: up once signing keys are loaded and decrypted. */
@Component(service = HealthIndicator.class)
public final class KeysHealth implements HealthIndicator {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile KeyService keys;

    @Override
    public String name() {
        return "keys";
    }

    @Override
    public Status check() {
        KeyService k = keys;
        if (k == null) {
            return Status.down("not loaded");
        }
        try {
            k.signingKey(JWSAlgorithm.PS256);
            return Status.up(k.publicJwkSet().getKeys().size() + " keys");
        } catch (RuntimeException e) {
            return Status.down("no signing key");
        }
    }
}
