package dev.jeton.store.jdbc;

import dev.jeton.store.ApiKeyStore;
import dev.jeton.store.ClientStore;
import dev.jeton.store.CodeStore;
import dev.jeton.store.DeviceStore;
import dev.jeton.store.ConsentStore;
import dev.jeton.store.IdentityStore;
import dev.jeton.store.KeyStore;
import dev.jeton.store.NodeStore;
import dev.jeton.store.RefreshStore;
import dev.jeton.store.RelyingPartyStore;
import dev.jeton.store.RevocationStore;
import dev.jeton.store.RuleStore;
import dev.jeton.store.SessionStore;
import dev.jeton.store.Store;
import dev.jeton.store.TrustStore;
import dev.jeton.store.UpstreamStore;
import dev.jeton.store.UserStore;

import java.sql.ResultSet;
import java.sql.Statement;

/** The store ports over one JDBC database; the SQL is shared by every database we support. */
public final class JdbcStore implements Store {
    private final Database db;
    private final UserStore users;
    private final ClientStore clients;
    private final RefreshStore refresh;
    private final KeyStore keys;
    private final RevocationStore revocations;
    private final ApiKeyStore apiKeys;
    private final RuleStore rules;
    private final IdentityStore identities;
    private final CodeStore codes;
    private final DeviceStore devices;
    private final TrustStore trust;
    private final UpstreamStore upstreams;
    private final NodeStore nodes;
    private final SessionStore sessions;
    private final ConsentStore consents;
    private final RelyingPartyStore relyingParties;

    public JdbcStore(Database db) {
        this.db = db;
        Migrations.BUNDLED.apply(db);
        this.users = new JdbcUsers(db);
        this.clients = new JdbcClients(db);
        this.refresh = new JdbcRefresh(db);
        this.keys = new JdbcKeys(db);
        this.revocations = new JdbcRevocations(db);
        this.apiKeys = new JdbcApiKeys(db);
        this.rules = new JdbcRules(db);
        this.identities = new JdbcIdentities(db);
        this.codes = new JdbcCodes(db);
        this.devices = new JdbcDevices(db);
        this.trust = new JdbcTrust(db);
        this.upstreams = new JdbcUpstreams(db);
        this.nodes = new JdbcNodes(db);
        this.sessions = new JdbcSessions(db);
        this.consents = new JdbcConsents(db);
        this.relyingParties = new JdbcRelyingParties(db);
    }

    @Override public UserStore users() { return users; }

    @Override public ClientStore clients() { return clients; }

    @Override public RefreshStore refresh() { return refresh; }

    @Override public KeyStore keys() { return keys; }

    @Override public RevocationStore revocations() { return revocations; }

    @Override public ApiKeyStore apiKeys() { return apiKeys; }

    @Override public RuleStore rules() { return rules; }

    @Override public IdentityStore identities() { return identities; }

    @Override public CodeStore codes() { return codes; }

    @Override public DeviceStore devices() { return devices; }

    @Override public TrustStore trust() { return trust; }

    @Override public UpstreamStore upstreams() { return upstreams; }
    @Override public NodeStore nodes() { return nodes; }
    @Override public SessionStore sessions() { return sessions; }

    @Override public ConsentStore consents() { return consents; }

    @Override public RelyingPartyStore relyingParties() { return relyingParties; }

    @Override
    public <T> T inTransaction(java.util.function.Supplier<T> work) { return db.transaction(work); }

    @Override
    public boolean healthy() {
        try {
            return db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    return rs.next();
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() { db.close(); }
}
