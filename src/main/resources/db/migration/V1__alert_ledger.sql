-- One row per accepted (office, sourceRef): the dedupe key (DESIGN §4, §7) and the alert as accepted.
CREATE TABLE alert_ledger (
    alert_id     VARCHAR(36)   NOT NULL PRIMARY KEY,
    office       VARCHAR(64)   NOT NULL,
    source_ref   VARCHAR(200)  NOT NULL,
    original_id  VARCHAR(1000) NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    alert_json   TEXT          NOT NULL,
    CONSTRAINT alert_ledger_key UNIQUE (office, source_ref)
);
