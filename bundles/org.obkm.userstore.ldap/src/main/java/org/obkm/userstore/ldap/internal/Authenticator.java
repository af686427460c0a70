package org.obkm.userstore.ldap.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.directory.api.ldap.model.message.LdapResult;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.userstore.ldap.internal.EntryMapper.Found;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in by simple bind (RFC 4513 section 5.1.3): find the user's DN with the service account (or
 * form it from {@code UserDNPattern}), then bind as that DN with the password on a connection of the
 * authentication pool. An unknown user costs a bind too (to a DN that does not exist), so that neither
 * the outcome nor the time tells an unknown user from a wrong password. An empty password is refused
 * without a bind: the directory would take it for an unauthenticated bind and succeed (RFC 4513
 * section 5.1.2). Never throws.
 */
final class Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final LdapUserStore store;
    private final Directory directory;
    private final LdapSettings settings;
    private final String decoyDn;
    private final byte[] decoyPassword;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    Authenticator(LdapUserStore store, Directory directory, LdapSettings settings) {
        this.store = store;
        this.directory = directory;
        this.settings = settings;
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String nonce = HexFormat.of().formatHex(random);
        this.decoyDn = settings.userNameAttribute() + "=obkm-no-such-user-" + nonce + "," + settings.userSearchBase();
        this.decoyPassword = nonce.getBytes(StandardCharsets.US_ASCII);
    }

    AuthenticationResult authenticate(String username, char[] password) {
        if (store.isClosed()) {
            return AuthenticationResult.unavailable();
        }
        if (password == null || password.length == 0) {
            return AuthenticationResult.badCredentials();
        }
        byte[] pw = utf8(password);
        try {
            return settings.userDnPatterns().isEmpty() ? bySearch(username, pw) : byPattern(username, pw);
        } catch (IllegalStateException e) {
            warn(e.getMessage());
            return AuthenticationResult.unavailable();
        } catch (RuntimeException e) {
            LOG.warn("Directory of {}: sign-in failed unexpectedly: {}", store.domain(), Directory.describe(e));
            return AuthenticationResult.unavailable();
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private AuthenticationResult bySearch(String username, byte[] pw) {
        Found found = LdapText.isPlausibleUsername(username) ? store.findEntry(username) : null;
        if (found == null) {
            bind(decoyDn, decoyPassword);
            return AuthenticationResult.badCredentials();
        }
        return decide(found, bind(found.dn(), pw));
    }

    private AuthenticationResult byPattern(String username, byte[] pw) {
        if (!LdapText.isPlausibleUsername(username)) {
            bind(decoyDn, decoyPassword);
            return AuthenticationResult.badCredentials();
        }
        for (String pattern : settings.userDnPatterns()) {
            String dn = LdapText.patternDn(pattern, username);
            LdapResult r = bind(dn, pw);
            if (r.getResultCode() == ResultCodeEnum.SUCCESS) {
                Found found = store.entryAt(dn);
                if (found == null) {
                    LOG.warn("Directory of {}: {} signed in but is no entry of UserNameListFilter {}", store.domain(),
                            dn, settings.userNameListFilter());
                    return AuthenticationResult.badCredentials();
                }
                return decide(found, r);
            }
            AuthenticationResult failed = failure(r, false);
            if (failed.outcome() != AuthenticationResult.Outcome.BAD_CREDENTIALS) {
                return failed;
            }
        }
        return AuthenticationResult.badCredentials();
    }

    private AuthenticationResult decide(Found found, LdapResult r) {
        if (r.getResultCode() != ResultCodeEnum.SUCCESS) {
            return failure(r, found.lockHint());
        }
        if (found.user().locked()) {
            return AuthenticationResult.lockedByAdministrator();
        }
        return AuthenticationResult.ok(store.remember(store.complete(found)).user());
    }

    /**
     * A refused bind: a lockout where the directory tells one (Active Directory's sub-codes 775 locked,
     * 533 disabled, 701 expired in the diagnostic message; an OpenLDAP ppolicy lock on the entry), an
     * outage for the codes that mean the directory could not answer, else bad credentials.
     */
    private AuthenticationResult failure(LdapResult r, boolean lockHint) {
        String diagnostic = r.getDiagnosticMessage() == null ? "" : r.getDiagnosticMessage();
        ResultCodeEnum code = r.getResultCode();
        switch (code) {
            case INVALID_CREDENTIALS, CONSTRAINT_VIOLATION, UNWILLING_TO_PERFORM, INSUFFICIENT_ACCESS_RIGHTS:
                if (lockHint || diagnostic.matches("(?s).*\\bdata (775|533|701)\\b.*")
                        || (code != ResultCodeEnum.INVALID_CREDENTIALS
                                && diagnostic.toLowerCase(java.util.Locale.ROOT).matches("(?s).*(lock|inactiv).*"))) {
                    return AuthenticationResult.lockedByAdministrator();
                }
                return AuthenticationResult.badCredentials();
            case BUSY, UNAVAILABLE, OTHER, TIME_LIMIT_EXCEEDED, ADMIN_LIMIT_EXCEEDED, OPERATIONS_ERROR,
                    PROTOCOL_ERROR:
                warn("directory of " + store.domain() + " answered a bind with " + code.getMessage());
                return AuthenticationResult.unavailable();
            default:
                return AuthenticationResult.badCredentials();
        }
    }

    private LdapResult bind(String dn, byte[] pw) {
        return directory.authenticate(c -> ConnectionFactory.bind(c, dn, pw, settings.readTimeoutMillis()));
    }

    /** One warning per interval for a directory that cannot serve sign-ins; the replicas log their own state. */
    private void warn(String message) {
        long last = lastWarning.get();
        long now = System.nanoTime();
        if (now - last >= LOG_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("Sign-ins to {} unavailable: {}", store.domain(), message);
        } else {
            LOG.debug("Sign-in to {} unavailable: {}", store.domain(), message);
        }
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = Arrays.copyOfRange(b.array(), b.position(), b.limit());
        Arrays.fill(b.array(), (byte) 0);
        return out;
    }
}
