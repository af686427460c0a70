package org.obkm.consent.internal;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/** {@link JdbcConsentServiceContract} on H2, each test on an in-memory database of its own. */
class JdbcConsentServiceTest extends JdbcConsentServiceContract {

    @Override
    DataSource emptyDatabase() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:consents" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }
}
