package org.obkm.consent.internal.endpoint;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The consent resources' configuration, PID {@code org.obkm.consent} ({@code etc/org.obkm.consent.cfg}). */
@ObjectClassDefinition(name = "OBKM consent resources",
        description = "UK Open Banking Read/Write API v3.1 consent resources")
public @interface ConsentConfig {

    @AttributeDefinition(description = "Where the resources are served: /aisp/..., /pisp/..., /cbpii/... below it")
    String basePath() default "/open-banking/v3.1";

    @AttributeDefinition(description = "The public https origin for Links.Self (such as https://api.bank.example);"
            + " empty: the origin the request came to")
    String publicBaseUrl() default "";

    @AttributeDefinition(description = "Largest request body accepted, in bytes")
    int maxBodyBytes() default 16384;

    @AttributeDefinition(description = "The bank's http://openbanking.org.uk/iss in the x-jws-signature of payment"
            + " consent responses (its Open Banking organisation id); empty: responses are not signed")
    String signingIssuer() default "";

    @AttributeDefinition(description = "The trust anchor domain (http://openbanking.org.uk/tan) of the bank's response"
            + " signatures, and the ones a TPP's request signature may name")
    String[] trustAnchors() default {"openbanking.org.uk"};
}
