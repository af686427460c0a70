-- OBKM schema version 6: each client's JWT Secured Authorization Response metadata (JARM §5, issue 10):
-- the JWS algorithm its authorization responses are signed with and, when it registered them, the JWE
-- algorithm and content encryption they are encrypted with. NULL: the server's default (PS256, not
-- encrypted). Portable SQL for H2 2.x and PostgreSQL.
ALTER TABLE obkm_client ADD COLUMN authorization_signed_response_alg VARCHAR(32);
ALTER TABLE obkm_client ADD COLUMN authorization_encrypted_response_alg VARCHAR(32);
ALTER TABLE obkm_client ADD COLUMN authorization_encrypted_response_enc VARCHAR(32);
