package org.obkm.userstore.jdbc.internal;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/** {@link UserDomainsContract} on H2. */
class UserDomainsTest extends UserDomainsContract {

    @Override
    DataSource freshDatabase() throws SQLException {
        JdbcDataSource ds = JdbcUserStoreTest.h2("domains");
        TestSchema.migrate(ds);
        return ds;
    }
}
