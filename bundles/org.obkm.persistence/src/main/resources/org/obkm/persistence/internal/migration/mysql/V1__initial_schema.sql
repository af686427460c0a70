-- OBKM schema version 1 for MariaDB and MySQL: clients, signing keys, shared secrets, revoked tokens.
-- The portable script's long VARCHARs exceed InnoDB's 65,535-byte row (utf8mb4: 4 bytes a character)
-- and MariaDB's 16,383-character VARCHAR: they are TEXT here. Binary collation: identifiers, hashes
-- and client ids compare case-sensitively, as on PostgreSQL and H2. Times are epoch milliseconds.
CREATE TABLE obkm_client (
  client_id VARCHAR(64) PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  grant_types VARCHAR(500) NOT NULL,
  scopes TEXT NOT NULL,
  auth_method VARCHAR(40) NOT NULL,
  secret_hash VARCHAR(128),
  jwks TEXT,
  jwks_uri VARCHAR(2000),
  redirect_uris TEXT NOT NULL,
  tls_subject_dn VARCHAR(1000),
  created_at BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE obkm_signing_key (
  kid VARCHAR(64) PRIMARY KEY,
  algorithm VARCHAR(16) NOT NULL,
  public_jwk TEXT NOT NULL,
  private_jwk TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  active BOOLEAN NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE obkm_shared_secret (
  name VARCHAR(64) PRIMARY KEY,
  secret_value VARCHAR(1000) NOT NULL,
  created_at BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE obkm_revoked_token (
  token_id VARCHAR(64) PRIMARY KEY,
  client_id VARCHAR(64) NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX obkm_revoked_token_expiry ON obkm_revoked_token (expires_at);
