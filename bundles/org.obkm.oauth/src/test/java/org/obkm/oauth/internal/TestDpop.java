package org.obkm.oauth.internal;

import java.lang.annotation.Annotation;
import java.time.Clock;

import org.obkm.api.cluster.SharedState;
import org.obkm.oauth.internal.sender.DpopConfig;
import org.obkm.oauth.internal.sender.DpopProofs;

/** A {@link DpopProofs} with the shipped defaults, for unit tests of the endpoints that use it. */
public final class TestDpop {

    private TestDpop() {
    }

    public static DpopProofs proofs(SharedState state) {
        DpopConfig config = new DpopConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DpopConfig.class;
            }

            @Override
            public String[] algorithms() {
                return new String[] {"PS256,ES256"};
            }

            @Override
            public int iatMaxAgeSeconds() {
                return 60;
            }

            @Override
            public int iatMaxFutureSkewSeconds() {
                return 10;
            }

            @Override
            public boolean nonceRequired() {
                return false;
            }

            @Override
            public int nonceValiditySeconds() {
                return 300;
            }
        };
        return new DpopProofs(state, name -> new byte[32], config, Clock.systemUTC());
    }
}
