package dev.jeton.store.jdbc;

import dev.jeton.model.RefreshFamily;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Subject;
import dev.jeton.model.SubjectKind;
import dev.jeton.secrets.TokenKey;
import dev.jeton.store.RefreshStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

final class JdbcRefresh implements RefreshStore {
    /** By the token's lookup, or by its hash for a row written before V17 (keyed by hash); either way proved by the hash. */
    private static final String FIND = "SELECT t.generation AS token_generation, t.expires_at AS token_expires_at, f.id, "
            + "f.subject_kind, f.subject_id, f.subject_name, f.client_id, f.dialect, f.policy, f.scope, f.audience, "
            + "f.generation, f.rotated_at, f.revoked_at, f.created_at, f.expires_at, f.idle_expires_at, f.credential "
            + "FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.lookup IN (?, ?) AND t.hash = ?";

    /**
     * A use moves an idle expiry only when that gains at least this much: a token used by every
     * pull of a busy CI costs a write per minute, not one per pull. (Its idle lifetime is then
     * short by less than this.)
     */
    private static final Duration MARK_RESOLUTION = Duration.ofMinutes(1);

    private final Database db;
    /** The common rotation in one statement, grouped with the others of its moment, where the database can (PostgreSQL). */
    private final GroupedRotation grouped;

    JdbcRefresh(Database db) {
        this.db = db;
        this.grouped = db.writableCtes() ? new GroupedRotation(db) : null;
    }

