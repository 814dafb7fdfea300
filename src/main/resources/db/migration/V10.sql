-- Upstream OpenID Connect providers ("Sign in with NAME"). client_secret is AES-GCM sealed with
-- the master key (base64), never in the clear; allowed_domains is space-separated.
CREATE TABLE upstreams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    claim_user TEXT,
    claim_groups TEXT,
    allowed_domains TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Which upstream account (issuer, sub) is which Jeton user: linked on first sign-in, never by name.
CREATE TABLE upstream_links (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    upstream TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);

-- Sign-ins in flight: SHA-256 of the state sent upstream and of the browser's cookie, the nonce
-- the ID token must carry, where to return; user_id once the upstream answered.
CREATE TABLE upstream_logins (
    state_hash TEXT PRIMARY KEY,
    browser_hash TEXT NOT NULL,
    upstream TEXT NOT NULL,
    nonce TEXT NOT NULL,
    return_to TEXT NOT NULL,
    user_id TEXT,
    answered_at BIGINT,
    taken_at BIGINT,
    expires_at BIGINT NOT NULL
);

CREATE INDEX upstream_logins_browser ON upstream_logins (browser_hash);

-- NULL: a group the operator gave; upstream:NAME: a group that upstream's claim gave, replaced at each sign-in.
ALTER TABLE user_groups ADD COLUMN source TEXT;
