package org.obkm.dcr.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A directory whose software statements this bank trusts (UK OB DCR 3.3 §Software Statement: the ASPSP
 * publishes the SSA issuers it accepts): the SSA {@code iss} it signs with, where its signing keys are
 * (a JWKS URL fetched by {@link JwksFetcher}, or a file), the {@code software_environment} values accepted
 * (empty: any), how old an SSA may be, the bank's organisation id the request's {@code aud} must name
 * ({@code null}: not checked), and which role grants which scopes.
 */
record TrustedDirectory(String name, String issuer, URI jwksUri, Path jwksFile, Set<String> environments,
        Duration maxSsaAge, String audience, Map<String, Set<String>> roleScopes) {

    /** UK Open Banking's roles and scopes (DCR 3.3 §Data Mapping, Read/Write API §Pre-conditions for TPPs). */
    static final Map<String, Set<String>> OB_ROLE_SCOPES = Map.of("AISP", Set.of("accounts"), "PISP",
            Set.of("payments"), "CBPII", Set.of("fundsconfirmations"));

    TrustedDirectory {
        environments = Set.copyOf(environments);
        roleScopes = Map.copyOf(roleScopes);
    }

    /** The scopes software with these roles may register: its roles' scopes, and {@code openid}. */
    Set<String> scopesFor(Set<String> roles) {
        java.util.Set<String> s = new java.util.TreeSet<>();
        s.add("openid");
        for (String r : roles) {
            s.addAll(roleScopes.getOrDefault(r, Set.of()));
        }
        return s;
    }
}
