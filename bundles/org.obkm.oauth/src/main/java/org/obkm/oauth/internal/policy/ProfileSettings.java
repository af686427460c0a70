package org.obkm.oauth.internal.policy;

import java.util.List;

/**
 * What a profile decides beyond its checks, each configurable as {@code profile.<name>.<setting>} in
 * {@code org.obkm.oauth.cfg}:
 * <ul>
 * <li>{@code refresh-rotation = true|false}: whether a refresh token is replaced on every use, a replayed old
 * one revoking the grant (RFC 9700 §4.14.2), or stays valid until it expires or is revoked (FAPI 2.0 Security
 * Profile §5.3.2.1: no rotation unless a retry with the previous token succeeds);</li>
 * <li>{@code client-assertion-aud = issuer[,token-endpoint][,endpoint]} and
 * {@code client-assertion-aud-array = true|false}: the {@link AssertionAudiences}.</li>
 * </ul>
 *
 * @param refreshRotation whether refresh tokens rotate, with reuse detection
 * @param assertionAudiences the accepted client assertion audiences
 */
public record ProfileSettings(boolean refreshRotation, AssertionAudiences assertionAudiences) {

    static final String REFRESH_ROTATION = "refresh-rotation";
    static final String ASSERTION_AUD = "client-assertion-aud";
    static final String ASSERTION_AUD_ARRAY = "client-assertion-aud-array";

    /**
     * FAPI 2.0 (both profiles): no rotation; the issuer as a string. FAPI 1 Advanced: its tokens are
     * sender-constrained, so RFC 9700 §4.14.2 asks no rotation either; the RFC 7523 audiences, as the
     * conformance suite's FAPI 1 plan sends the token endpoint URL to the PAR endpoint.
     */
    public static final ProfileSettings FAPI2 = new ProfileSettings(false, AssertionAudiences.ISSUER_STRING);
    public static final ProfileSettings FAPI1 = new ProfileSettings(false, AssertionAudiences.RFC7523);
    /**
     * {@code none} and profiles an operator defines: unbound tokens are possible, so refresh tokens rotate
     * with reuse detection (RFC 9700 §4.14.2); the RFC 7523 audiences.
     */
    public static final ProfileSettings PLAIN = new ProfileSettings(true, AssertionAudiences.RFC7523);

    /** This with one setting changed. */
    ProfileSettings with(String setting, List<String> values) {
        return switch (setting) {
            case REFRESH_ROTATION -> new ProfileSettings(bool(setting, values), assertionAudiences);
            case ASSERTION_AUD -> new ProfileSettings(refreshRotation,
                    new AssertionAudiences(AssertionAudiences.parse(values), assertionAudiences.arrays()));
            case ASSERTION_AUD_ARRAY -> new ProfileSettings(refreshRotation,
                    new AssertionAudiences(assertionAudiences.accepted(), bool(setting, values)));
            default -> throw new IllegalArgumentException("unknown profile setting '" + setting + "'; known: "
                    + List.of(REFRESH_ROTATION, ASSERTION_AUD, ASSERTION_AUD_ARRAY));
        };
    }

    private static boolean bool(String setting, List<String> values) {
        String v = values.size() == 1 ? values.get(0) : "";
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(setting + " must be true or false, not '" + String.join(",", values) + "'");
        }
        return Boolean.parseBoolean(v);
    }
}
