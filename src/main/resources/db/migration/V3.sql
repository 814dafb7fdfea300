-- Registry access rules, and change counters that let every instance notice edits cheaply.
CREATE TABLE access_rules (
    id TEXT PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_name TEXT,
    repository_pattern TEXT NOT NULL,
    actions TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE change_counters (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);

INSERT INTO change_counters (name, version) VALUES ('access_rules', 0);
