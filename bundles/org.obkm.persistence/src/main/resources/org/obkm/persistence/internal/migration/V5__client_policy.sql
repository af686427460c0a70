-- OBKM schema version 5: each client's profile and what it requires, on the client record (issue 9),
-- so that every event (registration, PAR, authorization, each grant, each resource request) reads its
-- policy from the record and the profile.client.<id> keys of org.obkm.oauth.cfg can go. A NULL profile
-- marks a client registered before: the oauth bundle assigns its profile from that configuration once.
-- Portable SQL for H2 2.x and PostgreSQL.
ALTER TABLE obkm_client ADD COLUMN profile VARCHAR(64);
ALTER TABLE obkm_client ADD COLUMN par_required BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE obkm_client ADD COLUMN sender_constrained BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE obkm_client ADD COLUMN auth_methods VARCHAR(500);
ALTER TABLE obkm_client ADD COLUMN updated_at BIGINT;
UPDATE obkm_client SET updated_at = created_at;
