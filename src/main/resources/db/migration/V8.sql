-- Trust policies: which workload tokens of which issuer map to which Jeton principal.
-- claims holds a JSON object of claim path -> exact value or glob.
CREATE TABLE trust_policies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    issuer TEXT NOT NULL,
    audience TEXT NOT NULL,
    subject TEXT NOT NULL,
    claims TEXT NOT NULL,
    principal_kind TEXT NOT NULL,
    principal_name TEXT NOT NULL,
    max_ttl_seconds BIGINT NOT NULL,
    jwks_file TEXT,
    created_at BIGINT NOT NULL
);

CREATE INDEX trust_policies_issuer ON trust_policies (issuer);

INSERT INTO change_counters (name, version) VALUES ('trust_policies', 0);
