package org.obkm.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import javax.sql.DataSource;

import org.obkm.api.token.RevocationStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Revocations by plain JDBC. Access tokens are self-contained JWTs with no row of their own; only a
 * revocation writes a row, kept until the token's expiry. A lookup is one primary-key read, so a
 * revocation is seen by every node the moment its insert commits.
 */
@Component(service = RevocationStore.class)
public final class JdbcRevocationStore implements RevocationStore {


    private final DataSource dataSource;
    private final Purger purger;

    @Activate
    public JdbcRevocationStore(@Reference(target = "(osgi.jndi.service.name=obkm)") DataSource dataSource,
            @Reference DatabaseSchema schema) {
        this.dataSource = dataSource;
        this.purger = new Purger("revocations", this::purgeExpired);
    }

    @Deactivate
    void deactivate() {
        purger.stop();
    }

    @Override
    public void revoke(String tokenId, String clientId, Instant expiresAt) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement(
                        "INSERT INTO obkm_revoked_token (token_id, client_id, expires_at, revoked_at) VALUES (?, ?, ?, ?)")) {
            p.setString(1, tokenId);
            p.setString(2, clientId);
            p.setLong(3, expiresAt.toEpochMilli());
            p.setLong(4, System.currentTimeMillis());
            p.executeUpdate();
        } catch (SQLException e) {
            if (!Sql.isDuplicateKey(e)) {
                throw Sql.failure("recording a revocation", e);
            }
        }
    }

    @Override
    public boolean isRevoked(String tokenId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement("SELECT 1 FROM obkm_revoked_token WHERE token_id = ?")) {
            p.setString(1, tokenId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw Sql.failure("checking a revocation", e);
        }
    }

    @Override
    public int purgeExpired(Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement("DELETE FROM obkm_revoked_token WHERE expires_at < ?")) {
            p.setLong(1, now.toEpochMilli());
            return p.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure("purging expired revocations", e);
        }
    }

}
