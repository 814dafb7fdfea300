package dev.jeton.store.jdbc;

import dev.jeton.model.DeviceAuthorization;
import dev.jeton.model.DeviceAuthorization.Status;
import dev.jeton.store.DeviceStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

final class JdbcDevices implements DeviceStore {
    private static final String SELECT = "SELECT client_id, scope, status, user_id, interval_seconds, last_poll_at, created_at, expires_at "
            + "FROM device_authorizations WHERE ";

    private final Database db;

    JdbcDevices(Database db) { this.db = db; }

    @Override
    public void save(byte[] deviceHash, byte[] userCodeHash, DeviceAuthorization a) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_authorizations (device_hash, user_code_hash, client_id, scope, "
                    + "status, user_id, interval_seconds, last_poll_at, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, Rows.hex(deviceHash));
                ps.setString(2, Rows.hex(userCodeHash));
                ps.setString(3, a.clientId());
                ps.setString(4, Rows.joined(a.scope()));
                ps.setString(5, a.status().name());
                ps.setString(6, a.userId());
                ps.setLong(7, a.interval().toSeconds());
                Rows.setLong(ps, 8, Rows.millis(a.lastPollAt()));
                ps.setLong(9, a.createdAt().toEpochMilli());
                ps.setLong(10, a.expiresAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<DeviceAuthorization> byDeviceCode(byte[] deviceHash) {
        return db.read(c -> Optional.ofNullable(find(c, "device_hash", deviceHash)));
    }

    @Override
    public Optional<DeviceAuthorization> byUserCode(byte[] userCodeHash) {
        return db.read(c -> Optional.ofNullable(find(c, "user_code_hash", userCodeHash)));
    }

    @Override
    public boolean decide(byte[] userCodeHash, boolean approved, String userId, Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE device_authorizations SET status = ?, user_id = ? "
                    + "WHERE user_code_hash = ? AND status = 'PENDING' AND expires_at > ?")) {
                ps.setString(1, (approved ? Status.APPROVED : Status.DENIED).name());
                ps.setString(2, userId);
                ps.setString(3, Rows.hex(userCodeHash));
                ps.setLong(4, now.toEpochMilli());
                return ps.executeUpdate();
            }
        }) == 1;
    }

    @Override
    public Poll poll(byte[] deviceHash, Instant now) {
        String hash = Rows.hex(deviceHash);
        long at = now.toEpochMilli();
        return db.write(c -> {
            // Accepted: the first poll, or one a whole interval after the last accepted one. An
            // approved authorization turns REDEEMED in this same statement, so one poll wins it.
            int accepted;
            try (PreparedStatement ps = c.prepareStatement("UPDATE device_authorizations SET last_poll_at = ?, "
                    + "status = CASE WHEN status = 'APPROVED' THEN 'REDEEMED' ELSE status END "
                    + "WHERE device_hash = ? AND status <> 'REDEEMED' AND expires_at > ? "
                    + "AND (last_poll_at IS NULL OR last_poll_at + interval_seconds * 1000 <= ?)")) {
                ps.setLong(1, at);
                ps.setString(2, hash);
                ps.setLong(3, at);
                ps.setLong(4, at);
                accepted = ps.executeUpdate();
            }
            DeviceAuthorization a = find(c, "device_hash", deviceHash);
            if (a == null) return new Poll(Outcome.UNKNOWN, null);
            if (accepted == 1) {
                return new Poll(switch (a.status()) {
                    case REDEEMED -> Outcome.REDEEMED;
                    case DENIED -> Outcome.DENIED;
                    default -> Outcome.PENDING;
                }, a);
            }
            if (a.status() == Status.REDEEMED) return new Poll(Outcome.ALREADY_REDEEMED, a);
            if (a.expiredAt(now)) return new Poll(Outcome.EXPIRED, a);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE device_authorizations SET interval_seconds = interval_seconds + 5 WHERE device_hash = ?")) {
                ps.setString(1, hash);
                ps.executeUpdate();
            }
            return new Poll(Outcome.SLOW_DOWN, find(c, "device_hash", deviceHash));
        });
    }

    @Override
    public int deleteExpired(Instant before) {
        return ExpiredRows.delete(db, "device_authorizations", "device_hash", "expires_at < ?", before);
    }

    private static DeviceAuthorization find(Connection c, String column, byte[] hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + column + " = ?")) {
            ps.setString(1, Rows.hex(hash));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                return new DeviceAuthorization(rs.getString("client_id"), Rows.set(rs.getString("scope")), Status.valueOf(rs.getString("status")),
                        rs.getString("user_id"), Duration.ofSeconds(rs.getLong("interval_seconds")), Rows.instant(rs, "last_poll_at"),
                        Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"));
            }
        }
    }
}
