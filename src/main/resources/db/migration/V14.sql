-- OpenID Connect login sessions (the browser's jeton_session cookie). The cookie holds a random
-- secret; only its SHA-256 is stored (hash). id is the public session id, sent as the ID
-- token's sid and used by `jeton session list|revoke`. credential is a digest of the user's
-- password hash at login, so that a password change ends the session on every instance.
CREATE TABLE login_sessions (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    auth_time BIGINT NOT NULL,
    acr TEXT NOT NULL,
    amr TEXT NOT NULL,
    credential TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    idle_expires_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE INDEX login_sessions_user ON login_sessions (user_id);

CREATE INDEX login_sessions_expiry ON login_sessions (expires_at);

-- The clients that received a code in a session: the ones told by back-channel logout.
CREATE TABLE login_session_clients (
    session_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    PRIMARY KEY (session_id, client_id)
);

-- Scopes a user approved for a client on the consent page; one row per scope.
CREATE TABLE consents (
    user_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, client_id, scope)
);

-- A client's OpenID Connect relying-party settings. A client without a row is first-party
-- (no consent page) and has no logout URIs: every client registered before this table.
CREATE TABLE relying_parties (
    client_id TEXT PRIMARY KEY,
    first_party INTEGER NOT NULL,
    post_logout_redirect_uris TEXT NOT NULL,
    backchannel_logout_uri TEXT
);

-- How the user of a code authenticated, for the ID token's acr, amr and sid.
ALTER TABLE authorization_codes ADD COLUMN acr TEXT;

ALTER TABLE authorization_codes ADD COLUMN amr TEXT;

ALTER TABLE authorization_codes ADD COLUMN sid TEXT;
