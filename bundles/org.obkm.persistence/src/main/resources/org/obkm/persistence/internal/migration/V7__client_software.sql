-- OBKM schema version 7: what dynamic client registration records on a client (issue 13, RFC 7591,
-- UK Open Banking DCR 3.3): the software statement it registered with (software, organisation, roles,
-- issuing directory, environment), the signing algorithms, response types and application type it
-- registered, the hash of its RFC 7592 registration access token, and whether an operator disabled it.
-- NULL everywhere (and not disabled) for clients made in the shell, which keep working unchanged.
-- Portable SQL for H2 2.x and PostgreSQL.
ALTER TABLE obkm_client ADD COLUMN software_id VARCHAR(255);
ALTER TABLE obkm_client ADD COLUMN organisation_id VARCHAR(255);
ALTER TABLE obkm_client ADD COLUMN software_roles VARCHAR(500);
ALTER TABLE obkm_client ADD COLUMN ssa_issuer VARCHAR(255);
ALTER TABLE obkm_client ADD COLUMN software_environment VARCHAR(100);
ALTER TABLE obkm_client ADD COLUMN token_endpoint_auth_signing_alg VARCHAR(32);
ALTER TABLE obkm_client ADD COLUMN id_token_signed_response_alg VARCHAR(32);
ALTER TABLE obkm_client ADD COLUMN request_object_signing_alg VARCHAR(32);
ALTER TABLE obkm_client ADD COLUMN response_types VARCHAR(500);
ALTER TABLE obkm_client ADD COLUMN application_type VARCHAR(16);
ALTER TABLE obkm_client ADD COLUMN registration_token_hash VARCHAR(128);
ALTER TABLE obkm_client ADD COLUMN disabled BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX obkm_client_software ON obkm_client (software_id);
