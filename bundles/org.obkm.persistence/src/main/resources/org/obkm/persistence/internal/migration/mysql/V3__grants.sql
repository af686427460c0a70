-- OBKM schema version 3 for MariaDB and MySQL: grants, authorization codes and refresh tokens
-- (org.obkm.api.token.GrantStore), as the portable script with TEXT for scope and details (row size)
-- and a binary collation (hashes compare case-sensitively). Times are epoch milliseconds.
CREATE TABLE obkm_grant (
  grant_id VARCHAR(64) PRIMARY KEY,
  client_id VARCHAR(64) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  scope TEXT NOT NULL,
  details TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX obkm_grant_subject ON obkm_grant (subject);
CREATE INDEX obkm_grant_expiry ON obkm_grant (expires_at);
CREATE TABLE obkm_auth_code (
  code_hash VARCHAR(64) PRIMARY KEY,
  grant_id VARCHAR(64) NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE obkm_refresh_token (
  token_hash VARCHAR(64) PRIMARY KEY,
  grant_id VARCHAR(64) NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX obkm_refresh_token_grant ON obkm_refresh_token (grant_id);
CREATE INDEX obkm_refresh_token_expiry ON obkm_refresh_token (expires_at);
