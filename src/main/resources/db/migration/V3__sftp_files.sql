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

-- One row per file taken (key: <home>/<name>/<size>/<mtime UTC>, hashed like sftp_claim's): who reads it now
-- (owner, heartbeat), its backoff after a failed attempt, and how it ended. items_done .. rejected mirror, for the
-- operators, the checkpoint that the broker holds (queue hub.sftp.receipts, committed with each chunk).
CREATE TABLE sftp_file (
    file_key     VARCHAR(100)  NOT NULL PRIMARY KEY,
    office       VARCHAR(64)   NOT NULL,
    name         VARCHAR(1000) NOT NULL,
    state        VARCHAR(16)   NOT NULL,          -- PROCESSING, DONE (to done/), ERROR (to error/)
    owner        VARCHAR(64),                     -- the hub instance reading it; null once released after a failure
    claim_dir    VARCHAR(100),                    -- the attempt's directory under .hub/processing/<home>/
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts     INT           NOT NULL,
    retry_after  TIMESTAMP WITH TIME ZONE,        -- a failed file is not taken again before this
    items_done   BIGINT        NOT NULL,          -- alerts (rows) handed over, counted in input order
    last_line    BIGINT        NOT NULL,          -- the line of the last row handed over
    parts        INT           NOT NULL,          -- chunks committed
    accepted     BIGINT        NOT NULL,
    duplicate    BIGINT        NOT NULL,
    rejected     BIGINT        NOT NULL,
    error        VARCHAR(4000),                   -- why it could not be read (ERROR), or the last failure
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at  TIMESTAMP WITH TIME ZONE
);
