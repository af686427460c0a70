package org.obkm.userstore.jdbc.internal;

/**
 * The checked {@link JdbcUserStoreConfig}. A configuration outside these bounds is refused as a whole,
 * so a typo cannot switch hashing to a trivial cost or lockout to a zero length.
 */
record Settings(int pbkdf2Iterations, int maxFailedAttempts, int lockoutSeconds, int minPasswordLength) {

    static final int MAX_PASSWORD_LENGTH = 1024;
    // The defaults of JdbcUserStoreConfig, also those of secondary stores of type jdbc.
    static final int DEFAULT_PBKDF2_ITERATIONS = 600_000;
    static final int DEFAULT_MAX_FAILED_ATTEMPTS = 5;
    static final int DEFAULT_LOCKOUT_SECONDS = 900;
    static final int DEFAULT_MIN_PASSWORD_LENGTH = 12;

    Settings {
        if (pbkdf2Iterations < PasswordHasher.MIN_ITERATIONS || pbkdf2Iterations > PasswordHasher.MAX_ITERATIONS) {
            throw new IllegalArgumentException("pbkdf2Iterations must be between " + PasswordHasher.MIN_ITERATIONS
                    + " and " + PasswordHasher.MAX_ITERATIONS + ", got " + pbkdf2Iterations);
        }
        if (maxFailedAttempts < 0) {
            throw new IllegalArgumentException("maxFailedAttempts must be 0 (no lockout) or more, got " + maxFailedAttempts);
        }
        if (lockoutSeconds < 1) {
            throw new IllegalArgumentException("lockoutSeconds must be at least 1, got " + lockoutSeconds);
        }
        if (minPasswordLength < 8 || minPasswordLength > MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("minPasswordLength must be between 8 and " + MAX_PASSWORD_LENGTH
                    + ", got " + minPasswordLength);
        }
    }

    static Settings defaults() {
        return new Settings(DEFAULT_PBKDF2_ITERATIONS, DEFAULT_MAX_FAILED_ATTEMPTS, DEFAULT_LOCKOUT_SECONDS,
                DEFAULT_MIN_PASSWORD_LENGTH);
    }

    static Settings of(JdbcUserStoreConfig c) {
        return new Settings(c.pbkdf2Iterations(), c.maxFailedAttempts(), c.lockoutSeconds(), c.minPasswordLength());
    }

    boolean lockoutEnabled() {
        return maxFailedAttempts > 0;
    }
}
