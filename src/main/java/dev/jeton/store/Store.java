package dev.jeton.store;

import java.time.Instant;

/** All ports of one database. Implementations: SQLite (embedded default) and, later, PostgreSQL. */
public interface Store extends AutoCloseable {
    UserStore users();

    ClientStore clients();

    RefreshStore refresh();

    KeyStore keys();

    RevocationStore revocations();

    ApiKeyStore apiKeys();

    RuleStore rules();

    IdentityStore identities();

    CodeStore codes();

    TrustStore trust();

    DeviceStore devices();
    UpstreamStore upstreams();
    NodeStore nodes();
    /** OpenID Connect login sessions. */
    SessionStore sessions();

    ConsentStore consents();

    RelyingPartyStore relyingParties();

    /**
     * Runs {@code work} (calls on these ports) as one transaction: all of its changes commit, or none
     * when it throws. Such transactions (the admin changes: an API request, {@code jeton apply}) take
     * turns across processes and instances, so a check one makes still holds when it writes.
     */
    <T> T inTransaction(java.util.function.Supplier<T> work);

    /** One cheap round trip; false when the database cannot answer. */
    boolean healthy();

    /** The janitor's sweep: removes every expired row; returns how many. */
    default int deleteExpired(Instant now) {
        // Codes live 60 s; their rows stay 10 minutes more so a late replay is still recognised.
        return refresh().deleteExpired(now) + revocations().deleteExpired(now) + codes().deleteExpired(now.minusSeconds(600))
                + devices().deleteExpired(now.minusSeconds(600))
                + upstreams().deleteExpired(now)
                + nodes().deleteExpired(now)
                + sessions().deleteExpired(now);
    }

    @Override
    void close();
}
