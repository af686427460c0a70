package org.obkm.oauth.internal.clientauth;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.obkm.api.client.Client;
import org.obkm.oauth.internal.CpuGate;
import org.obkm.oauth.internal.OAuthException;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * A client's registered public keys: its {@code jwks}, else its {@code jwks_uri} (RFC 7591 §2), fetched
 * and cached by Nimbus so that keys the client rotates in are found.
 */
public final class ClientKeys {

    private final Map<String, JWKSource<SecurityContext>> remote = new ConcurrentHashMap<>();

    /**
     * @param error the refusal to throw when the client has no usable keys
     */
    public JWKSource<SecurityContext> of(Client client, Function<String, OAuthException> error) throws OAuthException {
        if (client.jwks() != null) {
            try {
                return new ImmutableJWKSet<>(JWKSet.parse(client.jwks()));
            } catch (ParseException e) {
                throw error.apply("the client's registered jwks cannot be parsed");
            }
        }
        if (client.jwksUri() == null) {
            throw error.apply("the client has no registered keys");
        }
        try {
            JWKSource<SecurityContext> source = remote.get(client.jwksUri());
            if (source == null) {
                JWKSource<SecurityContext> fetched = JWKSourceBuilder.create(URI.create(client.jwksUri()).toURL()).build();
                // A fetch (or a cache refresh) waits on the TPP's server: the request gives its admission
                // back meanwhile (CpuGate#awayForIo).
                source = (selector, context) -> CpuGate.awayForIo(() -> fetched.get(selector, context));
                JWKSource<SecurityContext> earlier = remote.putIfAbsent(client.jwksUri(), source);
                return earlier == null ? source : earlier;
            }
            return source;
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw error.apply("the client's registered jwks_uri is not a URL");
        }
    }
}
