package dev.jeton.store.jdbc;

import dev.jeton.model.ApiKey;
import dev.jeton.store.ApiKeyStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcApiKeys implements ApiKeyStore {
    private static final String SELECT = "SELECT id, user_id, name, scopes, created_at, expires_at, revoked_at FROM api_keys ";
    private final Database db;

    JdbcApiKeys(Database db) { this.db = db; }

    @Override
    public void add(ApiKey key, byte[] hash) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (id, hash, user_id, name, scopes, created_at, "
                    + "expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)")) {
                ps.setString(1, key.id());
                ps.setString(2, Rows.hex(hash));
                ps.setString(3, key.userId());
                ps.setString(4, key.name());
                ps.setString(5, Rows.joined(key.scopes()));
                ps.setLong(6, key.createdAt().toEpochMilli());
                Rows.setLong(ps, 7, Rows.millis(key.expiresAt()));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<ApiKey> byHash(byte[] hash) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + "WHERE hash = ?")) {
                ps.setString(1, Rows.hex(hash));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(key(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<ApiKey> list(String userId) {
        return db.read(c -> {
            String sql = SELECT + (userId == null ? "" : "WHERE user_id = ? ") + "ORDER BY created_at, id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (userId != null) ps.setString(1, userId);
                List<ApiKey> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(key(rs));
                }
                return out;
            }
        });
    }

    @Override
    public boolean revoke(String id, Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean update(String id, java.util.Set<String> scopes, Instant expiresAt) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET scopes = ?, expires_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                ps.setString(1, Rows.joined(scopes));
                Rows.setLong(ps, 2, Rows.millis(expiresAt));
                ps.setString(3, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean setHash(String id, byte[] hash) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET hash = ? WHERE id = ? AND revoked_at IS NULL")) {
                ps.setString(1, Rows.hex(hash));
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("user_id"), rs.getString("name"), Rows.set(rs.getString("scopes")),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"), Rows.instant(rs, "revoked_at"));
    }
}
