package dev.jeton.store.jdbc;

import dev.jeton.model.User;
import dev.jeton.model.UserProfile;
import dev.jeton.store.UserStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcUsers implements UserStore {
    private static final String SELECT = "SELECT id, name, password_hash, disabled, created_at FROM users ";
    private final Database db;

    JdbcUsers(Database db) { this.db = db; }

    @Override
    public void add(User user) {
        try {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO users (id, name, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, user.id());
                    ps.setString(2, user.name());
                    ps.setString(3, user.passwordHash());
                    ps.setInt(4, user.disabled() ? 1 : 0);
                    ps.setLong(5, user.createdAt().toEpochMilli());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_groups (user_id, group_name) VALUES (?, ?)")) {
                    for (String group : user.groups()) {
                        ps.setString(1, user.id());
                        ps.setString(2, group);
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            throw Rows.conflictOr(e, "user '" + user.name() + "'");
        }
    }

    @Override
    public Optional<User> byName(String name) { return one("WHERE name = ?", name); }

    @Override
    public Optional<User> byId(String id) { return one("WHERE id = ?", id); }

    @Override
    public List<User> list() {
        return db.read(c -> {
            List<User> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + "ORDER BY name"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(user(c, rs));
            }
            return out;
        });
    }

    @Override
    public boolean isActive(String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT disabled FROM users WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getInt(1) == 0;
                }
            }
        });
    }

    @Override
    public boolean setDisabled(String name, boolean disabled) {
        return update("UPDATE users SET disabled = ? WHERE name = ?", disabled ? 1 : 0, name);
    }

    @Override
    public boolean setPasswordHash(String name, String passwordHash) {
        return update("UPDATE users SET password_hash = ? WHERE name = ?", passwordHash, name);
    }

    @Override
    public UserProfile profile(String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT display_name, given_name, family_name, email, email_verified FROM users WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return UserProfile.EMPTY;
                    return new UserProfile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5) != 0);
                }
            }
        });
    }

    @Override
    public boolean setProfile(String name, UserProfile profile) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET display_name = ?, given_name = ?, family_name = ?, "
                    + "email = ?, email_verified = ? WHERE name = ?")) {
                ps.setString(1, profile.name());
                ps.setString(2, profile.givenName());
                ps.setString(3, profile.familyName());
                ps.setString(4, profile.email());
                ps.setInt(5, profile.emailVerified() ? 1 : 0);
                ps.setString(6, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean setGroups(String name, List<String> groups) {
        return db.write(c -> {
            String id;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return false;
                    id = rs.getString(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM user_groups WHERE user_id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_groups (user_id, group_name) VALUES (?, ?)")) {
                for (String group : groups) {
                    ps.setString(1, id);
                    ps.setString(2, group);
                    ps.executeUpdate();
                }
            }
            return true;
        });
    }

    private boolean update(String sql, Object value, String name) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, value);
                ps.setString(2, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private Optional<User> one(String where, String value) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + where)) {
                ps.setString(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(user(c, rs)) : Optional.empty();
                }
            }
        });
    }

    private static User user(Connection c, ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        List<String> groups = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT group_name FROM user_groups WHERE user_id = ? ORDER BY group_name")) {
            ps.setString(1, id);
            try (ResultSet g = ps.executeQuery()) {
                while (g.next()) groups.add(g.getString(1));
            }
        }
        return new User(id, rs.getString("name"), rs.getString("password_hash"), rs.getInt("disabled") != 0, groups,
                Rows.instant(rs, "created_at"));
    }

    @Override
    public boolean any() { return Rows.any(db, "users"); }
}
