package org.obkm.keys.internal;

import org.obkm.api.health.HealthIndicator;
import org.obkm.api.keys.SigningService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** Keys health: up once every algorithm's signing key is loaded, decrypted and has its signer. */
@Component(service = HealthIndicator.class)
public final class KeysHealth implements HealthIndicator {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SigningService signing;

    @Override
    public String name() {
        return "keys";
    }

    @Override
    public Status check() {
        SigningService s = signing;
        if (s == null) {
            return Status.down("not loaded");
        }
        return s.algorithms().containsAll(KeyServiceImpl.ALGORITHMS) ? Status.up("signing with " + s.algorithms())
                : Status.down("no signing key");
    }
}
