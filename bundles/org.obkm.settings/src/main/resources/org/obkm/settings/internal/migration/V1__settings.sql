-- OBKM settings version 1: the cluster's settings (org.obkm.settings), one row per PID and key.
-- Portable SQL for H2 2.x and PostgreSQL; times are epoch milliseconds.
-- setting_value: NULL once unset (the row stays, so that a node that was down learns of the unset);
-- a secret's value is the ciphertext of ConfigSecrets (AES-256-GCM under the cluster's shared secret).
-- version: the cluster settings version of the row's last change, from obkm_setting_version, whose one
-- row is locked by every change so that versions are handed out in commit order.
CREATE TABLE obkm_setting (
  pid VARCHAR(200) NOT NULL,
  setting_key VARCHAR(200) NOT NULL,
  setting_value VARCHAR(4000),
  secret BOOLEAN DEFAULT FALSE NOT NULL,
  version BIGINT NOT NULL,
  updated_by VARCHAR(200) NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (pid, setting_key)
);
CREATE INDEX obkm_setting_version_idx ON obkm_setting (version);
CREATE TABLE obkm_setting_version (
  id INT PRIMARY KEY,
  version BIGINT NOT NULL
);
INSERT INTO obkm_setting_version (id, version) VALUES (1, 0);
