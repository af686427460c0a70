-- OBKM schema version 4: user store domains in obkm_user (org.obkm.userstore.jdbc), so that secondary
-- user stores of type jdbc keep their users in the shared database beside the primary store's.
-- A username is unique within its domain only; ids stay unique across all domains.
-- Portable SQL for H2 2.x and PostgreSQL. V2's inline UNIQUE (username) has a generated name that
-- differs between the two (CONSTRAINT_xx on H2, obkm_user_username_key on PostgreSQL), so it cannot
-- be dropped by name: the table is rebuilt instead (create, copy, drop, rename), with named
-- constraints from now on. No foreign key references obkm_user (V3 keeps subjects as plain strings)
-- and V2 created no index on it beside its constraints, so nothing else needs recreating.
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
);
INSERT INTO obkm_user_v4 (id, domain, username, display_name, password_hash, failed_attempts, locked_until,
    locked_by_admin, created_at, updated_at, attributes)
  SELECT id, 'PRIMARY', username, display_name, password_hash, failed_attempts, locked_until,
    locked_by_admin, created_at, updated_at, attributes
  FROM obkm_user;
DROP TABLE obkm_user;
ALTER TABLE obkm_user_v4 RENAME TO obkm_user;
