-- OBKM schema version 3: grants, authorization codes and refresh tokens (org.obkm.api.token.GrantStore).
-- Portable SQL for H2 2.x and PostgreSQL; times are epoch milliseconds.
-- Codes and refresh tokens are stored as hashes only (base64url SHA-256). used_at is set exactly once,
-- by one conditional UPDATE (DESIGN rule 9); a used row is kept until it expires so that a replay is
-- recognised and its grant revoked. No foreign keys: the store checks the grant in the same UPDATE.
CREATE TABLE obkm_grant (
  grant_id VARCHAR(64) PRIMARY KEY,
  client_id VARCHAR(64) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  scope VARCHAR(4000) NOT NULL,
  details VARCHAR(16000) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX obkm_grant_subject ON obkm_grant (subject);
CREATE INDEX obkm_grant_expiry ON obkm_grant (expires_at);
CREATE TABLE obkm_auth_code (
  code_hash VARCHAR(64) PRIMARY KEY,
  grant_id VARCHAR(64) NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE TABLE obkm_refresh_token (
  token_hash VARCHAR(64) PRIMARY KEY,
  grant_id VARCHAR(64) NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX obkm_refresh_token_grant ON obkm_refresh_token (grant_id);
CREATE INDEX obkm_refresh_token_expiry ON obkm_refresh_token (expires_at);
