package org.obkm.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import org.obkm.api.token.Grant;
import org.obkm.api.token.GrantStore;
import org.obkm.api.token.OneTimeUse;
import org.obkm.api.token.OneTimeUse.Outcome;
import org.obkm.api.token.RefreshToken;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Grants, codes and refresh tokens by plain JDBC (schema version 3). A code or refresh token is used by
 * one UPDATE that sets {@code used_at} only where it is still null, unexpired and its grant live, so
 * the database row lock lets exactly one caller on any node succeed (DESIGN rule 9, RFC 6749 section
 * 4.1.2, RFC 9700 section 4.14.2). The row is read only afterwards: for its grant id, or, when no row
 * changed, to tell a replay from an expired or unknown one.
 */
@Component(service = GrantStore.class)
public final class JdbcGrantStore implements GrantStore {

    static final int MAX_GRANTS_LISTED = 100;

    private static final String GRANT_COLUMNS =
            "grant_id, client_id, subject, scope, details, created_at, expires_at, revoked_at";
    // Checked in the same statement, so a revocation that committed first always wins.
    private static final String LIVE_GRANT =
            " AND grant_id IN (SELECT grant_id FROM obkm_grant WHERE revoked_at IS NULL AND expires_at > ?)";
    private static final String USE_CODE = "UPDATE obkm_auth_code SET used_at = ?"
            + " WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?" + LIVE_GRANT;
    private static final String USE_REFRESH_TOKEN = "UPDATE obkm_refresh_token SET used_at = ?"
            + " WHERE token_hash = ? AND grant_id = ? AND used_at IS NULL AND expires_at > ?" + LIVE_GRANT;

    private final DataSource dataSource;
    private final Purger purger;

    @Activate
    public JdbcGrantStore(@Reference(target = "(osgi.jndi.service.name=obkm)") DataSource dataSource,
            @Reference DatabaseSchema schema) {
        this.dataSource = dataSource;
        this.purger = new Purger("grants, codes and refresh tokens", this::purgeExpired);
    }

    @Deactivate
    void deactivate() {
        purger.stop();
    }

    @Override
    public void createGrant(Grant g) {
        checkLength("grant id", g.grantId(), 64);
        checkLength("client id", g.clientId(), 64);
        checkLength("subject", g.subject(), 255);
        checkLength("scope", g.scope(), 0, 4000);
        checkLength("grant details", g.details(), 16000);
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO obkm_grant (" + GRANT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, g.grantId());
            p.setString(2, g.clientId());
            p.setString(3, g.subject());
            p.setString(4, g.scope());
            p.setString(5, g.details());
            p.setLong(6, g.createdAt().toEpochMilli());
            p.setLong(7, g.expiresAt().toEpochMilli());
            setInstant(p, 8, g.revokedAt());
            p.executeUpdate();
        } catch (SQLException e) {
            throw insertFailure("a grant", e);
        }
    }

    @Override
    public Optional<Grant> findGrant(String grantId) {
        Objects.requireNonNull(grantId, "grantId");
        return grants("SELECT " + GRANT_COLUMNS + " FROM obkm_grant WHERE grant_id = ?", grantId).stream().findFirst();
    }

    @Override
    public List<Grant> grantsOf(String subject) {
        Objects.requireNonNull(subject, "subject");
        return grants("SELECT " + GRANT_COLUMNS + " FROM obkm_grant WHERE subject = ?"
                + " ORDER BY created_at DESC, grant_id DESC FETCH FIRST " + MAX_GRANTS_LISTED + " ROWS ONLY", subject);
    }

