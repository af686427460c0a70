package org.obkm.oauth.internal.sender;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of {@code org.obkm.mtls}: where client certificates (RFC 8705) come from and which CAs
 * {@code tls_client_auth} trusts. The HTTPS listener accepts any certificate at the handshake; these
 * settings decide what a certificate is worth, per client.
 */
@ObjectClassDefinition(name = "OBKM mutual TLS", description = "Client certificates (RFC 8705)")
public @interface MtlsConfig {

    @AttributeDefinition(description = "PEM file of the CA certificates that issue client certificates for"
            + " tls_client_auth; every certificate in it is a trust anchor. In a cluster, a file every node"
            + " reads (the shared folder). Empty: tls_client_auth is refused")
    public String trustedCaFile() default "";

    @AttributeDefinition(description = "Take the client certificate from a header that a TLS-terminating load"
            + " balancer sets, for requests from trustedProxies only")
    public boolean certificateHeaderEnabled() default false;

    @AttributeDefinition(description = "The header: a URL-encoded PEM certificate, or base64 DER")
    public String certificateHeader() default "x-wso2-mutual-auth-cert";

    @AttributeDefinition(description = "Addresses or CIDR blocks (10.0.0.0/8, fd00::/8) of the load balancers"
            + " allowed to set the header; comma-separated. A header from any other address is ignored")
    public String[] trustedProxies() default {};

    @AttributeDefinition(description = "Base URL of the mTLS endpoint aliases (RFC 8705 §5) when a load balancer"
            + " serves mutual TLS on a host name of its own; empty: the endpoints themselves")
    public String mtlsBaseUrl() default "";
}
