-- Authorization codes: single use, short-lived, stored as SHA-256; what a code's first use
-- issued is recorded so that a replay can revoke it (RFC 6749 4.1.2).
CREATE TABLE authorization_codes (
    hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    redirect_uri_explicit INTEGER NOT NULL,
    scope TEXT NOT NULL,
    nonce TEXT,
    code_challenge TEXT,
    auth_time BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    family_id TEXT,
    access_jti TEXT,
    access_expires_at BIGINT
);

CREATE INDEX authorization_codes_expiry ON authorization_codes (expires_at);
