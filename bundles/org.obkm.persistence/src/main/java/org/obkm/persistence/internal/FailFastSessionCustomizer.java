package org.obkm.persistence.internal;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.Session;

/**
 * EclipseLink retries a read that failed on a communication error 3 times, 5 s apart, by default: with
 * the database failing over or down a request would hang for 15 s and more before its 503. The pool
 * (HikariCP) already hands out only connections that pass its validation and reconnects by itself, so
 * a read fails at once and the client retries (503 {@code temporarily_unavailable}, Retry-After).
 * Named by {@code eclipselink.session.customizer} in persistence.xml.
 */
public final class FailFastSessionCustomizer implements SessionCustomizer {

    @Override
    public void customize(Session session) {
        DatabaseLogin login = session.getLogin();
        login.setQueryRetryAttemptCount(0);
        login.setDelayBetweenConnectionAttempts(0);
    }
}
