-- Nodes of a fleet, each running a node agent (jeton agent). A node is added with a one-time
-- enrolment token (stored as its SHA-256 only, short-lived, single use); on enrolment the agent
-- sends its own public key (a JWK), and from then on proves itself with assertions signed by the
-- private key, which never leaves the node. state is 'enabled' or 'disabled'.
CREATE TABLE nodes (
    name TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    public_key TEXT,
    enrol_token_hash TEXT,
    enrol_expires_at BIGINT,
    enrol_used INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    enrolled_at BIGINT,
    last_seen_at BIGINT
);

-- The jti of every node assertion accepted, until it expires: a replay is refused by whichever
-- server it reaches, because they all share this table. The janitor removes expired rows.
CREATE TABLE node_assertions (
    node TEXT NOT NULL,
    jti TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (node, jti)
);

CREATE INDEX node_assertions_expires ON node_assertions (expires_at);
