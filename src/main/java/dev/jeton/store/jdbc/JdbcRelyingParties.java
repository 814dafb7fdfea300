package dev.jeton.store.jdbc;

import dev.jeton.model.RelyingParty;
import dev.jeton.store.RelyingPartyStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

final class JdbcRelyingParties implements RelyingPartyStore {
    private final Database db;

    JdbcRelyingParties(Database db) { this.db = db; }

    @Override
    public Optional<RelyingParty> byClientId(String clientId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT first_party, post_logout_redirect_uris, backchannel_logout_uri "
                    + "FROM relying_parties WHERE client_id = ?")) {
                ps.setString(1, clientId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<RelyingParty>empty();
                    return Optional.of(new RelyingParty(clientId, rs.getInt(1) != 0, Rows.list(rs.getString(2)), rs.getString(3)));
                }
            }
        });
    }

    @Override
    public void put(RelyingParty settings) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO relying_parties (client_id, first_party, post_logout_redirect_uris, "
                    + "backchannel_logout_uri) VALUES (?, ?, ?, ?) ON CONFLICT (client_id) DO UPDATE SET first_party = excluded.first_party, "
                    + "post_logout_redirect_uris = excluded.post_logout_redirect_uris, backchannel_logout_uri = excluded.backchannel_logout_uri")) {
                ps.setString(1, settings.clientId());
                ps.setInt(2, settings.firstParty() ? 1 : 0);
                ps.setString(3, Rows.joined(settings.postLogoutRedirectUris()));
                ps.setString(4, settings.backchannelLogoutUri());
                return ps.executeUpdate();
            }
        });
    }
}
