-- OBKM schema version 1: clients, signing keys, shared secrets, revoked tokens.
-- Portable SQL for H2 2.x and PostgreSQL; times are epoch milliseconds.
CREATE TABLE obkm_client (
  client_id VARCHAR(64) PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  grant_types VARCHAR(500) NOT NULL,
  scopes VARCHAR(4000) NOT NULL,
  auth_method VARCHAR(40) NOT NULL,
  secret_hash VARCHAR(128),
  jwks VARCHAR(32000),
  jwks_uri VARCHAR(2000),
  redirect_uris VARCHAR(8000) NOT NULL,
  tls_subject_dn VARCHAR(1000),
  created_at BIGINT NOT NULL
);
CREATE TABLE obkm_signing_key (
  kid VARCHAR(64) PRIMARY KEY,
  algorithm VARCHAR(16) NOT NULL,
  public_jwk VARCHAR(4000) NOT NULL,
  private_jwk VARCHAR(8000) NOT NULL,
  created_at BIGINT NOT NULL,
  active BOOLEAN NOT NULL
);
CREATE TABLE obkm_shared_secret (
  name VARCHAR(64) PRIMARY KEY,
  secret_value VARCHAR(1000) NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE obkm_revoked_token (
  token_id VARCHAR(64) PRIMARY KEY,
  client_id VARCHAR(64) NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL
);
CREATE INDEX obkm_revoked_token_expiry ON obkm_revoked_token (expires_at);
