-- Lookups of the token paths on a large store. Access rules are no longer held in memory all at
-- once: a registry request reads the rules of its requester (anonymous ones, its own, its
-- groups') by this index, and caches them per requester (AccessRules).
CREATE INDEX access_rules_subject ON access_rules (subject_kind, subject_name);
