package org.obkm.userstore.jdbc.internal;

import javax.sql.DataSource;

/** {@link UserDomainsMigrationContract} on H2. */
class UserDomainsMigrationTest extends UserDomainsMigrationContract {

    @Override
    DataSource emptyDatabase() {
        return JdbcUserStoreTest.h2("migration");
    }
}
