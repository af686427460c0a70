package org.obkm.oauth.internal;

import java.lang.annotation.Annotation;

/** An {@link MtlsConfig} with the shipped defaults, each settable, for building components in unit tests. */
class TestMtlsConfig implements MtlsConfig {

    String trustedCaFile = "";
    boolean certificateHeaderEnabled;
    String certificateHeader = "x-wso2-mutual-auth-cert";
    String[] trustedProxies = {};
    String mtlsBaseUrl = "";

    @Override
    public Class<? extends Annotation> annotationType() {
        return MtlsConfig.class;
    }

    @Override
    public String trustedCaFile() {
        return trustedCaFile;
    }

    @Override
    public boolean certificateHeaderEnabled() {
        return certificateHeaderEnabled;
    }

    @Override
    public String certificateHeader() {
        return certificateHeader;
    }

    @Override
    public String[] trustedProxies() {
        return trustedProxies;
    }

    @Override
    public String mtlsBaseUrl() {
        return mtlsBaseUrl;
    }
}
