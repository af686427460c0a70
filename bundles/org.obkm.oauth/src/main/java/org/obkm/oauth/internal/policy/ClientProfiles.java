package org.obkm.oauth.internal.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.obkm.api.client.Client;
import org.obkm.api.client.ClientPolicies;
import org.obkm.api.client.ClientPolicy;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.oauth.internal.OAuthConfig;
import org.obkm.oauth.internal.OAuthException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.oauth2.sdk.OAuth2Error;

/**
 * The client profiles, and the one place where a client's profile is asked at an event (DESIGN rule 10):
 * a profile is a list of check names (defaults below, {@code profile.<name> = check,check,...} replaces or
 * adds one); each client record names its profile ({@link ClientPolicy}), set at registration from
 * {@code defaultProfile} unless the registration names another; {@code profile.<name>.<setting>} sets what
 * a profile decides beyond its checks ({@link ProfileSettings}). The {@code profile.client.<client_id>}
 * keys of earlier versions are read only to assign a profile to records stored before they had one
 * ({@link ClientProfileMigration}).
 *
 * <p>A bad configuration (unknown check or profile, a profile without the checks no profile may lack) does
 * not fail activation: Felix SCR would keep the service registered and let the servlets fail on first use
 * with a container error page. Instead every event is refused with {@code server_error} and the endpoints
 * health is down until the configuration is corrected: policy fails closed, visibly.
 */
@Component(service = {ClientProfiles.class, ClientPolicies.class}, configurationPid = "org.obkm.oauth")
public final class ClientProfiles implements ClientPolicies {

    public static final String FAPI2_SECURITY_PROFILE = "fapi2-security-profile";
    public static final String FAPI2_MESSAGE_SIGNING = "fapi2-message-signing";
    static final String FAPI1_ADVANCED = "fapi1-advanced";
    public static final String NONE = "none";
    /**
     * The name of today's {@code fapi2-message-signing} before version 0.2: read where it was stored or
     * configured (a client record, {@code defaultProfile}, {@code profile.client.*}) unless the configuration
     * defines a profile of that name itself; refused for new registrations and updates.
     */
    static final String LEGACY_FAPI2 = "fapi2";
    /** The checks of FAPI 2.0 Security Profile §5.3: PAR with plain parameters, PKCE, bound tokens, FAPI auth. */
    private static final List<String> FAPI2_SP_CHECKS = List.of(PolicyChecks.CLIENT_AUTH_FAPI,
            PolicyChecks.PAR_REQUIRED, "request-object-alg", "request-object-iss", "request-object-aud",
            "request-object-exp-nbf", "request-object-client-id", "client-grant-authorization-code",
            "redirect-uri-registered", "response-type-code", "response-mode", "pkce-s256", "scope-known",
            "claims-known", "state-nonce-length", PolicyChecks.SENDER_CONSTRAINED);
    static final Map<String, List<String>> DEFAULTS = Map.of(
            FAPI2_SECURITY_PROFILE, FAPI2_SP_CHECKS,
            // FAPI 2.0 Message Signing §5.3: the request is a signed request object (RFC 9101).
            FAPI2_MESSAGE_SIGNING, Stream.concat(Stream.of(PolicyChecks.CLIENT_AUTH_FAPI, PolicyChecks.PAR_REQUIRED,
                    "request-object-required"), FAPI2_SP_CHECKS.stream().skip(2)).toList(),
            FAPI1_ADVANCED, List.of(PolicyChecks.CLIENT_AUTH_FAPI, "request-object-required", "request-object-alg",
                    "request-object-iss", "request-object-aud", "request-object-exp-nbf", "request-object-client-id",
                    "client-grant-authorization-code", "redirect-uri-registered", "response-type-code-or-code-id-token",
                    PolicyChecks.JARM_FOR_CODE, "response-mode", "hybrid-openid-nonce", "pkce-s256", "scope-known",
                    "claims-known", "state-nonce-length", PolicyChecks.SENDER_CONSTRAINED),
            // Plain parameters allowed; a request object, when sent, is still held to the same rules.
            NONE, List.of("request-object-alg", "request-object-iss", "request-object-aud", "request-object-exp-nbf",
                    "request-object-client-id", "client-grant-authorization-code", "redirect-uri-registered",
                    "response-type-code", "response-mode", "pkce-s256", "scope-known", "claims-known",
                    "state-nonce-length"));
    static final Map<String, ProfileSettings> DEFAULT_SETTINGS = Map.of(FAPI2_SECURITY_PROFILE, ProfileSettings.FAPI2,
            FAPI2_MESSAGE_SIGNING, ProfileSettings.FAPI2, FAPI1_ADVANCED, ProfileSettings.FAPI1, NONE,
            ProfileSettings.PLAIN);
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

