package dev.jeton.store.jdbc;

import dev.jeton.secrets.TokenKey;
import dev.jeton.store.RefreshStore.Outcome;
import dev.jeton.store.RefreshStore.Rotation;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The common refresh, a live current token of a rotating family presented by its own client, as
 * one statement that is its own transaction: find the token, move its family by compare-and-set
 * on (family, generation), insert the successor, return the family. On PostgreSQL that is one
 * round trip and one commit, where the general path ({@link JdbcRefresh#rotate}) takes a BEGIN,
 * three statements and a COMMIT while holding a pooled connection; measured with two instances on
 * one server, the pool's connections were busy waiting for those round trips and the commit, and
 * rotations queued for them (bench/pair, bench/README.md).
 *
 * <p>One statement serves many rotations at once ({@link GroupedRotation} gathers the ones that
 * arrive together), so that they share one round trip and one commit, one WAL flush.
 *
 * <p>No row back for a rotation means anything but that common case (unknown, expired, revoked,
 * reusable, another client's, or lost to a concurrent use, also within the same statement);
 * nothing of it was changed then, and the caller runs the general path, which tells those apart
 * and revokes the family on reuse. Racing uses stay exactly-once: the UPDATE moves a family row
 * once per statement, and re-reads a row a concurrent statement moved, which then no longer
 * matches its generation.
 *
 * <p>Needs data-modifying statements in WITH, which SQLite lacks; its single writer already runs
 * the general path in-process inside a group commit.
 */
final class OneStatementRotation {
    /** One rotation asked for: {@code clientId} null when any client may present the token. */
    record Request(TokenKey presented, String clientId, TokenKey next, Instant nextExpiresAt, Instant now) {
    }

    /**
     * The user check rides along: whether the family's user is disabled or gone (1) or active (0),
     * read under the same snapshot, so the grant's check that the user may still refresh costs no
     * round trip of its own. A user disabled a moment later is refused on the next refresh, as with
     * a separate read. Meaningless for families of other subjects, and unused for them.
     */
    private static final String USER_DISABLED = "COALESCE((SELECT u.disabled FROM users u WHERE u.id = f.subject_id), 1) AS user_disabled";

    private static final String FAMILY = "id, subject_kind, subject_id, subject_name, client_id, dialect, policy, scope, audience, "
            + "created_at, expires_at";

    private static final String ROTATE = """
            WITH i AS (SELECT * FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
                       AS i(n, presented_lookup, presented, client, next_lookup, next, next_expires_at, now)),
            t AS (SELECT i.*, r.family_id, r.generation AS token_generation, r.expires_at AS token_expires_at
                  FROM i JOIN refresh_tokens r ON r.lookup IN (i.presented_lookup, i.presented) AND r.hash = i.presented),
            f AS (UPDATE refresh_families fam SET generation = fam.generation + 1, current_hash = t.next,
                      current_lookup = t.next_lookup, rotated_at = t.now
                  FROM t
                  WHERE fam.id = t.family_id AND fam.generation = t.token_generation AND t.token_expires_at > t.now
                    AND fam.expires_at > t.now AND fam.revoked_at IS NULL AND fam.policy <> 'REUSABLE'
                    AND (t.client IS NULL OR fam.client_id = t.client)
                  RETURNING t.n, t.next_lookup, t.next, t.next_expires_at, fam.id, fam.subject_kind, fam.subject_id, fam.subject_name,
                            fam.client_id, fam.dialect, fam.policy, fam.scope, fam.audience, fam.created_at, fam.expires_at,
                            fam.generation),
            n AS (INSERT INTO refresh_tokens (lookup, hash, family_id, generation, expires_at)
                  SELECT next_lookup, next, id, generation, LEAST(next_expires_at, expires_at) FROM f)
            SELECT n, %s, %s FROM f""".formatted(FAMILY, USER_DISABLED);

    private static final String SUCCESSOR = """
            SELECT %s, %s
            FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.lookup = ? AND t.hash = ?"""
            .formatted(FAMILY.replaceAll("(\\w+)", "f.$1"), USER_DISABLED);

    private OneStatementRotation() {
    }

    /** For each request in order, ROTATED with the family, or empty when the general path must decide (nothing of it was changed). */
    static List<Optional<Rotation>> tryRotate(Connection c, List<Request> requests) throws SQLException {
        int size = requests.size();
        Integer[] n = new Integer[size];
        String[] presentedLookup = new String[size];
        String[] presented = new String[size];
        String[] client = new String[size];
        String[] nextLookup = new String[size];
        String[] next = new String[size];
        Long[] nextExpiresAt = new Long[size];
        Long[] now = new Long[size];
        for (int k = 0; k < size; k++) {
            Request r = requests.get(k);
            n[k] = k;
            presentedLookup[k] = r.presented().lookup();
            presented[k] = r.presented().hash();
            client[k] = r.clientId();
            nextLookup[k] = r.next().lookup();
            next[k] = r.next().hash();
            nextExpiresAt[k] = r.nextExpiresAt().toEpochMilli();
            now[k] = r.now().toEpochMilli();
        }
        List<Optional<Rotation>> results = new ArrayList<>(Collections.nCopies(size, Optional.empty()));
        try (PreparedStatement ps = c.prepareStatement(ROTATE)) {
            List<Array> arrays = List.of(c.createArrayOf("int4", n), c.createArrayOf("text", presentedLookup),
                    c.createArrayOf("text", presented), c.createArrayOf("text", client), c.createArrayOf("text", nextLookup),
                    c.createArrayOf("text", next), c.createArrayOf("int8", nextExpiresAt), c.createArrayOf("int8", now));
            for (int k = 0; k < arrays.size(); k++) ps.setArray(k + 1, arrays.get(k));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) results.set(rs.getInt("n"), Optional.of(rotated(rs)));
            }
        }
        return results;
    }

    /**
     * After the connection was lost before {@link #tryRotate}'s answer: it may have committed. A
     * successor's hash is its rotation's alone, so finding it means that rotation did (ROTATED);
     * the others did not, and run again. Running them again blindly would find a presented token
     * already replaced and revoke its family as reused.
     */
    static List<Optional<Rotation>> afterLoss(Connection c, List<Request> requests) throws SQLException {
        List<Optional<Rotation>> results = new ArrayList<>(Collections.nCopies(requests.size(), Optional.empty()));
        List<Integer> again = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SUCCESSOR)) {
            for (int k = 0; k < requests.size(); k++) {
                ps.setString(1, requests.get(k).next().lookup());
                ps.setString(2, requests.get(k).next().hash());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) results.set(k, Optional.of(rotated(rs)));
                    else again.add(k);
                }
            }
        }
        if (again.isEmpty()) return results;
        List<Optional<Rotation>> retried = tryRotate(c, again.stream().map(requests::get).toList());
        for (int k = 0; k < again.size(); k++) results.set(again.get(k), retried.get(k));
        return results;
    }

    private static Rotation rotated(ResultSet rs) throws SQLException {
        return new Rotation(Outcome.ROTATED, JdbcRefresh.family(rs), rs.getInt("user_disabled") == 0);
    }
}
