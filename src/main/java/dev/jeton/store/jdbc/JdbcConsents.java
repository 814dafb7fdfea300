package dev.jeton.store.jdbc;

import dev.jeton.store.ConsentStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

final class JdbcConsents implements ConsentStore {
    private final Database db;

    JdbcConsents(Database db) { this.db = db; }

    @Override
    public void grant(String userId, String clientId, Set<String> scope, Instant now) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO consents (user_id, client_id, scope, granted_at) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (user_id, client_id, scope) DO NOTHING")) {
                for (String s : scope) {
                    ps.setString(1, userId);
                    ps.setString(2, clientId);
                    ps.setString(3, s);
                    ps.setLong(4, now.toEpochMilli());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public Set<String> granted(String userId, String clientId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT scope FROM consents WHERE user_id = ? AND client_id = ?")) {
                ps.setString(1, userId);
                ps.setString(2, clientId);
                Set<String> out = new TreeSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            }
        });
    }
}
