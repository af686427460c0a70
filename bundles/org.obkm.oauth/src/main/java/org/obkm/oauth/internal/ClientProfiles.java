package org.obkm.oauth.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.obkm.api.client.Client;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.oauth2.sdk.OAuth2Error;

/**
 * The client profiles and which client has which, from {@code org.obkm.oauth}: a profile is a list of
 * check names (defaults below, {@code profile.<name> = check,check,...} replaces or adds one), every
 * client has {@code defaultProfile} unless {@code profile.client.<client_id> = <profile>} names another.
 * A bad configuration (unknown check or profile, a profile without the checks no profile may lack) does
 * not fail activation: Felix SCR would keep the service registered and let the PAR servlet fail on first
 * use with a container error page. Instead every PAR request is refused with {@code server_error} and
 * the endpoints health is down until the configuration is corrected: policy fails closed, visibly.
 *
 * <p>The per-client mapping lives here only until the client record carries its profile.
 */
@Component(service = ClientProfiles.class, configurationPid = "org.obkm.oauth")
public final class ClientProfiles {

    static final String FAPI2 = "fapi2";
    static final String FAPI1_ADVANCED = "fapi1-advanced";
    static final String NONE = "none";
    static final Map<String, List<String>> DEFAULTS = Map.of(
            FAPI2, List.of("request-object-required", "request-object-alg", "request-object-iss",
                    "request-object-aud", "request-object-exp-nbf", "request-object-client-id",
                    "client-grant-authorization-code", "redirect-uri-registered", "response-type-code", "response-mode",
                    "pkce-s256", "scope-known", "claims-known", "state-nonce-length", RequestChecks.SENDER_CONSTRAINED),
            FAPI1_ADVANCED, List.of("request-object-required", "request-object-alg", "request-object-iss",
                    "request-object-aud", "request-object-exp-nbf", "request-object-client-id",
                    "client-grant-authorization-code", "redirect-uri-registered", "response-type-code-or-code-id-token",
                    "response-mode", "hybrid-openid-nonce", "pkce-s256", "scope-known", "claims-known",
                    "state-nonce-length", RequestChecks.SENDER_CONSTRAINED),
            // Plain parameters allowed; a request object, when sent, is still held to the same rules.
            NONE, List.of("request-object-alg", "request-object-iss", "request-object-aud", "request-object-exp-nbf",
                    "request-object-client-id", "client-grant-authorization-code", "redirect-uri-registered",
                    "response-type-code", "response-mode", "pkce-s256", "scope-known", "claims-known",
                    "state-nonce-length"));
    /** Without these a request could redirect anywhere or for a grant the client does not have. */
    static final List<String> MANDATORY = List.of("client-grant-authorization-code", "redirect-uri-registered");
    static final List<String> RESPONSE_TYPE_CHECKS = List.of("response-type-code", "response-type-code-or-code-id-token");

    private static final String PROFILE_PREFIX = "profile.";
    private static final String CLIENT_PREFIX = "profile.client.";

    private static final Logger LOG = LoggerFactory.getLogger(ClientProfiles.class);

    /** What a valid configuration gives. */
    private record Profiles(Map<String, ClientProfile> byName, Map<String, ClientProfile> byClient,
            ClientProfile defaultProfile) {
    }

    private final Profiles profiles;
    private final String error;

    @Activate
    public ClientProfiles(OAuthConfig config, Map<String, Object> properties) {
        Profiles parsed = null;
        String problem = null;
        try {
            parsed = parse(config.defaultProfile(), properties);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
            LOG.error("Invalid client profiles in org.obkm.oauth; the PAR endpoint refuses every request until"
                    + " corrected: {}", problem);
        }
        this.profiles = parsed;
        this.error = problem;
    }

    /**
     * The profile every authorization request of this client is held to.
     *
     * @throws OAuthException {@code server_error} while the profile configuration is invalid
     */
    public ClientProfile profileOf(Client client) throws OAuthException {
        if (profiles == null) {
            throw new OAuthException(OAuth2Error.SERVER_ERROR.setDescription(
                    "the server's client profile configuration is invalid"));
        }
        return profiles.byClient().getOrDefault(client.clientId(), profiles.defaultProfile());
    }

    /** Why the configuration is invalid, for health and operators; empty when it is valid. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /**
     * Whether tokens of a flow checked against this profile must be sender-constrained; an unknown
     * profile (renamed since the request was pushed) fails closed.
     */
    public boolean senderConstrained(String profileName) {
        return named(profileName).map(p -> p.has(RequestChecks.SENDER_CONSTRAINED)).orElse(true);
    }

    /** A profile by name, as stored with a pushed request. */
    public Optional<ClientProfile> named(String name) {
        return profiles == null ? Optional.empty() : Optional.ofNullable(profiles.byName().get(name));
    }

    private static Profiles parse(String defaultProfile, Map<String, Object> properties) {
        Map<String, List<String>> lists = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> clients = new HashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(CLIENT_PREFIX)) {
                clients.put(key.substring(CLIENT_PREFIX.length()), strings(value).findFirst().orElse(""));
            } else if (key.startsWith(PROFILE_PREFIX)) {
                lists.put(key.substring(PROFILE_PREFIX.length()), strings(value).toList());
            }
        });
        Map<String, ClientProfile> byName = new HashMap<>();
        lists.forEach((name, checks) -> byName.put(name, validated(name, checks)));
        Map<String, ClientProfile> byClient = new HashMap<>();
        clients.forEach((clientId, name) -> byClient.put(clientId, profile(byName, name, CLIENT_PREFIX + clientId)));
        return new Profiles(Map.copyOf(byName), Map.copyOf(byClient), profile(byName, defaultProfile, "defaultProfile"));
    }

    private static ClientProfile profile(Map<String, ClientProfile> byName, String name, String setting) {
        ClientProfile p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException(setting + " names unknown profile '" + name + "'; known: "
                    + byName.keySet().stream().sorted().toList());
        }
        return p;
    }

    private static ClientProfile validated(String name, List<String> checks) {
        if (name.isEmpty() || !name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("profile name '" + name + "' must be lower-case letters, digits, '-'");
        }
        List<String> missing = new ArrayList<>(MANDATORY.stream().filter(c -> !checks.contains(c)).toList());
        if (RESPONSE_TYPE_CHECKS.stream().noneMatch(checks::contains)) {
            missing.add("one of " + RESPONSE_TYPE_CHECKS);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("profile " + name + " lacks the checks " + missing);
        }
        return ClientProfile.of(name, checks);
    }

    /** A .cfg file gives "a,b" as one string; ConfigAdmin may give an array or a collection. */
    private static Stream<String> strings(Object value) {
        Stream<?> raw = value instanceof Object[] a ? Stream.of(a)
                : value instanceof Collection<?> c ? c.stream() : Stream.of(value);
        return raw.map(String::valueOf).flatMap(v -> Stream.of(v.split("[,\\s]+"))).filter(v -> !v.isBlank());
    }
}
