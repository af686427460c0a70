package org.obkm.consent.internal.bank;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The demo bank backend's accounts, PID {@code org.obkm.consent.demobank} ({@code etc/org.obkm.consent.demobank.cfg}). */
@ObjectClassDefinition(name = "OBKM demo bank accounts",
        description = "Accounts per PSU for trying and testing the consent page; not a bank's real backend")
public @interface DemoBankConfig {

    @AttributeDefinition(description = "Accounts, comma-separated, each user|accountId|name|schemeName|identification|currency;"
            + " the user * stands for every PSU who has no entry of their own")
    String[] accounts() default {};
}
