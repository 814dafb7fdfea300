package dev.jeton.store.jdbc;

import dev.jeton.model.Upstream;
import dev.jeton.store.UpstreamStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcUpstreams implements UpstreamStore {
    private static final String SELECT = "SELECT id, name, issuer, client_id, client_secret, claim_user, claim_groups, allowed_domains, "
            + "scope, created_at FROM upstreams ";
    private final Database db;

    JdbcUpstreams(Database db) { this.db = db; }

    @Override
    public void add(Upstream u) {
        try {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO upstreams (id, name, issuer, client_id, client_secret, "
                        + "claim_user, claim_groups, allowed_domains, scope, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, u.id());
                    ps.setString(2, u.name());
                    ps.setString(3, u.issuer());
                    ps.setString(4, u.clientId());
                    ps.setString(5, u.sealedSecret());
                    ps.setString(6, u.userClaim());
                    ps.setString(7, u.groupsClaim());
                    ps.setString(8, Rows.joined(u.allowedDomains()));
                    ps.setString(9, u.scope());
                    ps.setLong(10, u.createdAt().toEpochMilli());
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            throw Rows.conflictOr(e, "an upstream named " + u.name());
        }
    }

    @Override
    public Optional<Upstream> byName(String name) {
        return db.read(c -> upstreams(c, SELECT + "WHERE name = ?", name).stream().findFirst());
    }

    @Override
    public List<Upstream> list() {
        return db.read(c -> upstreams(c, SELECT + "ORDER BY name"));
    }

    @Override
    public boolean delete(String name) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM upstreams WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void begin(Pending p) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO upstream_logins (state_hash, browser_hash, upstream, nonce, "
                    + "return_to, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, Rows.hex(p.stateHash()));
                ps.setString(2, Rows.hex(p.browserHash()));
                ps.setString(3, p.upstream());
                ps.setString(4, p.nonce());
                ps.setString(5, p.returnTo());
                ps.setLong(6, p.expiresAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Pending> answer(byte[] stateHash, Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE upstream_logins SET answered_at = ? "
                    + "WHERE state_hash = ? AND answered_at IS NULL AND expires_at > ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, Rows.hex(stateHash));
                ps.setLong(3, now.toEpochMilli());
                if (ps.executeUpdate() != 1) return Optional.empty();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT browser_hash, upstream, nonce, return_to, expires_at "
                    + "FROM upstream_logins WHERE state_hash = ?")) {
                ps.setString(1, Rows.hex(stateHash));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Optional.of(new Pending(stateHash, Rows.unhex(rs.getString(1)), rs.getString(2), rs.getString(3),
                            rs.getString(4), Rows.instant(rs, "expires_at")));
                }
            }
        });
    }

    @Override
    public void signedIn(byte[] stateHash, String userId) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE upstream_logins SET user_id = ? WHERE state_hash = ?")) {
                ps.setString(1, userId);
                ps.setString(2, Rows.hex(stateHash));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<String> take(byte[] browserHash, String returnTo, Instant now) {
        return db.write(c -> {
            Finished finished = finished(c, browserHash, returnTo, now);
            if (finished == null) return Optional.<String>empty();
            // The conditional update decides: of two requests racing with one cookie, one takes the sign-in.
            try (PreparedStatement ps = c.prepareStatement("UPDATE upstream_logins SET taken_at = ? WHERE state_hash = ? AND taken_at IS NULL")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, finished.stateHash());
                return ps.executeUpdate() == 1 ? Optional.of(finished.userId()) : Optional.<String>empty();
            }
        });
    }

    @Override
    public Optional<String> peek(byte[] browserHash, String returnTo, Instant now) {
        return db.read(c -> Optional.ofNullable(finished(c, browserHash, returnTo, now)).map(Finished::userId));
    }

    /** The finished, untaken, unexpired sign-in of this browser for this return address, or null. */
    private static Finished finished(Connection c, byte[] browserHash, String returnTo, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state_hash, user_id FROM upstream_logins WHERE browser_hash = ? "
                + "AND return_to = ? AND user_id IS NOT NULL AND taken_at IS NULL AND expires_at > ?")) {
            ps.setString(1, Rows.hex(browserHash));
            ps.setString(2, returnTo);
            ps.setLong(3, now.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Finished(rs.getString(1), rs.getString(2)) : null;
            }
        }
    }

    private record Finished(String stateHash, String userId) {
    }

    @Override
    public Optional<String> linkedUser(String issuer, String subject) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT user_id FROM upstream_links WHERE issuer = ? AND subject = ?")) {
                ps.setString(1, issuer);
                ps.setString(2, subject);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public void link(String issuer, String subject, String userId, String upstream, Instant at) {
        try {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO upstream_links (issuer, subject, user_id, upstream, created_at) "
                        + "VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, issuer);
                    ps.setString(2, subject);
                    ps.setString(3, userId);
                    ps.setString(4, upstream);
                    ps.setLong(5, at.toEpochMilli());
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            throw Rows.conflictOr(e, "a link of " + issuer + " " + subject);
        }
    }

    @Override
    public void replaceGroups(String userId, String upstream, List<String> groups) {
        String source = "upstream:" + upstream;
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM user_groups WHERE user_id = ? AND source = ?")) {
                ps.setString(1, userId);
                ps.setString(2, source);
                ps.executeUpdate();
            }
            // A group the operator gave stays the operator's: the upstream's copy of it is not added.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_groups (user_id, group_name, source) VALUES (?, ?, ?) "
                    + "ON CONFLICT (user_id, group_name) DO NOTHING")) {
                for (String group : groups) {
                    ps.setString(1, userId);
                    ps.setString(2, group);
                    ps.setString(3, source);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public int deleteExpired(Instant now) {
        return ExpiredRows.delete(db, "upstream_logins", "state_hash", "expires_at < ?", now);
    }

    private static List<Upstream> upstreams(Connection c, String sql, String... params) throws SQLException {
        List<Upstream> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Upstream(rs.getString("id"), rs.getString("name"), rs.getString("issuer"), rs.getString("client_id"),
                            rs.getString("client_secret"), rs.getString("claim_user"), rs.getString("claim_groups"),
                            Rows.list(rs.getString("allowed_domains")), rs.getString("scope"), Rows.instant(rs, "created_at")));
                }
            }
        }
        return out;
    }
}
