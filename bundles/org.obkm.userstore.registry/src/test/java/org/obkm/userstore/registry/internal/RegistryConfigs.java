package org.obkm.userstore.registry.internal;

import java.lang.annotation.Annotation;

/** Registry configurations for tests, here and in the store bundles' tests (test jar). */
public final class RegistryConfigs {

    private RegistryConfigs() {
    }

    /** A configuration with this domain separator. */
    public static UserStoreRegistryConfig separator(String s) {
        return new UserStoreRegistryConfig() {
            @Override
            public String domainSeparator() {
                return s;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return UserStoreRegistryConfig.class;
            }
        };
    }
}
