package dev.jeton.store.jdbc;

import dev.jeton.store.RefreshStore.Outcome;
import dev.jeton.store.RefreshStore.Rotation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The common refresh, a live current token of a rotating family presented by its own client, as
 * one statement that is its own transaction: find the token, move its family by compare-and-set
 * on (family, generation), insert the successor, return the family. On PostgreSQL that is one
 * round trip and one commit per rotation, where the general path ({@link JdbcRefresh#rotate})
 * takes a BEGIN, three statements and a COMMIT while holding a pooled connection; measured with
 * two instances on one server, the pool's connections were busy waiting for those round trips
 * and the commit, and rotations queued for them (bench/pair, bench/README.md).
 *
 * <p>No row back means anything but that common case (unknown, expired, revoked, reusable,
 * another client's, or lost to a concurrent use); nothing was changed then, and the caller runs
 * the general path, which tells those apart and revokes the family on reuse. Racing uses stay
 * exactly-once: the UPDATE re-reads a concurrently moved family row and no longer matches its
 * generation, so only one statement rotates.
 *
 * <p>Needs data-modifying statements in WITH, which SQLite lacks; its single writer already runs
 * the general path in-process inside a group commit.
 */
final class OneStatementRotation {
    private static final String SQL = """
            WITH t AS (SELECT family_id, generation, expires_at FROM refresh_tokens WHERE hash = ?),
            f AS (UPDATE refresh_families SET generation = generation + 1, current_hash = ?, rotated_at = ?
                  WHERE id = (SELECT family_id FROM t) AND generation = (SELECT generation FROM t)
                    AND (SELECT expires_at FROM t) > ? AND expires_at > ? AND revoked_at IS NULL
                    AND policy <> 'REUSABLE' %s
                  RETURNING id, subject_kind, subject_id, subject_name, client_id, dialect, policy, scope, audience,
                            created_at, expires_at, generation),
            n AS (INSERT INTO refresh_tokens (hash, family_id, generation, expires_at)
                  SELECT ?, id, generation, LEAST(?, expires_at) FROM f)
            SELECT id, subject_kind, subject_id, subject_name, client_id, dialect, policy, scope, audience, created_at, expires_at
            FROM f""";
    private static final String ANY_CLIENT = SQL.formatted("");
    private static final String ONE_CLIENT = SQL.formatted("AND client_id = ?");

    private OneStatementRotation() {
    }

    private static final String SUCCESSOR = """
            SELECT f.id, f.subject_kind, f.subject_id, f.subject_name, f.client_id, f.dialect, f.policy, f.scope, f.audience,
                   f.created_at, f.expires_at
            FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.hash = ?""";

    /**
     * After the connection was lost before {@link #tryRotate}'s answer: it may have committed. The
     * successor's hash is this rotation's alone, so finding it means it did (ROTATED); otherwise
     * nothing happened and it runs again. Running it again blindly would find the presented token
     * already replaced and revoke the family as reused.
     */
    static Optional<Rotation> afterLoss(Connection c, byte[] presented, String expectedClientId, byte[] next,
                                        Instant nextExpiresAt, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SUCCESSOR)) {
            ps.setString(1, Rows.hex(next));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return Optional.of(new Rotation(Outcome.ROTATED, JdbcRefresh.family(rs)));
            }
        }
        return tryRotate(c, presented, expectedClientId, next, nextExpiresAt, now);
    }

    /** ROTATED with the family, or empty when the general path must decide (nothing was changed). */
    static Optional<Rotation> tryRotate(Connection c, byte[] presented, String expectedClientId, byte[] next,
                                        Instant nextExpiresAt, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(expectedClientId == null ? ANY_CLIENT : ONE_CLIENT)) {
            int i = 0;
            ps.setString(++i, Rows.hex(presented));
            ps.setString(++i, Rows.hex(next));
            ps.setLong(++i, now.toEpochMilli());
            ps.setLong(++i, now.toEpochMilli());
            ps.setLong(++i, now.toEpochMilli());
            if (expectedClientId != null) ps.setString(++i, expectedClientId);
            ps.setString(++i, Rows.hex(next));
            ps.setLong(++i, nextExpiresAt.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Rotation(Outcome.ROTATED, JdbcRefresh.family(rs)));
            }
        }
    }
}
