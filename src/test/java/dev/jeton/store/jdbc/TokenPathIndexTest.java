package dev.jeton.store.jdbc;

import dev.jeton.store.Databases;
import dev.jeton.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lookups a token request makes are answered from an index on both databases, so they cost
 * the same on a store of a million rows as on an empty one. Asserted on the plan each database
 * itself reports: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN (with sequential scans
 * priced out, since on a tiny table a scan is what it would pick, rightly).
 */
class TokenPathIndexTest {
    @TempDir
    Path dir;
    private Database db;

    @BeforeEach
    void open() {
        db = TestPostgres.selected() ? Databases.open(TestPostgres.newDatabase(), null, 4, null)
                : Databases.open("sqlite:" + dir.resolve("plans.db"), null, 4, null);
        new JdbcStore(db);   // migrates
    }

    @AfterEach
    void close() { db.close(); }

    @Test
    void ruleLookupOfARequesterWhenPlannedThenUsesTheSubjectIndex() {
        String plan = plan(JdbcRules.applicableSql(2), "USER", "ada", "dev", "ops");
        assertThat(plan).contains("access_rules_subject");
        if (!TestPostgres.selected()) assertThat(plan).doesNotContain("SCAN access_rules");
    }

    @Test
    void ruleLookupOfAnAppWithoutGroupsWhenPlannedThenUsesTheSubjectIndex() {
        assertThat(plan(JdbcRules.applicableSql(0), "APP", "ci")).contains("access_rules_subject");
    }

    @Test
    void identityByObjectIdWhenPlannedThenUsesAnIndex() {
        assertIndexed(plan("SELECT id FROM managed_identities WHERE object_id = ?", "o-1"), "managed_identities");
    }

    @Test
    void tokenPathLookupsWhenPlannedThenNoneScansATable() {
        assertIndexed(plan("SELECT id FROM clients WHERE client_id = ?", "app"), "clients");
        assertIndexed(plan("SELECT id FROM users WHERE name = ?", "ada"), "users");
        assertIndexed(plan("SELECT group_name FROM user_groups WHERE user_id = ?", "u-1"), "user_groups");
        assertIndexed(plan("SELECT family_id FROM refresh_tokens WHERE lookup IN (?, ?) AND hash = ?", "00", "01", "01"), "refresh_tokens");
        assertIndexed(plan("SELECT generation FROM refresh_families WHERE id = ?", "f-1"), "refresh_families");
        assertIndexed(plan("SELECT identity_id FROM identity_assignments WHERE node = ?", "n-1"), "identity_assignments");
        assertIndexed(plan("SELECT jti FROM revoked_access_tokens WHERE jti = ?", "j"), "revoked_access_tokens");
        assertIndexed(plan("SELECT name FROM nodes WHERE name = ?", "n-1"), "nodes");
    }

    @Test
    void idleFamilySweepWhenPlannedThenFindsTheirTokensThroughIndexesWithoutScanningTokens() {
        String plan = plan("SELECT lookup FROM refresh_tokens WHERE lookup IN "
                + "(SELECT current_lookup FROM refresh_families WHERE idle_expires_at < 1700000000000)");
        assertIndexed(plan, "refresh_tokens");
        assertThat(plan).contains("refresh_families_idle_expiry");
    }

    private static void assertIndexed(String plan, String table) {
        if (TestPostgres.selected()) {
            assertThat(plan).containsPattern("Index (Only )?Scan|Bitmap Index Scan").doesNotContain("Seq Scan");
        } else {
            assertThat(plan).contains("USING").doesNotContain("SCAN " + table);
        }
    }

    /** The database's own plan of {@code sql} with {@code params} bound, one line per step. */
    private String plan(String sql, String... params) {
        return db.read(c -> {
            boolean postgres = TestPostgres.selected();
            if (postgres) set(c, "SET enable_seqscan = off");
            try (PreparedStatement ps = c.prepareStatement((postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql)) {
                for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
                List<String> lines = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    // PostgreSQL: one text column; SQLite: (id, parent, notused, detail).
                    while (rs.next()) lines.add(rs.getString(postgres ? 1 : 4));
                }
                return String.join("\n", lines);
            } finally {
                if (postgres) set(c, "RESET enable_seqscan");
            }
        });
    }

    private static void set(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
