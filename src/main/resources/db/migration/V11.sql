-- OpenID Connect: per-client ID token algorithm and client authentication (RFC 7523 keys),
-- user profile claims, and the jti of every client assertion until it expires (single use).
ALTER TABLE clients ADD COLUMN id_token_alg TEXT;
ALTER TABLE clients ADD COLUMN token_auth_method TEXT;
ALTER TABLE clients ADD COLUMN jwks TEXT;
ALTER TABLE clients ADD COLUMN jwks_uri TEXT;

ALTER TABLE users ADD COLUMN display_name TEXT;
ALTER TABLE users ADD COLUMN given_name TEXT;
ALTER TABLE users ADD COLUMN family_name TEXT;
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0;

CREATE TABLE client_assertion_jtis (
    client_id TEXT NOT NULL,
    jti TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, jti)
);

CREATE INDEX client_assertion_jtis_expiry ON client_assertion_jtis (expires_at);

-- client_secret_jwt needs the client's secret itself (an HMAC key): for clients registered for
-- it alone, the secret is also kept encrypted with the master key (AES-GCM), never in the clear.
ALTER TABLE clients ADD COLUMN secret_sealed TEXT;
