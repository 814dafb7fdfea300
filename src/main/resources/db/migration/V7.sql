-- Identity tokens of registry logins (docker login's offline_token): a sliding idle expiry,
-- moved forward by each use with one conditional UPDATE, and a digest of the password hash or
-- app secret hash they were issued against, so that changing either ends them. Both are NULL
-- for every other refresh family, which keeps its behaviour.
ALTER TABLE refresh_families ADD COLUMN idle_expires_at BIGINT;

ALTER TABLE refresh_families ADD COLUMN credential TEXT;
