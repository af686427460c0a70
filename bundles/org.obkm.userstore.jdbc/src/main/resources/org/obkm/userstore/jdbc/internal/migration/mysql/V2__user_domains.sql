-- OBKM users version 2 for MariaDB and MySQL: user store domains, the table rebuilt as in the
-- portable script, with a binary collation (usernames compare case-sensitively).
CREATE TABLE obkm_user_v4 (
  id VARCHAR(64) NOT NULL,
  domain VARCHAR(64) DEFAULT 'PRIMARY' NOT NULL,
  username VARCHAR(200) NOT NULL,
  display_name VARCHAR(200),
  password_hash VARCHAR(512),
  failed_attempts INT DEFAULT 0 NOT NULL,
  locked_until BIGINT,
  locked_by_admin BOOLEAN DEFAULT FALSE NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  attributes VARCHAR(4000),
  CONSTRAINT obkm_user_pk PRIMARY KEY (id),
  CONSTRAINT obkm_user_domain_username_uq UNIQUE (domain, username)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
INSERT INTO obkm_user_v4 (id, domain, username, display_name, password_hash, failed_attempts, locked_until,
    locked_by_admin, created_at, updated_at, attributes)
  SELECT id, 'PRIMARY', username, display_name, password_hash, failed_attempts, locked_until,
    locked_by_admin, created_at, updated_at, attributes
  FROM obkm_user;
DROP TABLE obkm_user;
ALTER TABLE obkm_user_v4 RENAME TO obkm_user;
