package dev.jeton.store.jdbc;

import dev.jeton.model.KeyState;
import dev.jeton.model.StoredKey;
import dev.jeton.store.KeyStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

final class JdbcKeys implements KeyStore {
    private final Database db;

    JdbcKeys(Database db) { this.db = db; }

    @Override
    public List<StoredKey> keys() {
        return db.read(c -> {
            List<StoredKey> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT kid, algorithm, state, public_jwk, private_key, certificate, created_at, "
                    + "state_changed_at FROM signing_keys ORDER BY created_at, kid"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredKey(rs.getString("kid"), rs.getString("algorithm"), KeyState.valueOf(rs.getString("state")),
                            rs.getString("public_jwk"), Base64.getDecoder().decode(rs.getString("private_key")), rs.getString("certificate"),
                            Rows.instant(rs, "created_at"), Rows.instant(rs, "state_changed_at")));
                }
            }
            return out;
        });
    }

    @Override
    public void insert(StoredKey key) {
        db.write(c -> {
            insert(c, key);
            return null;
        });
    }

    @Override
    public boolean transition(List<StateChange> changes, List<StoredKey> added, Instant at) {
        try {
            return db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE signing_keys SET state = ?, state_changed_at = ? WHERE kid = ? AND state = ?")) {
                    for (StateChange change : changes) {
                        ps.setString(1, change.to().name());
                        ps.setLong(2, at.toEpochMilli());
                        ps.setString(3, change.kid());
                        ps.setString(4, change.from().name());
                        if (ps.executeUpdate() != 1) throw new LostRace();
                    }
                }
                for (StoredKey key : added) insert(c, key);
                return true;
            });
        } catch (LostRace e) {
            return false;
        }
    }

    private static void insert(Connection c, StoredKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO signing_keys (kid, algorithm, state, public_jwk, private_key, "
                + "certificate, created_at, state_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, key.kid());
            ps.setString(2, key.algorithm());
            ps.setString(3, key.state().name());
            ps.setString(4, key.publicJwk());
            ps.setString(5, Base64.getEncoder().encodeToString(key.encryptedPrivateKey()));
            ps.setString(6, key.certificatePem());
            ps.setLong(7, key.createdAt().toEpochMilli());
            ps.setLong(8, key.stateChangedAt().toEpochMilli());
            ps.executeUpdate();
        }
    }

    /** Thrown inside the transaction so the database rolls every change of it back. */
    private static final class LostRace extends RuntimeException {
        LostRace() { super("a key was not in its expected state", null, false, false); }
    }
}
