package org.obkm.oauth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@code org.obkm.http.cpugate}: how much signature work runs at once. */
@ObjectClassDefinition(name = "OBKM CPU gate",
        description = "Admits signature checks and signings (CPU work only, never I/O) a few at a time")
public @interface CpuGateConfig {

    @AttributeDefinition(description = "Signature operations that run at once; 0 means two per core")
    int permits() default 0;

    @AttributeDefinition(description = "How long an operation waits for a permit before the request is answered"
            + " 503 temporarily_unavailable, milliseconds")
    long queueTimeoutMillis() default 5000;

    @AttributeDefinition(description = "Token and PAR requests"
            + " admitted at once, first come first served; 0 means two per core, a negative value switches"
            + " admission off")
    int admissionPermits() default 0;

    @AttributeDefinition(description = "How long a request waits for admission before it goes on without one,"
            + " milliseconds (never refused for want of an admission)")
    long admissionWaitMillis() default 200;
}
