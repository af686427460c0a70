package org.obkm.persistence.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.obkm.api.health.HealthIndicator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** Database health: down while the DataSource or the schema is missing, or a connection fails its check. */
@Component(service = HealthIndicator.class)
public final class DatabaseHealth implements HealthIndicator {

    private final DataSource dataSource;
    private volatile DatabaseSchema schema;

    @Activate
    public DatabaseHealth(@Reference(target = "(osgi.jndi.service.name=obkm)") DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindSchema(DatabaseSchema s) {
        this.schema = s;
    }

    void unbindSchema(DatabaseSchema s) {
        if (this.schema == s) {
            this.schema = null;
        }
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public Status check() {
        DatabaseSchema s = schema;
        if (s == null) {
            return Status.down("schema not migrated");
        }
        try (Connection c = dataSource.getConnection()) {
            if (!c.isValid(2)) {
                return Status.down("connection invalid");
            }
        } catch (SQLException e) {
            return Status.down("unreachable");
        }
        Map<String, Integer> modules = s.modules();
        List<String> waiting = modules.entrySet().stream().filter(m -> m.getValue() < 0).map(Map.Entry::getKey).toList();
        if (!waiting.isEmpty()) {
            return Status.down("schema not migrated: " + String.join(", ", waiting));
        }
        return Status.up("schema " + modules.entrySet().stream().map(m -> m.getKey() + " v" + m.getValue())
                .collect(Collectors.joining(", ")));
    }

}
