package org.obkm.userstore.jdbc.internal;

import javax.sql.DataSource;

/** {@link LegacyLedgerContract} on H2. */
class LegacyLedgerTest extends LegacyLedgerContract {

    @Override
    DataSource emptyDatabase() {
        return JdbcUserStoreTest.h2("legacy");
    }
}
