-- OBKM users version 1 for MariaDB and MySQL: as the portable script, with a binary collation so
-- that usernames compare case-sensitively as on PostgreSQL and H2.
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
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
