package org.obkm.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import org.obkm.api.store.SecretRepository;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Shared secrets by plain JDBC: "first writer wins" is a primary key, not a JPA merge. */
@Component(service = SecretRepository.class)
public final class JdbcSecretRepository implements SecretRepository {

    private final DataSource dataSource;

    @Activate
    public JdbcSecretRepository(@Reference(target = "(osgi.jndi.service.name=obkm)") DataSource dataSource,
            @Reference DatabaseSchema schema) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<String> find(String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement("SELECT secret_value FROM obkm_shared_secret WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Sql.failure("reading shared secret " + name, e);
        }
    }

    @Override
    public boolean insertIfAbsent(String name, String value) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement(
                        "INSERT INTO obkm_shared_secret (name, secret_value, created_at) VALUES (?, ?, ?)")) {
            p.setString(1, name);
            p.setString(2, value);
            p.setLong(3, System.currentTimeMillis());
            return p.executeUpdate() == 1;
        } catch (SQLException e) {
            if (Sql.isDuplicateKey(e)) {
                return false;
            }
            throw Sql.failure("storing shared secret " + name, e);
        }
    }
}
