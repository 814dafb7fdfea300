package dev.jeton.store.jdbc;

import dev.jeton.model.AccessRule;
import dev.jeton.model.AccessRule.SubjectKindOfRule;
import dev.jeton.store.RuleStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

final class JdbcRules implements RuleStore {
    private final Database db;

    private static final String SELECT = "SELECT id, subject_kind, subject_name, repository_pattern, actions, created_at "
            + "FROM access_rules ";

    JdbcRules(Database db) { this.db = db; }

    @Override
    public void add(AccessRule rule) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO access_rules (id, subject_kind, subject_name, "
                    + "repository_pattern, actions, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, rule.id());
                ps.setString(2, rule.subjectKind().name());
                ps.setString(3, rule.subjectName());
                ps.setString(4, rule.repositoryPattern());
                ps.setString(5, Rows.joined(rule.actions()));
                ps.setLong(6, rule.createdAt().toEpochMilli());
                ps.executeUpdate();
            }
            ChangeCounters.bump(c, "access_rules");
            return null;
        });
    }

    @Override
    public List<AccessRule> list() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + "ORDER BY created_at, id")) {
                return rules(ps);
            }
        });
    }

    @Override
    public List<AccessRule> applicableTo(SubjectKindOfRule kind, String name, Collection<String> groups) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(applicableSql(groups.size()))) {
                int i = 1;
                ps.setString(i++, kind.name());
                ps.setString(i++, name);
                for (String group : groups) ps.setString(i++, group);
                return rules(ps);
            }
        });
    }

    /**
     * Each arm of the OR is an equality on (subject_kind, subject_name), so both databases
     * answer it from the index access_rules_subject (SQLite: MULTI-INDEX OR; PostgreSQL: a
     * BitmapOr, or a scan while the table is tiny). Ordered as list() orders.
     */
    static String applicableSql(int groups) {
        StringBuilder sql = new StringBuilder(SELECT).append("WHERE subject_kind = 'ANONYMOUS' ")
                .append("OR (subject_kind = ? AND subject_name = ?)");
        if (groups > 0) {
            sql.append(" OR (subject_kind = 'GROUP' AND subject_name IN (").append("?, ".repeat(groups - 1)).append("?))");
        }
        return sql.append(" ORDER BY created_at, id").toString();
    }

    private static List<AccessRule> rules(PreparedStatement ps) throws SQLException {
        List<AccessRule> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new AccessRule(rs.getString("id"), SubjectKindOfRule.valueOf(rs.getString("subject_kind")),
                        rs.getString("subject_name"), rs.getString("repository_pattern"), Rows.set(rs.getString("actions")),
                        Rows.instant(rs, "created_at")));
            }
        }
        return out;
    }

    @Override
    public boolean delete(String id) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM access_rules WHERE id = ?")) {
                ps.setString(1, id);
                if (ps.executeUpdate() != 1) return false;
            }
            ChangeCounters.bump(c, "access_rules");
            return true;
        });
    }

    @Override
    public long version() {
        return ChangeCounters.version(db, "access_rules");
    }

}
