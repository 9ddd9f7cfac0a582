-- SFTP in (org.blohub.sftp): the files the hub claims from the offices' inboxes (DESIGN §9).

-- camel-sql JdbcMessageIdRepository (processor "sftp-in"): the claim of a file, added by the consumer before it
-- renames the file out of the inbox (preMove), so that two hub instances never both take it. Keys longer than 100
-- characters are stored as 'sha256:<hex>'.
CREATE TABLE sftp_claim (
    processorName VARCHAR(255) NOT NULL,
    messageId     VARCHAR(100) NOT NULL,
    createdAt     TIMESTAMP,
    PRIMARY KEY (processorName, messageId)
);

-- One row per file taken (key: <home>/<name>/<size>/<mtime UTC>, hashed like sftp_claim's): who reads it now, how
-- far it got, and its receipt so far. Every row up to items_done was handed over (committed to the broker) before
-- this row said so, so a reader that died resumes after it and never sends a row twice.
CREATE TABLE sftp_file (
    file_key     VARCHAR(100)  NOT NULL PRIMARY KEY,
    office       VARCHAR(64)   NOT NULL,
    name         VARCHAR(1000) NOT NULL,
    state        VARCHAR(16)   NOT NULL,          -- PROCESSING, DONE (to done/), ERROR (to error/)
    owner        VARCHAR(64),                     -- the hub instance reading it; null once released after a failure
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts     INT           NOT NULL,
    retry_after  TIMESTAMP WITH TIME ZONE,        -- a failed file is not taken again before this
    items_done   BIGINT        NOT NULL,          -- alerts (rows) handed over, counted in input order
    last_line    BIGINT        NOT NULL,          -- the line of the last row handed over
    parts        INT           NOT NULL,          -- receipt parts stored (sftp_receipt_part)
    accepted     BIGINT        NOT NULL,
    duplicate    BIGINT        NOT NULL,
    rejected     BIGINT        NOT NULL,
    error        VARCHAR(4000),                   -- why it could not be read (ERROR), or the last failure
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at  TIMESTAMP WITH TIME ZONE
);

-- The receipts of a file's committed chunks, until its receipt file is written: gzip of JSON array elements.
CREATE TABLE sftp_receipt_part (
    file_key VARCHAR(100) NOT NULL,
    part     INT          NOT NULL,
    body     BYTEA        NOT NULL,
    PRIMARY KEY (file_key, part)
);
