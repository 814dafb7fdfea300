package dev.jeton.store.jdbc;

import dev.jeton.store.RevocationStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;

final class JdbcRevocations implements RevocationStore {
    private final Database db;

    JdbcRevocations(Database db) { this.db = db; }

    @Override
    public void revoke(String jti, Instant expiresAt) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO revoked_access_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING")) {
                ps.setString(1, jti);
                ps.setLong(2, expiresAt.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean isRevoked(String jti) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM revoked_access_tokens WHERE jti = ?")) {
                ps.setString(1, jti);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public boolean useOnce(String clientId, String jti, Instant expiresAt) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO client_assertion_jtis (client_id, jti, expires_at) "
                    + "VALUES (?, ?, ?) ON CONFLICT (client_id, jti) DO NOTHING")) {
                ps.setString(1, clientId);
                ps.setString(2, jti);
                ps.setLong(3, expiresAt.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int deleteExpired(Instant now) {
        return ExpiredRows.delete(db, "revoked_access_tokens", "jti", "expires_at < ?", now)
                + ExpiredRows.delete(db, "client_assertion_jtis", "client_id, jti", "expires_at < ?", now);
    }
}
