package org.obkm.dcr.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.obkm.api.client.Client;
import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.ClientService;
import org.obkm.api.client.ClientUpdate;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.client.SoftwareRegistration;
import org.obkm.api.client.TrustedDirectories;
import org.obkm.api.cluster.SharedState;
import org.obkm.api.keys.KeyService;
import org.obkm.api.token.RevocationStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic client registration (RFC 7591) and its management (RFC 7592) over the client service, with the
 * trusted directories of {@code etc/org.obkm.dcr.cfg} and the transport CA file of
 * {@code etc/org.obkm.mtls.cfg} (both PIDs, merged). Each registration, update and deletion is one audit
 * line on the logger {@code org.obkm.audit.dcr}: who (software, organisation, certificate subject), which
 * client, what changed; never a token.
 */
@Component(service = {Registrations.class, TrustedDirectories.class}, configurationPid = {"org.obkm.dcr", "org.obkm.mtls"},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class Registrations implements TrustedDirectories {

    static final String REPLAY_MAP = "obkm-dcr-jti";
    private static final Logger LOG = LoggerFactory.getLogger(Registrations.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("org.obkm.audit.dcr");

    private final ClientService clients;
    private final SharedState shared;
    private final ManagementAuthorizer authorizer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile Configured configured;

    private record Configured(DcrSettings settings, JwksFetcher fetcher, RegistrationRequestValidator validator) {
    }

    @Activate
    public Registrations(@Reference ClientService clients, @Reference SharedState shared, @Reference KeyService keys,
            @Reference RevocationStore revocations, Map<String, Object> properties) {
        this(clients, shared, new ManagementAuthorizer(keys, revocations), Clock.systemUTC(), properties);
    }

    Registrations(ClientService clients, SharedState shared, ManagementAuthorizer authorizer, Clock clock,
            Map<String, Object> properties) {
        this.clients = clients;
        this.shared = shared;
        this.authorizer = authorizer;
        this.clock = clock;
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        try {
            DcrSettings s = DcrSettings.parse(properties);
            JwksFetcher f = new JwksFetcher(s, clock);
            configured = new Configured(s, f, new RegistrationRequestValidator(s, f,
                    new TransportCertificates(s.transportCaFile()),
                    (jti, until) -> shared.firstUse(REPLAY_MAP, jti,
                            Duration.between(clock.instant(), until).plusMinutes(1)), clock));
            LOG.info("Dynamic client registration trusts {} directories: {}", s.byIssuer().size(), s.byIssuer().keySet());
        } catch (IllegalArgumentException e) {
            // The previous settings stay in force; at first activation none: every registration is refused.
            LOG.error("etc/org.obkm.dcr.cfg refused, {}: {}", configured == null ? "no registration possible"
                    : "the previous settings stay", e.getMessage());
        }
    }

    private Configured configured() {
        Configured c = configured;
        if (c == null) {
            throw DcrException.unapproved("dynamic client registration is not configured at this bank");
        }
        return c;
    }

    /** The settings and key fetch states, for {@code obkm:dcr-directories}. */
    DcrSettings settings() {
        return configured().settings();
    }

    @Override
    public java.util.List<Directory> directories() {
        Configured c = configured;
        if (c == null) {
            return java.util.List.of();
        }
        Map<String, JwksFetcher.State> states = c.fetcher().states();
        return c.settings().byIssuer().values().stream().map(d -> {
            String keys = d.jwksUri() != null ? d.jwksUri().toString() : d.jwksFile().toString();
            JwksFetcher.State s = states.get(keys);
            return new Directory(d.name(), d.issuer(), keys, d.environments(), d.maxSsaAge().toSeconds(), d.audience(),
                    s == null || s.keys() == null ? 0 : s.keys().getKeys().size(), s == null ? null : s.fetchedAt(),
                    s == null ? null : s.lastError());
        }).toList();
    }

    /** POST /register: 201 body with the registration access token (shown once). */
    Map<String, Object> register(String body, X509Certificate[] chain, String baseUrl) {
        RegistrationRequestValidator.Validated v = configured().validator().validate(body, chain);
        String token = randomToken();
        ClientRegistration r = v.registration();
        SoftwareRegistration s = r.software();
        ClientRegistration withToken = new ClientRegistration(r.name(), r.grantTypes(), r.scopes(), r.authMethod(),
                r.jwks(), r.jwksUri(), r.redirectUris(), r.tlsSubjectDn(), r.profile(), r.parRequired(),
                r.senderConstrained(), r.jarm(), new SoftwareRegistration(s.softwareId(), s.organisationId(),
                        s.softwareRoles(), s.ssaIssuer(), s.softwareEnvironment(), s.tokenEndpointAuthSigningAlg(),
                        s.idTokenSignedResponseAlg(), s.requestObjectSigningAlg(), s.responseTypes(),
                        s.applicationType(), hash(token), false));
        CreatedClient created;
        try {
            created = clients.create(withToken);
        } catch (IllegalArgumentException e) {
            throw DcrException.metadata(e.getMessage());
        }
        Client c = created.client();
        audit("registered", c, chain, "scopes " + String.join(" ", new java.util.TreeSet<>(c.scopes())) + "; auth "
                + c.authMethod().value() + "; redirect_uris " + String.join(" ", c.redirectUris()));
        Map<String, Object> m = RegistrationJson.of(c, baseUrl);
        m.put("software_statement", v.softwareStatement());
        m.put("registration_access_token", token);
        return m;
    }

    /** GET /register/{id}. */
    Map<String, Object> read(String clientId, String bearer, X509Certificate[] chain, String baseUrl) {
        Client c = authorizer.authorize(clientId, clients.find(clientId), bearer, chain);
        return RegistrationJson.of(c, baseUrl);
    }

    /** PUT /register/{id}: the full signed request again, validated as at POST; the client's tokens stay. */
    Map<String, Object> update(String clientId, String bearer, String body, X509Certificate[] chain, String baseUrl) {
        Client c = authorizer.authorize(clientId, clients.find(clientId), bearer, chain);
        RegistrationRequestValidator.Validated v = configured().validator().validate(body, chain);
        ClientRegistration r = v.registration();
        if (!r.software().softwareId().equals(c.software().softwareId())) {
            throw DcrException.metadata("the software statement is for another software than this client's");
        }
        if (r.authMethod() != c.authMethod()) {
            throw DcrException.metadata("token_endpoint_auth_method cannot change (" + c.authMethod().value()
                    + "); register a new client");
        }
        SoftwareRegistration s = r.software();
        SoftwareRegistration kept = new SoftwareRegistration(s.softwareId(), s.organisationId(), s.softwareRoles(),
                s.ssaIssuer(), s.softwareEnvironment(), s.tokenEndpointAuthSigningAlg(), s.idTokenSignedResponseAlg(),
                s.requestObjectSigningAlg(), s.responseTypes(), s.applicationType(),
                c.software().registrationTokenHash(), c.software().disabled());
        Client updated;
        try {
            updated = clients.update(clientId, new ClientUpdate(r.name(), r.grantTypes(), r.scopes(), r.redirectUris(),
                    "", r.jwksUri(), r.tlsSubjectDn() == null ? "" : r.tlsSubjectDn(), null, null, null, null, kept))
                    .orElseThrow(() -> DcrException.unauthorized("no such client"));
        } catch (IllegalArgumentException e) {
            throw DcrException.metadata(e.getMessage());
        }
        audit("updated", updated, chain, changes(c, updated));
        Map<String, Object> m = RegistrationJson.of(updated, baseUrl);
        m.put("software_statement", v.softwareStatement());
        return m;
    }

    /** DELETE /register/{id}: the client and every token and grant of it, on every node. */
    void delete(String clientId, String bearer, X509Certificate[] chain) {
        Client c = authorizer.authorize(clientId, clients.find(clientId), bearer, chain);
        clients.delete(clientId);
        audit("deleted", c, chain, "");
    }

    private static String changes(Client a, Client b) {
        StringBuilder s = new StringBuilder();
        if (!a.scopes().equals(b.scopes())) {
            s.append("scopes ").append(a.scopes()).append("->").append(b.scopes()).append("; ");
        }
        if (!a.redirectUris().equals(b.redirectUris())) {
            s.append("redirect_uris ").append(a.redirectUris()).append("->").append(b.redirectUris()).append("; ");
        }
        if (!a.grantTypes().equals(b.grantTypes())) {
            s.append("grant_types ").append(a.grantTypes()).append("->").append(b.grantTypes()).append("; ");
        }
        if (!a.software().softwareRoles().equals(b.software().softwareRoles())) {
            s.append("roles ").append(a.software().softwareRoles()).append("->").append(b.software().softwareRoles());
        }
        String changed = s.toString().strip();
        return changed.isEmpty() ? "nothing" : changed.endsWith(";") ? changed.substring(0, changed.length() - 1) : changed;
    }

    private static void audit(String what, Client c, X509Certificate[] chain, String detail) {
        AUDIT.info(auditLine(what, c, chain, detail));
    }

    /**
     * One audit line of {@code key=value} pairs, values with spaces or quotes quoted: the event, the client,
     * its software, organisation, directory and roles, who asked (the transport certificate's subject and
     * SHA-256 thumbprint) and what changed. Never a token, secret or hash of one.
     */
    static String auditLine(String what, Client c, X509Certificate[] chain, String detail) {
        SoftwareRegistration s = c.software();
        boolean cert = chain != null && chain.length > 0;
        StringBuilder line = new StringBuilder("dcr event=").append(what);
        field(line, "client_id", c.clientId());
        field(line, "software_id", s.softwareId());
        field(line, "org_id", s.organisationId());
        field(line, "ssa_iss", s.ssaIssuer());
        field(line, "software_environment", s.softwareEnvironment());
        field(line, "roles", String.join(",", new java.util.TreeSet<>(s.softwareRoles())));
        field(line, "cert_subject", cert ? chain[0].getSubjectX500Principal().getName() : null);
        field(line, "cert_sha256", cert ? ManagementAuthorizer.thumbprint(chain[0]) : null);
        if (!detail.isEmpty()) {
            field(line, "changes", detail);
        }
        return line.toString();
    }

    private static void field(StringBuilder line, String key, String value) {
        String v = value == null || value.isEmpty() ? "-" : value;
        line.append(' ').append(key).append('=');
        if (v.chars().anyMatch(ch -> ch == ' ' || ch == '"' || ch == '=' || ch < 0x20)) {
            line.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\x00-\\x1f]", "?"))
                    .append('"');
        } else {
            line.append(v);
        }
    }

    private String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** As the client service hashes secrets: 256 random bits need no slow KDF. */
    static String hash(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> error(DcrException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.error());
        m.put("error_description", e.getMessage());
        return m;
    }
}
