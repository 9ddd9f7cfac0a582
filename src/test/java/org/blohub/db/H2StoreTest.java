package org.blohub.db;

import javax.sql.DataSource;

/** The stores on H2, as the hub configures it (MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE). */
class H2StoreTest extends StoreContractTest {

    @Override
    DataSource newDatabase() {
        return TestDatabases.h2();
    }
}
