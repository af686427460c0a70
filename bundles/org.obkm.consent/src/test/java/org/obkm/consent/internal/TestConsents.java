package org.obkm.consent.internal;

import java.time.Clock;

import javax.sql.DataSource;

import org.obkm.api.consent.ConsentService;

/** The consent store for tests of other packages. */
public final class TestConsents {

    private TestConsents() {
    }

    public static ConsentService service(DataSource ds, Clock clock) {
        return new JdbcConsentService(ds, clock);
    }
}
