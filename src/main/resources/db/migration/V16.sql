-- Indexes for the janitor's batched deletes (issue 22): each batch finds its expired rows
-- through an index instead of scanning the table, on every expiry column it sweeps.
CREATE INDEX IF NOT EXISTS revoked_access_tokens_expiry ON revoked_access_tokens (expires_at);

CREATE INDEX IF NOT EXISTS upstream_logins_expiry ON upstream_logins (expires_at);

CREATE INDEX IF NOT EXISTS login_sessions_idle_expiry ON login_sessions (idle_expires_at);

CREATE INDEX IF NOT EXISTS refresh_families_idle_expiry ON refresh_families (idle_expires_at);
