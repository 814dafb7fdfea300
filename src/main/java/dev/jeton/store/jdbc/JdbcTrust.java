package dev.jeton.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.model.PrincipalRef;
import dev.jeton.model.TrustPolicy;
import dev.jeton.store.TrustStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

final class JdbcTrust implements TrustStore {
    private static final String SELECT = "SELECT id, name, issuer, audience, subject, claims, principal_kind, principal_name, "
            + "max_ttl_seconds, jwks_file, created_at FROM trust_policies ";
    // Claims are a small JSON object in one column: they are read whole and never queried by.
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> CLAIMS = new TypeReference<>() { };

    private final Database db;

    JdbcTrust(Database db) { this.db = db; }

    @Override
    public void add(TrustPolicy p) {
        try {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO trust_policies (id, name, issuer, audience, subject, "
                        + "claims, principal_kind, principal_name, max_ttl_seconds, jwks_file, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, p.id());
                    ps.setString(2, p.name());
                    ps.setString(3, p.issuer());
                    ps.setString(4, p.audience());
                    ps.setString(5, p.subject());
                    ps.setString(6, json(p));
                    ps.setString(7, p.as().kind().wireName());
                    ps.setString(8, p.as().name());
                    ps.setLong(9, p.maxTtl().toSeconds());
                    ps.setString(10, p.jwksFile());
                    ps.setLong(11, p.createdAt().toEpochMilli());
                    ps.executeUpdate();
                }
                return ChangeCounters.bump(c, "trust_policies");
            });
        } catch (RuntimeException e) {
            throw Rows.conflictOr(e, "a trust policy named " + p.name());
        }
    }

    @Override
    public Optional<TrustPolicy> byName(String name) {
        return db.read(c -> query(c, SELECT + "WHERE name = ?", name).stream().findFirst());
    }

    @Override
    public List<TrustPolicy> list() {
        return db.read(c -> query(c, SELECT + "ORDER BY name"));
    }

    @Override
    public boolean delete(String name) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM trust_policies WHERE name = ?")) {
                ps.setString(1, name);
                if (ps.executeUpdate() != 1) return false;
            }
            ChangeCounters.bump(c, "trust_policies");
            return true;
        });
    }

    @Override
    public long version() {
        return ChangeCounters.version(db, "trust_policies");
    }

    private static List<TrustPolicy> query(Connection c, String sql, String... params) throws SQLException {
        List<TrustPolicy> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TrustPolicy(rs.getString("id"), rs.getString("name"), rs.getString("issuer"),
                            rs.getString("audience"), rs.getString("subject"), claims(rs.getString("claims")),
                            PrincipalRef.parse(rs.getString("principal_kind") + ":" + rs.getString("principal_name")),
                            Duration.ofSeconds(rs.getLong("max_ttl_seconds")), rs.getString("jwks_file"),
                            Rows.instant(rs, "created_at")));
                }
            }
        }
        return out;
    }

    private static String json(TrustPolicy p) {
        try {
            return JSON.writeValueAsString(p.claims());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("claims of " + p.name() + " cannot be written", e);
        }
    }

    private static LinkedHashMap<String, String> claims(String json) throws SQLException {
        try {
            return JSON.readValue(json, CLAIMS);
        } catch (JsonProcessingException e) {
            throw new SQLException("trust_policies.claims is not a JSON object of strings", e);
        }
    }
}