    /** The configuration as read: valid profiles, or why it is invalid. Replaced as a whole on a change. */
    private record State(Profiles profiles, String error) {
    }

    private volatile State state;
    private final Set<String> warnedUnknown = ConcurrentHashMap.newKeySet();

    @Activate
    public ClientProfiles(OAuthConfig config, Map<String, Object> properties) {
        this.state = read(config, properties);
    }

    /**
     * A change applies in place: the service stays registered, so the endpoints and grant handlers that
     * reference it are not re-created; an event asks the profiles as they are when it starts.
     */
    @Modified
    void modified(OAuthConfig config, Map<String, Object> properties) {
        state = read(config, properties);
    }

    private static State read(OAuthConfig config, Map<String, Object> properties) {
        try {
            return new State(parse(config.defaultProfile(), properties), null);
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid client profiles in org.obkm.oauth; every client request is refused until"
                    + " corrected: {}", e.getMessage());
            return new State(null, e.getMessage());
        }
    }

    /**
     * Asks the client's profile at an event: every check of the profile (and of the client record) that
     * applies to the event runs, in order.
     *
     * @throws OAuthException the first refusal, or {@code server_error} while the configuration is invalid
     *         or names no longer the client's profile
     */
    public void enforce(PolicyContext context) throws OAuthException {
        profileOf(context.client()).enforce(context);
    }

    /**
     * The profile a client is held to: the one its record names; for a record from before profiles were
     * stored, the legacy {@code profile.client.<id>} key or the default.
     *
     * @throws OAuthException {@code server_error} while the configuration is invalid or lacks the profile
     */
    public ClientProfile profileOf(Client client) throws OAuthException {
        Profiles profiles = state.profiles();

        if (profiles == null) {
            throw new OAuthException(OAuth2Error.SERVER_ERROR.setDescription(
                    "the server's client profile configuration is invalid"));
        }
        if (!client.policy().assigned()) {
            return profiles.byClient().getOrDefault(client.clientId(), profiles.defaultProfile());
        }
        ClientProfile p = profiles.byName().get(client.policy().profile());
        if (p == null && LEGACY_FAPI2.equals(client.policy().profile())) {
            // Not yet migrated (ClientProfileMigration): held to the profile that keeps its behaviour.
            p = profiles.byName().get(FAPI2_MESSAGE_SIGNING);
        }
        if (p == null) {
            // Renamed or removed since the client was stored: fail closed, and say so once per client.
            if (warnedUnknown.add(client.clientId() + "/" + client.policy().profile())) {
                LOG.warn("Client {} has profile '{}', which org.obkm.oauth does not define; its requests are refused",
                        client.clientId(), client.policy().profile());
            }
            throw new OAuthException(OAuth2Error.SERVER_ERROR.setDescription(
                    "the client's profile is not configured on this server"));
        }
        return p;
    }

    @Override
    public ClientPolicy resolve(Client candidate, String profile, Boolean parRequired, Boolean senderConstrained) {
        State current = state;
        Profiles profiles = current.profiles();

        if (profiles == null) {
            throw new IllegalArgumentException("the server's client profile configuration is invalid: " + current.error());
        }
        String name = profile == null ? profiles.defaultProfile().name() : profile;
        ClientProfile p = profiles.byName().get(name);
        if (p == null && LEGACY_FAPI2.equals(name)) {
            throw new IllegalArgumentException("profile 'fapi2' was renamed: use " + FAPI2_MESSAGE_SIGNING
                    + " (signed request objects, as fapi2 was) or " + FAPI2_SECURITY_PROFILE
                    + " (plain PAR parameters allowed); known: " + profileNames());
        }
        if (p == null) {
            throw new IllegalArgumentException("unknown profile '" + name + "'; use one of " + profileNames());
        }
        ClientPolicy policy = new ClientPolicy(name,
                parRequired == null ? p.has(PolicyChecks.PAR_REQUIRED) : parRequired,
                senderConstrained == null ? p.has(PolicyChecks.SENDER_CONSTRAINED) : senderConstrained,
                p.has(PolicyChecks.CLIENT_AUTH_FAPI) ? ClientChecks.FAPI_AUTH_METHODS
                        : EnumSet.allOf(TokenEndpointAuthMethod.class));
        try {
            p.enforce(PolicyContext.registration(candidate.withPolicy(policy)));
        } catch (OAuthException e) {
            throw new IllegalArgumentException(e.error().getDescription());
        }
        return policy;
    }

    @Override
    public List<String> profileNames() {
        Profiles profiles = state.profiles();

        return profiles == null ? List.of() : profiles.byName().keySet().stream().sorted().toList();
    }

    /** The profile the legacy {@code profile.client.<id>} key gives a client, or the default. */
    public Optional<String> legacyProfile(String clientId) {
        Profiles profiles = state.profiles();

        return profiles == null ? Optional.empty()
                : Optional.of(profiles.byClient().getOrDefault(clientId, profiles.defaultProfile()).name());
    }

    /** Whether a legacy {@code profile.client.<id>} key names this client. */
    public boolean hasLegacyKey(String clientId) {
        Profiles profiles = state.profiles();

        return profiles != null && profiles.byClient().containsKey(clientId);
    }

    /** Why the configuration is invalid, for health and operators; empty when it is valid. */
    public Optional<String> error() {
        return Optional.ofNullable(state.error());
    }

    /** Whether a stored profile name is {@code fapi2} of earlier versions, to be renamed in the record. */
    public boolean isLegacyName(String name) {
        Profiles profiles = state.profiles();

        return LEGACY_FAPI2.equals(name) && profiles != null && !profiles.byName().containsKey(LEGACY_FAPI2);
    }

    /** A profile by name. */
    public Optional<ClientProfile> named(String name) {
        Profiles profiles = state.profiles();

        return profiles == null ? Optional.empty() : Optional.ofNullable(profiles.byName().get(name));
    }

    private static Profiles parse(String defaultProfile, Map<String, Object> properties) {
        Map<String, List<String>> lists = new LinkedHashMap<>(DEFAULTS);
        Map<String, Map<String, List<String>>> settings = new HashMap<>();
        Map<String, String> clients = new HashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(CLIENT_PREFIX)) {
                clients.put(key.substring(CLIENT_PREFIX.length()), strings(value).findFirst().orElse(""));
            } else if (key.startsWith(PROFILE_PREFIX)) {
                String rest = key.substring(PROFILE_PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot < 0) {
                    lists.put(rest, strings(value).toList());
                } else {
                    settings.computeIfAbsent(rest.substring(0, dot), n -> new LinkedHashMap<>())
                            .put(rest.substring(dot + 1), strings(value).toList());
                }
            }
        });
        settings.keySet().stream().filter(n -> !lists.containsKey(n)).findFirst().ifPresent(n -> {
            throw new IllegalArgumentException("profile." + n + ".* configures a profile that is not defined");
        });
        Map<String, ClientProfile> byName = new HashMap<>();
        lists.forEach((name, checks) -> byName.put(name, validated(name, checks,
                settings(name, settings.getOrDefault(name, Map.of())))));
        Map<String, ClientProfile> byClient = new HashMap<>();
        clients.forEach((clientId, name) -> byClient.put(clientId,
                profile(byName, renamed(byName, name), CLIENT_PREFIX + clientId)));
        return new Profiles(Map.copyOf(byName), Map.copyOf(byClient),
                profile(byName, renamed(byName, defaultProfile), "defaultProfile"));
    }

    /** The built-in defaults of a profile, with what the configuration changes. */
    private static ProfileSettings settings(String name, Map<String, List<String>> changes) {
        ProfileSettings s = DEFAULT_SETTINGS.getOrDefault(name, ProfileSettings.PLAIN);
        for (Map.Entry<String, List<String>> e : changes.entrySet()) {
            try {
                s = s.with(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("profile." + name + "." + e.getKey() + ": " + ex.getMessage());
            }
        }
        return s;
    }

    /** A configured {@code fapi2} of earlier versions means what it meant, unless defined anew. */
    private static String renamed(Map<String, ClientProfile> byName, String name) {
        if (LEGACY_FAPI2.equals(name) && !byName.containsKey(LEGACY_FAPI2)) {
            LOG.warn("org.obkm.oauth names profile 'fapi2', now called {}; rename it there", FAPI2_MESSAGE_SIGNING);
            return FAPI2_MESSAGE_SIGNING;
        }
        return name;
    }

    private static ClientProfile profile(Map<String, ClientProfile> byName, String name, String setting) {
        ClientProfile p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException(setting + " names unknown profile '" + name + "'; known: "
                    + byName.keySet().stream().sorted().toList());
        }
        return p;
    }

    private static ClientProfile validated(String name, List<String> checks, ProfileSettings settings) {
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
        return ClientProfile.of(name, checks, settings);
    }

    /** A .cfg file gives "a,b" as one string; ConfigAdmin may give an array or a collection. */
    private static Stream<String> strings(Object value) {
        Stream<?> raw = value instanceof Object[] a ? Stream.of(a)
                : value instanceof Collection<?> c ? c.stream() : Stream.of(value);
        return raw.map(String::valueOf).flatMap(v -> Stream.of(v.split("[,\\s]+"))).filter(v -> !v.isBlank());
    }
}
