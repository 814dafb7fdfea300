-- RFC 8628 device authorizations: both codes stored as SHA-256 hashes. status is one of
-- pending, approved, denied, redeemed; polls move last_poll_at forward only when accepted
-- (one conditional UPDATE), a poll that came too early raises interval_seconds by 5.
CREATE TABLE device_authorizations (
    device_hash TEXT PRIMARY KEY,
    user_code_hash TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    status TEXT NOT NULL,
    user_id TEXT,
    interval_seconds BIGINT NOT NULL,
    last_poll_at BIGINT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX device_authorizations_expiry ON device_authorizations (expires_at);
