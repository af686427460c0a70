-- Schema module consents, version 1, for MariaDB and MySQL: as the portable script (see its comments),
-- with TEXT for the JSON columns (a VARCHAR(20000) in utf8mb4 is over MariaDB's column limit), an
-- AUTO_INCREMENT event id, and a binary collation (ids and hashes compare case-sensitively).
CREATE TABLE obkm_consent (
  id VARCHAR(128) NOT NULL,
  consent_type VARCHAR(32) NOT NULL,
  client_id VARCHAR(255) NOT NULL,
  status VARCHAR(32) NOT NULL,
  created_at BIGINT NOT NULL,
  status_updated_at BIGINT NOT NULL,
  expires_at BIGINT,
  deleted_at BIGINT,
  subject VARCHAR(255),
  accounts_json TEXT,
  data_json TEXT NOT NULL,
  risk_json TEXT,
  idempotency_key VARCHAR(40),
  request_hash VARCHAR(64),
  CONSTRAINT obkm_consent_pk PRIMARY KEY (id),
  CONSTRAINT obkm_consent_idempotency_uq UNIQUE (client_id, idempotency_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX obkm_consent_client_ix ON obkm_consent (client_id, created_at);
CREATE INDEX obkm_consent_status_ix ON obkm_consent (status, created_at);
CREATE TABLE obkm_consent_event (
  id BIGINT NOT NULL AUTO_INCREMENT,
  consent_id VARCHAR(128) NOT NULL,
  occurred_at BIGINT NOT NULL,
  actor VARCHAR(255) NOT NULL,
  from_status VARCHAR(32),
  to_status VARCHAR(32) NOT NULL,
  reason VARCHAR(500),
  CONSTRAINT obkm_consent_event_pk PRIMARY KEY (id),
  CONSTRAINT obkm_consent_event_consent_fk FOREIGN KEY (consent_id) REFERENCES obkm_consent (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX obkm_consent_event_consent_ix ON obkm_consent_event (consent_id, id);
