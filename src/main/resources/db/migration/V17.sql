-- Refresh tokens are found by a lookup key, no longer by their hash (issue 22): a new token's
-- lookup begins with its issue time, so its row and index entry go beside the last ones instead
-- of on a random page of a hash index (see TokenKey). The hash stays, to prove the presenter
-- holds the whole token. Rows from before keep their hash as their lookup, so their tokens are
-- still found. A new table, as SQLite cannot change a primary key in place.
--
-- No index by family, and so no foreign key whose cascade would need one: each rotation put an
-- entry on its family's page of that index, a page of its own for every live family. Nothing
-- reads tokens by family. A family ends after its tokens (a token never outlives its family's
-- expiry, and the janitor sweeps tokens first), except a family gone idle: its current token,
-- the only one such a family has (they are registry identity tokens, never rotated), is found by
-- the family's current_lookup.
CREATE TABLE refresh_tokens_keyed (
    lookup TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    family_id TEXT NOT NULL,
    generation BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

INSERT INTO refresh_tokens_keyed (lookup, hash, family_id, generation, expires_at)
    SELECT hash, hash, family_id, generation, expires_at FROM refresh_tokens;

DROP TABLE refresh_tokens;

ALTER TABLE refresh_tokens_keyed RENAME TO refresh_tokens;

CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

ALTER TABLE refresh_families ADD COLUMN current_lookup TEXT;

UPDATE refresh_families SET current_lookup = current_hash;
