-- A client's secret before its last rotation, still accepted until expires_at (epoch millis):
-- the overlap window of `client rotate-secret --overlap` and POST /admin/v1/clients/{id}/secret,
-- so that the applications using the client can move to the new secret one by one. One row per
-- client at most: a second rotation replaces it. Its own table, so that the clients row (read on
-- every authentication and cached) keeps its shape.
CREATE TABLE client_previous_secrets (
    client_id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
