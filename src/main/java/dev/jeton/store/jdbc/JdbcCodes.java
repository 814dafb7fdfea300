package dev.jeton.store.jdbc;

import dev.jeton.model.AuthContext;
import dev.jeton.model.AuthorizationCode;
import dev.jeton.store.CodeStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

final class JdbcCodes implements CodeStore {
    private final Database db;

    JdbcCodes(Database db) { this.db = db; }

    @Override
    public void save(byte[] hash, AuthorizationCode code) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO authorization_codes (hash, client_id, user_id, redirect_uri, "
                    + "redirect_uri_explicit, scope, nonce, code_challenge, auth_time, expires_at, acr, amr, sid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, Rows.hex(hash));
                ps.setString(2, code.clientId());
                ps.setString(3, code.userId());
                ps.setString(4, code.redirectUri());
                ps.setInt(5, code.redirectUriExplicit() ? 1 : 0);
                ps.setString(6, Rows.joined(code.scope()));
                ps.setString(7, code.nonce());
                ps.setString(8, code.codeChallenge());
                ps.setLong(9, code.authTime().toEpochMilli());
                ps.setLong(10, code.expiresAt().toEpochMilli());
                ps.setString(11, code.authContext().acr());
                ps.setString(12, Rows.joined(code.authContext().amr()));
                ps.setString(13, code.authContext().sid());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Redemption redeem(byte[] hash, Instant now) {
        return db.write(c -> {
            AuthorizationCode code = find(c, hash);
            if (code == null) return new Redemption(Outcome.UNKNOWN, null);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE authorization_codes SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, Rows.hex(hash));
                ps.setLong(3, now.toEpochMilli());
                if (ps.executeUpdate() == 1) return new Redemption(Outcome.REDEEMED, code);
            }
            return new Redemption(usedAt(c, hash) != null ? Outcome.REPLAYED : Outcome.EXPIRED, code);
        });
    }

    @Override
    public void attachIssued(byte[] hash, String familyId, String accessJti, Instant accessExpiresAt) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE authorization_codes SET family_id = ?, access_jti = ?, access_expires_at = ? WHERE hash = ?")) {
                ps.setString(1, familyId);
                ps.setString(2, accessJti);
                Rows.setLong(ps, 3, Rows.millis(accessExpiresAt));
                ps.setString(4, Rows.hex(hash));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int deleteExpired(Instant before) {
        return ExpiredRows.delete(db, "authorization_codes", "hash", "expires_at < ?", before);
    }

    private static Instant usedAt(Connection c, byte[] hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT used_at FROM authorization_codes WHERE hash = ?")) {
            ps.setString(1, Rows.hex(hash));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Rows.instant(rs, "used_at") : null;
            }
        }
    }

    private static AuthorizationCode find(Connection c, byte[] hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT client_id, user_id, redirect_uri, redirect_uri_explicit, scope, nonce, "
                + "code_challenge, auth_time, acr, amr, sid, expires_at, family_id, access_jti, access_expires_at FROM authorization_codes WHERE hash = ?")) {
            ps.setString(1, Rows.hex(hash));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                return new AuthorizationCode(rs.getString("client_id"), rs.getString("user_id"), rs.getString("redirect_uri"),
                        rs.getInt("redirect_uri_explicit") != 0, Rows.set(rs.getString("scope")), rs.getString("nonce"),
                        rs.getString("code_challenge"), new AuthContext(Rows.instant(rs, "auth_time"), rs.getString("acr"),
                                Rows.list(rs.getString("amr")), rs.getString("sid")), Rows.instant(rs, "expires_at"),
                        rs.getString("family_id"), rs.getString("access_jti"), Rows.instant(rs, "access_expires_at"));
            }
        }
    }
}
