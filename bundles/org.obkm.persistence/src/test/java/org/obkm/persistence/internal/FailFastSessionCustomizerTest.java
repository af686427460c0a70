package org.obkm.persistence.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;

import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.Session;
import org.junit.jupiter.api.Test;

class FailFastSessionCustomizerTest {

    @Test
    void readsFailingOnACommunicationErrorAreNotRetriedAfterPauses() {
        DatabaseLogin login = new DatabaseLogin();
        assertTrue(login.getQueryRetryAttemptCount() > 0 && login.getDelayBetweenConnectionAttempts() > 0,
                "EclipseLink's defaults retry with pauses: " + login.getQueryRetryAttemptCount() + " x "
                        + login.getDelayBetweenConnectionAttempts() + " ms");
        Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getLogin")) {
                        return login;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        new FailFastSessionCustomizer().customize(session);
        assertEquals(0, login.getQueryRetryAttemptCount());
        assertEquals(0, login.getDelayBetweenConnectionAttempts());
    }
}
