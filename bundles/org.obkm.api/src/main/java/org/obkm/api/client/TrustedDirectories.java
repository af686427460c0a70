package org.obkm.api.client;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The software statement issuers dynamic client registration trusts (UK OB DCR 3.3 §Software Statement),
 * as configured, with the state of each one's key fetches, for operators ({@code obkm:dcr-directories}).
 */
@ProviderType
public interface TrustedDirectories {

    /**
     * One trusted directory.
     *
     * @param name the configuration block's name
     * @param issuer the SSA {@code iss} it signs with
     * @param keys where its signing keys are (a JWKS URL or file)
     * @param environments the accepted {@code software_environment} values, empty for any
     * @param maxSsaAgeSeconds how old an SSA may be at registration
     * @param audience the organisation id the request's {@code aud} must name, or {@code null}
     * @param keyCount how many keys its last successful fetch gave, 0 before any
     * @param fetchedAt when its keys were last fetched, or {@code null}
     * @param lastError the last fetch's error, or {@code null} when it succeeded or none was made
     */
    record Directory(String name, String issuer, String keys, Set<String> environments, long maxSsaAgeSeconds,
            String audience, int keyCount, Instant fetchedAt, String lastError) {
    }

    /** The configured directories, in configuration order. */
    List<Directory> directories();
}
