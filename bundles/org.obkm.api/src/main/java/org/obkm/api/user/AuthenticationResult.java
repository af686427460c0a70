package org.obkm.api.user;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of {@link CredentialCheck#authenticate(String, char[])}.
 *
 * @param outcome     what happened
 * @param user        the authenticated user when {@link Outcome#OK}, else null
 * @param lockedUntil when {@link Outcome#LOCKED}: the end of the lockout, or null when an administrator
 *                    locked the user until further notice; else null
 * @param message     a sentence fit for the person signing in; never names a secret
 */
public record AuthenticationResult(Outcome outcome, User user, Instant lockedUntil, String message) {

    /** What an authentication attempt came to. */
    public enum Outcome {
        /** Username and password match; the user may sign in. */
        OK,
        /** Unknown user or wrong password; deliberately the same outcome for both. */
        BAD_CREDENTIALS,
        /** The user is locked; the password was not checked. */
        LOCKED,
        /** The store could not answer (database or directory down); nothing was counted. */
        UNAVAILABLE
    }

    public AuthenticationResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
        if ((outcome == Outcome.OK) != (user != null)) {
            throw new IllegalArgumentException("a user is given exactly when the outcome is OK");
        }
    }

    public static AuthenticationResult ok(User user) {
        return new AuthenticationResult(Outcome.OK, Objects.requireNonNull(user, "user"), null, "Signed in.");
    }

    public static AuthenticationResult badCredentials() {
        return new AuthenticationResult(Outcome.BAD_CREDENTIALS, null, null, "The username or password is incorrect.");
    }

    /** A lockout after failed attempts, ending at {@code until}. */
    public static AuthenticationResult lockedUntil(Instant until) {
        return new AuthenticationResult(Outcome.LOCKED, null, Objects.requireNonNull(until, "until"),
                "Too many failed sign-in attempts: the account is locked until " + until + ".");
    }

    /** A lock by an administrator, without end. */
    public static AuthenticationResult lockedByAdministrator() {
        return new AuthenticationResult(Outcome.LOCKED, null, null,
                "The account is locked. Please contact the bank to unlock it.");
    }

    public static AuthenticationResult unavailable() {
        return new AuthenticationResult(Outcome.UNAVAILABLE, null, null,
                "Sign-in is temporarily unavailable. Please try again later.");
    }

    public boolean isOk() {
        return outcome == Outcome.OK;
    }
}
