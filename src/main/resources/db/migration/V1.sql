-- Portable SQL: it runs on SQLite and PostgreSQL alike. Times are epoch milliseconds,
-- hashes are lowercase hex, lists are space-separated.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE user_groups (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    group_name TEXT NOT NULL,
    PRIMARY KEY (user_id, group_name)
);

CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    secret_hash TEXT,
    grant_types TEXT NOT NULL,
    scopes TEXT NOT NULL,
    audiences TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    access_ttl_s BIGINT,
    refresh_ttl_s BIGINT,
    refresh_policy TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    algorithm TEXT NOT NULL,
    state TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    private_key TEXT NOT NULL,
    certificate TEXT,
    created_at BIGINT NOT NULL,
    state_changed_at BIGINT NOT NULL
);

CREATE TABLE refresh_families (
    id TEXT PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    client_id TEXT,
    dialect TEXT NOT NULL,
    policy TEXT NOT NULL,
    scope TEXT NOT NULL,
    audience TEXT,
    generation BIGINT NOT NULL,
    current_hash TEXT NOT NULL,
    rotated_at BIGINT,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX refresh_families_expiry ON refresh_families (expires_at);

CREATE INDEX refresh_families_client ON refresh_families (client_id);

CREATE TABLE refresh_tokens (
    hash TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES refresh_families(id) ON DELETE CASCADE,
    generation BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

CREATE TABLE revoked_access_tokens (
    jti TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
