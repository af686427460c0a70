-- OBKM settings version 1 for MariaDB and MySQL: as the portable script, with a binary collation so
-- that PIDs and keys compare case-sensitively as on PostgreSQL and H2.
CREATE TABLE obkm_setting (
  pid VARCHAR(200) NOT NULL,
  setting_key VARCHAR(200) NOT NULL,
  setting_value VARCHAR(4000),
  secret BOOLEAN DEFAULT FALSE NOT NULL,
  version BIGINT NOT NULL,
  updated_by VARCHAR(200) NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (pid, setting_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX obkm_setting_version_idx ON obkm_setting (version);
CREATE TABLE obkm_setting_version (
  id INT PRIMARY KEY,
  version BIGINT NOT NULL
) ENGINE = InnoDB;
INSERT INTO obkm_setting_version (id, version) VALUES (1, 0);
