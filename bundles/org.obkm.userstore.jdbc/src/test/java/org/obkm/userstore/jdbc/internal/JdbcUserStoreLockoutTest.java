package org.obkm.userstore.jdbc.internal;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.obkm.persistence.internal.SchemaMigrator;

/** {@link JdbcUserStoreLockoutContract} on H2, each test on an in-memory database of its own. */
class JdbcUserStoreLockoutTest extends JdbcUserStoreLockoutContract {

    @Override
    DataSource freshDatabase() throws SQLException {
        JdbcDataSource ds = JdbcUserStoreTest.h2("lockout");
        new SchemaMigrator(ds).migrate(new UserSchema());
        return ds;
    }
}
