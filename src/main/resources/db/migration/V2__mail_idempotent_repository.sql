-- Inputs taken in, per consumer (processorName): Camel's JdbcMessageIdRepository table, under its default name and
-- columns (unquoted, so lower case in H2 with DATABASE_TO_LOWER and in PostgreSQL). The mail channel keys a mail on
-- SHA-256 of its Message-ID and content (64 hex digits); keys are at most 100 characters, so longer ones are hashed.
-- The primary key makes a concurrent second insert of one key fail instead of recording it twice.
CREATE TABLE camel_messageprocessed (
    processorname VARCHAR(255) NOT NULL,
    messageid     VARCHAR(100) NOT NULL,
    createdat     TIMESTAMP    NOT NULL,
    CONSTRAINT camel_messageprocessed_key PRIMARY KEY (processorname, messageid)
);