    @Override
    public void open(RefreshFamily family, TokenKey token, Instant tokenExpiresAt, Binding binding) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO refresh_families (id, subject_kind, subject_id, "
                    + "subject_name, client_id, dialect, policy, scope, audience, generation, current_hash, current_lookup, created_at, "
                    + "expires_at, idle_expires_at, credential) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, family.id());
                ps.setString(2, family.subject().kind().name());
                ps.setString(3, family.subject().id());
                ps.setString(4, family.subject().name());
                ps.setString(5, family.clientId());
                ps.setString(6, family.dialect());
                ps.setString(7, family.policy().name());
                ps.setString(8, Rows.joined(family.scope()));
                ps.setString(9, family.audience());
                ps.setString(10, token.hash());
                ps.setString(11, token.lookup());
                ps.setLong(12, family.createdAt().toEpochMilli());
                ps.setLong(13, family.expiresAt().toEpochMilli());
                if (binding == null) {
                    ps.setNull(14, Types.BIGINT);
                    ps.setNull(15, Types.VARCHAR);
                } else {
                    ps.setLong(14, binding.idleExpiresAt().toEpochMilli());
                    ps.setString(15, binding.credential());
                }
                ps.executeUpdate();
            }
            insertToken(c, token, family.id(), 0, tokenExpiresAt);
            return null;
        });
    }

    @Override
    public Presented present(TokenKey token, Instant now, Duration idle) {
        Optional<TokenState> found = find(token);
        if (found.isEmpty()) return new Presented(Standing.UNKNOWN, null);
        TokenState state = found.get();
        Standing standing = state.standing(now);
        if (standing != Standing.VALID || state.idleExpiresAt() == null) return new Presented(standing, state);
        Instant next = earlier(now.plus(idle), state.family().expiresAt());
        if (next.isBefore(state.idleExpiresAt().plus(MARK_RESOLUTION))) return new Presented(Standing.VALID, state);
        // The decision and the write are one statement: it moves the expiry only while the family
        // is unrevoked and not idle at this instant, and only forward.
        boolean marked = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE refresh_families SET idle_expires_at = ? "
                    + "WHERE id = ? AND revoked_at IS NULL AND idle_expires_at > ? AND idle_expires_at < ?")) {
                ps.setLong(1, next.toEpochMilli());
                ps.setString(2, state.family().id());
                ps.setLong(3, now.toEpochMilli());
                ps.setLong(4, next.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
        if (marked) return new Presented(Standing.VALID, state);
        // Revoked or gone idle since the read, or a concurrent use already moved it further: read again to tell which.
        Optional<TokenState> after = find(token);
        return after.map(s -> new Presented(s.standing(now), s)).orElseGet(() -> new Presented(Standing.UNKNOWN, null));
    }

    @Override
    public Optional<TokenState> find(TokenKey token) {
        return db.read(c -> find(c, token));
    }

    @Override
    public Rotation rotate(TokenKey presented, String expectedClientId, TokenKey next, Instant nextExpiresAt, Instant now, Duration grace) {
        if (grouped != null) {
            Optional<Rotation> rotated = grouped.rotate(new OneStatementRotation.Request(presented, expectedClientId, next, nextExpiresAt, now));
            if (rotated.isPresent()) return rotated.get();
        }
        return db.write(c -> {
            Optional<TokenState> found = find(c, presented);
            if (found.isEmpty()) return new Rotation(Outcome.UNKNOWN, null);
            TokenState state = found.get();
            RefreshFamily family = state.family();
            if (expectedClientId != null && !expectedClientId.equals(family.clientId())) return new Rotation(Outcome.WRONG_CLIENT, family);
            // Expiry first: an expired token is expired whatever else happened to its family.
            if (!now.isBefore(state.tokenExpiresAt()) || !now.isBefore(family.expiresAt())) {
                return new Rotation(Outcome.EXPIRED, family);
            }
            if (state.revoked()) return new Rotation(Outcome.REVOKED, family);
            if (family.policy() == RefreshPolicy.REUSABLE) return new Rotation(Outcome.VALID, family);
            // The compare-and-set: exactly one caller moves the family past this generation.
            try (PreparedStatement ps = c.prepareStatement("UPDATE refresh_families SET generation = generation + 1, "
                    + "current_hash = ?, current_lookup = ?, rotated_at = ? WHERE id = ? AND generation = ? AND revoked_at IS NULL")) {
                ps.setString(1, next.hash());
                ps.setString(2, next.lookup());
                ps.setLong(3, now.toEpochMilli());
                ps.setString(4, family.id());
                ps.setLong(5, state.tokenGeneration());
                if (ps.executeUpdate() == 1) {
                    insertToken(c, next, family.id(), state.tokenGeneration() + 1, earlier(nextExpiresAt, family.expiresAt()));
                    return new Rotation(Outcome.ROTATED, family);
                }
            }
            return lostRace(c, family, state.tokenGeneration(), next, nextExpiresAt, now, grace);
        });
    }

    /** The presented token is not the family's current one: a retry inside the grace window, or reuse. */
    private Rotation lostRace(Connection c, RefreshFamily family, long tokenGeneration, TokenKey next, Instant nextExpiresAt,
                              Instant now, Duration grace) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT generation, rotated_at, revoked_at FROM refresh_families WHERE id = ?")) {
            ps.setString(1, family.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long generation = rs.getLong("generation");
                Instant rotatedAt = Rows.instant(rs, "rotated_at");
                if (Rows.instant(rs, "revoked_at") != null) return new Rotation(Outcome.REVOKED, family);
                boolean predecessor = tokenGeneration == generation - 1;
                if (predecessor && !grace.isZero() && rotatedAt != null && !now.isAfter(rotatedAt.plus(grace))) {
                    insertToken(c, next, family.id(), generation, earlier(nextExpiresAt, family.expiresAt()));
                    return new Rotation(Outcome.RETRY, family);
                }
            }
        }
        if (family.policy() != RefreshPolicy.ROTATING_LENIENT) revokeFamily(c, family.id(), now);
        return new Rotation(Outcome.REUSED, family);
    }

    @Override
    public boolean revokeByToken(TokenKey token, Instant now) {
        return db.write(c -> {
            Optional<TokenState> found = find(c, token);
            if (found.isEmpty()) return false;
            revokeFamily(c, found.get().family().id(), now);
            return true;
        });
    }

    @Override
    public boolean revokeFamily(String familyId, Instant now) {
        return db.write(c -> revokeFamily(c, familyId, now));
    }

    @Override
    public int deleteExpired(Instant now) {
        // Tokens first: a token never outlives its family's expiry, so an expired family has none left when it goes.
        // Every rotated-out token keeps its row until its own expiry: that is what tells reuse from an unknown token.
        int n = ExpiredRows.delete(db, "refresh_tokens", "lookup", "expires_at < ?", now);
        // A family gone idle can never be used again (its idle expiry moves only while it is not idle): its current token
        // goes too, found by the family's current_lookup, as tokens have no index by family (V17.sql). Such families are
        // registry identity tokens, never rotated, so that is all of their tokens.
        n += ExpiredRows.delete(db, "refresh_tokens", "lookup",
                "lookup IN (SELECT current_lookup FROM refresh_families WHERE idle_expires_at < ?)", now);
        return n + ExpiredRows.delete(db, "refresh_families", "id", "expires_at < ? OR idle_expires_at < ?", now);
    }

    private static Instant earlier(Instant a, Instant b) { return a.isBefore(b) ? a : b; }

    private static boolean revokeFamily(Connection c, String familyId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE refresh_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setString(2, familyId);
            return ps.executeUpdate() == 1;
        }
    }

    private static void insertToken(Connection c, TokenKey token, String familyId, long generation, Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO refresh_tokens (lookup, hash, family_id, generation, expires_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, token.lookup());
            ps.setString(2, token.hash());
            ps.setString(3, familyId);
            ps.setLong(4, generation);
            ps.setLong(5, expiresAt.toEpochMilli());
            ps.executeUpdate();
        }
    }

    private static Optional<TokenState> find(Connection c, TokenKey token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FIND)) {
            ps.setString(1, token.lookup());
            ps.setString(2, token.hash());
            ps.setString(3, token.hash());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new TokenState(family(rs), rs.getLong("token_generation"), rs.getLong("generation"),
                        Rows.instant(rs, "token_expires_at"), Rows.instant(rs, "revoked_at"), Rows.instant(rs, "idle_expires_at"),
                        rs.getString("credential")));
            }
        }
    }

    /** The family's columns of the current row, as FIND and the one-statement rotation name them. */
    static RefreshFamily family(ResultSet rs) throws SQLException {
        Subject subject = new Subject(SubjectKind.valueOf(rs.getString("subject_kind")), rs.getString("subject_id"),
                rs.getString("subject_name"));
        return new RefreshFamily(rs.getString("id"), subject, rs.getString("client_id"), rs.getString("dialect"),
                RefreshPolicy.valueOf(rs.getString("policy")), Rows.set(rs.getString("scope")), rs.getString("audience"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"));
    }
}