    @Override
    public boolean revokeGrant(String grantId, Instant at) {
        Objects.requireNonNull(grantId, "grantId");
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "UPDATE obkm_grant SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL")) {
            p.setLong(1, at.toEpochMilli());
            p.setString(2, grantId);
            return p.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Sql.failure("revoking a grant", e);
        }
    }

    @Override
    public boolean isGrantRevoked(String grantId) {
        Objects.requireNonNull(grantId, "grantId");
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement("SELECT revoked_at FROM obkm_grant WHERE grant_id = ?")) {
            p.setString(1, grantId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return true;
                }
                rs.getLong(1);
                return !rs.wasNull();
            }
        } catch (SQLException e) {
            throw Sql.failure("checking a grant", e);
        }
    }

    @Override
    public void addCode(String codeHash, String grantId, Instant expiresAt) {
        checkLength("code hash", codeHash, 64);
        checkLength("grant id", grantId, 64);
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO obkm_auth_code (code_hash, grant_id, expires_at, used_at) VALUES (?, ?, ?, NULL)")) {
            p.setString(1, codeHash);
            p.setString(2, grantId);
            p.setLong(3, expiresAt.toEpochMilli());
            p.executeUpdate();
        } catch (SQLException e) {
            throw insertFailure("an authorization code", e);
        }
    }

    @Override
    public OneTimeUse useCode(String codeHash, Instant now) {
        Objects.requireNonNull(codeHash, "codeHash");
        long t = now.toEpochMilli();
        try (Connection c = dataSource.getConnection()) {
            int rows;
            try (PreparedStatement p = c.prepareStatement(USE_CODE)) {
                p.setLong(1, t);
                p.setString(2, codeHash);
                p.setLong(3, t);
                p.setLong(4, t);
                rows = p.executeUpdate();
            }
            // On success only the grant id is read back: there is no portable UPDATE ... RETURNING. A row
            // purged in between (a clock far off) comes back UNKNOWN, which fails closed.
            OneTimeUse seen = classify(c, "obkm_auth_code", "code_hash", codeHash);
            return rows == 1 && seen.grantId() != null ? new OneTimeUse(Outcome.USED, seen.grantId()) : seen;
        } catch (SQLException e) {
            throw Sql.failure("using an authorization code", e);
        }
    }

    @Override
    public void addRefreshToken(RefreshToken token) {
        checkLength("refresh token hash", token.tokenHash(), 64);
        checkLength("grant id", token.grantId(), 64);
        try (Connection c = dataSource.getConnection()) {
            insert(c, token);
        } catch (SQLException e) {
            throw insertFailure("a refresh token", e);
        }
    }

    @Override
    public OneTimeUse rotateRefreshToken(String oldHash, RefreshToken next, Instant now) {
        Objects.requireNonNull(oldHash, "oldHash");
        checkLength("refresh token hash", next.tokenHash(), 64);
        if (next.usedAt() != null || next.tokenHash().equals(oldHash)) {
            throw new IllegalArgumentException("the next refresh token must be new and unused");
        }
        long t = now.toEpochMilli();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int rows;
                try (PreparedStatement p = c.prepareStatement(USE_REFRESH_TOKEN)) {
                    p.setLong(1, t);
                    p.setString(2, oldHash);
                    p.setString(3, next.grantId());
                    p.setLong(4, t);
                    p.setLong(5, t);
                    rows = p.executeUpdate();
                }
                if (rows == 1) {
                    insert(c, next);
                    c.commit();
                    return new OneTimeUse(Outcome.USED, next.grantId());
                }
                c.rollback();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            OneTimeUse seen = classify(c, "obkm_refresh_token", "token_hash", oldHash);
            if (seen.grantId() != null && !seen.grantId().equals(next.grantId())) {
                throw new IllegalArgumentException("the next refresh token belongs to another grant than the old one");
            }
            return seen;
        } catch (SQLException e) {
            throw Sql.isDuplicateKey(e) ? duplicate("a refresh token") : Sql.failure("rotating a refresh token", e);
        }
    }

    @Override
    public Optional<RefreshToken> findRefreshToken(String tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("SELECT token_hash,"
                + " grant_id, issued_at, expires_at, used_at FROM obkm_refresh_token WHERE token_hash = ?")) {
            p.setString(1, tokenHash);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(new RefreshToken(rs.getString(1), rs.getString(2),
                        Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4)), instant(rs, 5)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw Sql.failure("reading a refresh token", e);
        }
    }

    @Override
    public int purgeExpired(Instant now) {
        String[] tables = {"obkm_auth_code", "obkm_refresh_token", "obkm_grant"};
        int n = 0;
        try (Connection c = dataSource.getConnection()) {
            for (String table : tables) {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE expires_at < ?")) {
                    p.setLong(1, now.toEpochMilli());
                    n += p.executeUpdate();
                }
            }
            return n;
        } catch (SQLException e) {
            throw Sql.failure("purging expired grants, codes and refresh tokens", e);
        }
    }


    /** What a code or token that this caller did not use came to: a replay, expired (or grant gone), or unknown. */
    private static OneTimeUse classify(Connection c, String table, String key, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT grant_id, used_at FROM " + table + " WHERE " + key + " = ?")) {
            p.setString(1, value);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return new OneTimeUse(Outcome.UNKNOWN, null);
                }
                String grantId = rs.getString(1);
                return new OneTimeUse(instant(rs, 2) != null ? Outcome.ALREADY_USED : Outcome.EXPIRED, grantId);
            }
        }
    }

    private static void insert(Connection c, RefreshToken t) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO obkm_refresh_token"
                + " (token_hash, grant_id, issued_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, t.tokenHash());
            p.setString(2, t.grantId());
            p.setLong(3, t.issuedAt().toEpochMilli());
            p.setLong(4, t.expiresAt().toEpochMilli());
            setInstant(p, 5, t.usedAt());
            p.executeUpdate();
        }
    }

    private List<Grant> grants(String sql, String param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, param);
            List<Grant> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Grant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)),
                            instant(rs, 8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.failure("reading grants", e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setInstant(PreparedStatement p, int index, Instant value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.BIGINT);
        } else {
            p.setLong(index, value.toEpochMilli());
        }
    }

    private static void checkLength(String what, String value, int max) {
        checkLength(what, value, 1, max);
    }

    private static void checkLength(String what, String value, int min, int max) {
        Objects.requireNonNull(value, what);
        if (value.length() < min || value.length() > max) {
            throw new IllegalArgumentException("the " + what + " must have " + min + " to " + max
                    + " characters, it has " + value.length());
        }
    }

    private static RuntimeException insertFailure(String what, SQLException e) {
        return Sql.isDuplicateKey(e) ? duplicate(what) : Sql.failure("recording " + what, e);
    }

    private static IllegalArgumentException duplicate(String what) {
        return new IllegalArgumentException(what + " with this key is recorded already");
    }
}
