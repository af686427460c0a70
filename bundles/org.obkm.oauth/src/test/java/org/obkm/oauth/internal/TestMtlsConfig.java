package org.obkm.oauth.internal;

import java.lang.annotation.Annotation;

import org.obkm.oauth.internal.sender.MtlsConfig;

/** An {@link MtlsConfig} with the shipped defaults, each settable, for building components in unit tests. */
public class TestMtlsConfig implements MtlsConfig {

    public String trustedCaFile = "";
    public boolean certificateHeaderEnabled;
    String certificateHeader = "x-wso2-mutual-auth-cert";
    public String[] trustedProxies = {};
    public String mtlsBaseUrl = "";

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
