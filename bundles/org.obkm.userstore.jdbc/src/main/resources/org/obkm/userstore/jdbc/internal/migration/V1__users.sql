-- OBKM schema version 2: the primary user store (org.obkm.userstore.jdbc).
-- Portable SQL for H2 2.x and PostgreSQL; times are epoch milliseconds.
-- password_hash: pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>. locked_until: end of a lockout
-- after failed sign-ins, NULL when none. attributes: a JSON object of strings or string arrays.
CREATE TABLE obkm_user (
  id VARCHAR(64) PRIMARY KEY,
  username VARCHAR(200) NOT NULL UNIQUE,
  display_name VARCHAR(200),
  password_hash VARCHAR(512),
  failed_attempts INT DEFAULT 0 NOT NULL,
  locked_until BIGINT,
  locked_by_admin BOOLEAN DEFAULT FALSE NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  attributes VARCHAR(4000)
);
