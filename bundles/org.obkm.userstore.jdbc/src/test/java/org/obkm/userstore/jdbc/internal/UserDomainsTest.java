package org.obkm.userstore.jdbc.internal;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.obkm.persistence.internal.SchemaMigrator;

/** {@link UserDomainsContract} on H2. */
class UserDomainsTest extends UserDomainsContract {

    @Override
    DataSource freshDatabase() throws SQLException {
        JdbcDataSource ds = JdbcUserStoreTest.h2("domains");
        new SchemaMigrator(ds).migrate(new UserSchema());
        return ds;
    }
}
