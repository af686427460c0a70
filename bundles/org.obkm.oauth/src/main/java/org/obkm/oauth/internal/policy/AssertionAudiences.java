package org.obkm.oauth.internal.policy;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code aud} values a profile accepts in client authentication assertions ({@code private_key_jwt}),
 * and whether an array is accepted. FAPI 2.0 Security Profile §5.3.2.1 (item 8): "shall only accept its
 * issuer identifier value (as defined in RFC 8414) as a string in the aud claim"; RFC 7523 §3 (item 3) and
 * RFC 9126 §2 accept the token endpoint URL, and the URL of the endpoint called, as a string or within an
 * array.
 *
 * @param accepted which values are accepted
 * @param arrays whether {@code aud} may be an array that contains one of them
 */
public record AssertionAudiences(Set<Kind> accepted, boolean arrays) {

    /** FAPI 2.0: the issuer, as a string. */
    public static final AssertionAudiences ISSUER_STRING = new AssertionAudiences(EnumSet.of(Kind.ISSUER), false);
    /** RFC 7523 and RFC 9126: the issuer, the token endpoint or the endpoint called; string or array. */
    public static final AssertionAudiences RFC7523 = new AssertionAudiences(EnumSet.allOf(Kind.class), true);

    /** An accepted audience, by its configuration name. */
    public enum Kind {
        /** The issuer identifier (RFC 8414 §2). */
        ISSUER,
        /** The token endpoint URL (RFC 7523 §3). */
        TOKEN_ENDPOINT,
        /** The URL of the endpoint the assertion is sent to, e.g. the PAR endpoint (RFC 9126 §2). */
        ENDPOINT;

        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Kind parse(String value) {
            for (Kind k : values()) {
                if (k.configName().equals(value)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown client assertion audience '" + value + "'; use issuer,"
                    + " token-endpoint or endpoint");
        }
    }

    public AssertionAudiences {
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("at least one client assertion audience must be accepted");
        }
        accepted = Set.copyOf(accepted);
    }

    /** The accepted kinds from their configuration names. */
    static Set<Kind> parse(List<String> names) {
        return names.stream().map(Kind::parse).collect(Collectors.toCollection(() -> EnumSet.noneOf(Kind.class)));
    }

    /**
     * Whether the {@code aud} claim as sent (a string, or a list for a JSON array) is accepted.
     *
     * @param aud the claim's JSON value: a {@link String} or a {@link List}, anything else is refused
     */
    public boolean accepts(Object aud, String issuer, String tokenEndpoint, String endpoint) {
        if (aud instanceof String s) {
            return matches(s, issuer, tokenEndpoint, endpoint);
        }
        if (aud instanceof List<?> list && arrays) {
            return list.stream().anyMatch(v -> v instanceof String s && matches(s, issuer, tokenEndpoint, endpoint));
        }
        return false;
    }

    private boolean matches(String value, String issuer, String tokenEndpoint, String endpoint) {
        return accepted.contains(Kind.ISSUER) && value.equals(issuer)
                || accepted.contains(Kind.TOKEN_ENDPOINT) && value.equals(tokenEndpoint)
                || accepted.contains(Kind.ENDPOINT) && value.equals(endpoint);
    }

    /** What the refusal tells the client. */
    public String describe(String issuer, String tokenEndpoint, String endpoint) {
        StringBuilder b = new StringBuilder("client assertion aud must be ");
        if (accepted.equals(EnumSet.of(Kind.ISSUER)) && !arrays) {
            return b.append("the issuer identifier ").append(issuer).append(" as a JSON string").toString();
        }
        b.append("one of ");
        b.append(accepted.stream().sorted().map(k -> switch (k) {
            case ISSUER -> issuer;
            case TOKEN_ENDPOINT -> tokenEndpoint;
            case ENDPOINT -> endpoint;
        }).distinct().collect(Collectors.joining(", ")));
        return b.append(arrays ? ", as a string or in an array" : ", as a JSON string").toString();
    }
}
