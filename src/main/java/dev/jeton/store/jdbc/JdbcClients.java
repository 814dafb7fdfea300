package dev.jeton.store.jdbc;

import dev.jeton.model.Client;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.TokenAuthMethod;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.store.ClientStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

final class JdbcClients implements ClientStore {
    private static final String SELECT = "SELECT id, client_id, secret_hash, grant_types, scopes, audiences, redirect_uris, "
            + "access_ttl_s, refresh_ttl_s, refresh_policy, disabled, created_at FROM clients ";
    private final Database db;

    JdbcClients(Database db) { this.db = db; }

    @Override
    public void add(Client client) {
        try {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO clients (id, client_id, secret_hash, grant_types, "
                        + "scopes, audiences, redirect_uris, access_ttl_s, refresh_ttl_s, refresh_policy, disabled, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, client.id());
                    ps.setString(2, client.clientId());
                    ps.setString(3, Rows.hex(client.secretHash()));
                    ps.setString(4, client.grantTypes().stream().map(GrantType::wireName).sorted().collect(Collectors.joining(" ")));
                    ps.setString(5, Rows.joined(client.scopes().stream().sorted().toList()));
                    ps.setString(6, Rows.joined(client.audiences()));
                    ps.setString(7, Rows.joined(client.redirectUris()));
                    Rows.setLong(ps, 8, client.accessTokenTtl() == null ? null : client.accessTokenTtl().toSeconds());
                    Rows.setLong(ps, 9, client.refreshTokenTtl() == null ? null : client.refreshTokenTtl().toSeconds());
                    ps.setString(10, client.refreshPolicy().name());
                    ps.setInt(11, client.disabled() ? 1 : 0);
                    ps.setLong(12, client.createdAt().toEpochMilli());
                    ps.executeUpdate();
                }
                return ChangeCounters.bump(c, "clients");
            });
        } catch (RuntimeException e) {
            throw Rows.conflictOr(e, "client '" + client.clientId() + "'");
        }
    }

    @Override
    public Optional<Client> byClientId(String clientId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + "WHERE client_id = ?")) {
                ps.setString(1, clientId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(client(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Client> list() {
        return db.read(c -> {
            List<Client> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + "ORDER BY client_id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(client(rs));
            }
            return out;
        });
    }

    @Override
    public boolean replaceSecret(String clientId, byte[] secretHash) {
        return replaceSecret(clientId, secretHash, null);
    }

    @Override
    public boolean replaceSecret(String clientId, byte[] secretHash, Instant previousUntil) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM client_previous_secrets WHERE client_id = ?")) {
                ps.setString(1, clientId);
                ps.executeUpdate();
            }
            if (previousUntil != null) {
                // Copied inside the transaction, so a racing rotation cannot slip a secret between read and keep.
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO client_previous_secrets (client_id, secret_hash, expires_at) "
                        + "SELECT client_id, secret_hash, ? FROM clients WHERE client_id = ? AND secret_hash IS NOT NULL")) {
                    ps.setLong(1, previousUntil.toEpochMilli());
                    ps.setString(2, clientId);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE clients SET secret_hash = ? WHERE client_id = ?")) {
                ps.setString(1, Rows.hex(secretHash));
                ps.setString(2, clientId);
                return ps.executeUpdate() == 1 && ChangeCounters.bump(c, "clients") > 0;
            }
        });
    }

    @Override
    public Optional<PreviousSecret> previousSecret(String clientId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT secret_hash, expires_at FROM client_previous_secrets WHERE client_id = ?")) {
                ps.setString(1, clientId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new PreviousSecret(Rows.unhex(rs.getString("secret_hash")), Rows.instant(rs, "expires_at")))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean updateSettings(Client client) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE clients SET grant_types = ?, scopes = ?, audiences = ?, redirect_uris = ?, "
                    + "access_ttl_s = ?, refresh_ttl_s = ?, refresh_policy = ? WHERE client_id = ?")) {
                ps.setString(1, client.grantTypes().stream().map(GrantType::wireName).sorted().collect(Collectors.joining(" ")));
                ps.setString(2, Rows.joined(client.scopes().stream().sorted().toList()));
                ps.setString(3, Rows.joined(client.audiences()));
                ps.setString(4, Rows.joined(client.redirectUris()));
                Rows.setLong(ps, 5, client.accessTokenTtl() == null ? null : client.accessTokenTtl().toSeconds());
                Rows.setLong(ps, 6, client.refreshTokenTtl() == null ? null : client.refreshTokenTtl().toSeconds());
                ps.setString(7, client.refreshPolicy().name());
                ps.setString(8, client.clientId());
                return ps.executeUpdate() == 1 && ChangeCounters.bump(c, "clients") > 0;
            }
        });
    }

    @Override
    public boolean setRefreshPolicy(String clientId, RefreshPolicy policy) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE clients SET refresh_policy = ? WHERE client_id = ?")) {
                ps.setString(1, policy.name());
                ps.setString(2, clientId);
                return ps.executeUpdate() == 1 && ChangeCounters.bump(c, "clients") > 0;
            }
        });
    }

    @Override
    public Optional<ClientOidcSettings> oidcSettings(String clientId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id_token_alg, token_auth_method, jwks, jwks_uri FROM clients WHERE client_id = ?")) {
                ps.setString(1, clientId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    String method = rs.getString("token_auth_method");
                    return Optional.of(new ClientOidcSettings(rs.getString("id_token_alg"),
                            method == null ? null : TokenAuthMethod.fromWire(method).orElse(null), rs.getString("jwks"), rs.getString("jwks_uri")));
                }
            }
        });
    }

    @Override
    public boolean setOidcSettings(String clientId, ClientOidcSettings settings) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE clients SET id_token_alg = ?, token_auth_method = ?, jwks = ?, jwks_uri = ? WHERE client_id = ?")) {
                ps.setString(1, settings.idTokenAlg());
                ps.setString(2, settings.authMethod() == null ? null : settings.authMethod().wireName());
                ps.setString(3, settings.jwks());
                ps.setString(4, settings.jwksUri());
                ps.setString(5, clientId);
                return ps.executeUpdate() == 1 && ChangeCounters.bump(c, "clients") > 0;
            }
        });
    }

    @Override
    public byte[] sealedSecret(String clientId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT secret_sealed FROM clients WHERE client_id = ?")) {
                ps.setString(1, clientId);
                try (ResultSet rs = ps.executeQuery()) {
                    String sealed = rs.next() ? rs.getString(1) : null;
                    return sealed == null ? null : java.util.Base64.getDecoder().decode(sealed);
                }
            }
        });
    }

    @Override
    public boolean setSealedSecret(String clientId, byte[] sealed) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE clients SET secret_sealed = ? WHERE client_id = ?")) {
                ps.setString(1, sealed == null ? null : java.util.Base64.getEncoder().encodeToString(sealed));
                ps.setString(2, clientId);
                return ps.executeUpdate() == 1 && ChangeCounters.bump(c, "clients") > 0;
            }
        });
    }

    @Override
    public boolean delete(String clientId, Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE refresh_families SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, clientId);
                ps.executeUpdate();
            }
            // A client added again under the same id starts without the old one's previous secret, OIDC settings and consents.
            for (String table : new String[] {"client_previous_secrets", "relying_parties", "consents"}) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE client_id = ?")) {
                    ps.setString(1, clientId);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM clients WHERE client_id = ?")) {
                ps.setString(1, clientId);
                return ps.executeUpdate() == 1 && ChangeCounters.bump(c, "clients") > 0;
            }
        });
    }

    @Override
    public long version() {
        return ChangeCounters.version(db, "clients");
    }

    private static Client client(ResultSet rs) throws SQLException {
        Set<GrantType> grants = Rows.set(rs.getString("grant_types")).stream()
                .map(g -> GrantType.fromWire(g).orElseThrow()).collect(Collectors.toSet());
        long accessTtl = rs.getLong("access_ttl_s");
        Duration access = rs.wasNull() ? null : Duration.ofSeconds(accessTtl);
        long refreshTtl = rs.getLong("refresh_ttl_s");
        Duration refresh = rs.wasNull() ? null : Duration.ofSeconds(refreshTtl);
        return new Client(rs.getString("id"), rs.getString("client_id"), Rows.unhex(rs.getString("secret_hash")), grants,
                Rows.set(rs.getString("scopes")), Rows.list(rs.getString("audiences")), Rows.list(rs.getString("redirect_uris")),
                access, refresh, RefreshPolicy.valueOf(rs.getString("refresh_policy")), rs.getInt("disabled") != 0,
                Rows.instant(rs, "created_at"));
    }

    @Override
    public boolean any() { return Rows.any(db, "clients"); }
}
