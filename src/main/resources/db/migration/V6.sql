-- Clients are cached in memory too; their changes are counted like rules and identities.
INSERT INTO change_counters (name, version) VALUES ('clients', 0);
