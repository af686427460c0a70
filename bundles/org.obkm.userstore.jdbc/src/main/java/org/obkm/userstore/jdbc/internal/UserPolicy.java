package org.obkm.userstore.jdbc.internal;

/**
 * What the stores in the shared database accept as a username, display name and new password.
 * Messages are for operators and never repeat a password.
 */
final class UserPolicy {

    static final int MAX_USERNAME_LENGTH = 200;
    static final int MAX_DISPLAY_NAME_LENGTH = 200;

    private UserPolicy() {
    }

    /** Whether {@code username} could be a username here; for lookups, which must not throw. */
    static boolean isValidUsername(String username) {
        return problemWithUsername(username) == null;
    }

    static String checkUsername(String username) {
        String problem = problemWithUsername(username);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return username;
    }

    private static String problemWithUsername(String username) {
        if (username == null || username.isEmpty()) {
            return "the username must not be empty";
        }
        if (username.length() > MAX_USERNAME_LENGTH) {
            return "the username is longer than " + MAX_USERNAME_LENGTH + " characters";
        }
        if (username.indexOf('/') >= 0) {
            // The separator of DOMAIN/username: such a name could never sign in.
            return "the username must not contain '/' (it separates a user store domain from the name)";
        }
        if (Character.isWhitespace(username.codePointAt(0))
                || Character.isWhitespace(username.codePointBefore(username.length()))) {
            return "the username must not begin or end with whitespace";
        }
        if (username.chars().anyMatch(Character::isISOControl)) {
            return "the username must not contain control characters";
        }
        return null;
    }

    static String checkDisplayName(String displayName) {
        String d = displayName == null ? "" : displayName.strip();
        if (d.length() > MAX_DISPLAY_NAME_LENGTH) {
            throw new IllegalArgumentException("the display name is longer than " + MAX_DISPLAY_NAME_LENGTH + " characters");
        }
        if (d.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the display name must not contain control characters");
        }
        return d;
    }

    /** Length rules after NIST SP 800-63B section 5.1.1.2, plus the two guesses every attacker tries first. */
    static void checkPassword(char[] password, String username, Settings settings) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("a password is required");
        }
        int length = Character.codePointCount(password, 0, password.length);
        if (length < settings.minPasswordLength()) {
            throw new IllegalArgumentException("the password is too weak: it must have at least "
                    + settings.minPasswordLength() + " characters, it has " + length);
        }
        if (length > Settings.MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("the password is longer than " + Settings.MAX_PASSWORD_LENGTH + " characters");
        }
        if (equalsIgnoreCase(password, username)) {
            throw new IllegalArgumentException("the password is too weak: it must not be the username");
        }
        boolean allSame = true;
        for (char c : password) {
            allSame &= c == password[0];
        }
        if (allSame) {
            throw new IllegalArgumentException("the password is too weak: it repeats one character");
        }
    }

    // No String copy of the password: the caller clears the array afterwards.
    private static boolean equalsIgnoreCase(char[] a, String b) {
        if (b == null || a.length != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            char x = a[i];
            char y = b.charAt(i);
            if (x != y && Character.toUpperCase(x) != Character.toUpperCase(y)
                    && Character.toLowerCase(x) != Character.toLowerCase(y)) {
                return false;
            }
        }
        return true;
    }
}
