package dev.jeton;

import dev.jeton.engine.Recheck;
import dev.jeton.engine.federation.Federation;
import dev.jeton.engine.federation.TrustAdmin;
import dev.jeton.federation.WorkloadTokens;
import java.net.http.HttpClient;
import java.time.Duration;

import dev.jeton.audit.AdminAudit;
import dev.jeton.audit.AsyncAuditLog;
import dev.jeton.audit.AuditLog;
import dev.jeton.audit.RotatingFile;
import dev.jeton.audit.StreamSink;
import dev.jeton.config.AuditConfig;
import dev.jeton.config.JetonConfig;
import dev.jeton.engine.AccessTokens;
import dev.jeton.engine.Accounts;
import dev.jeton.engine.AdminChanges;
import dev.jeton.engine.session.LoginSessions;
import dev.jeton.engine.session.RelyingParties;
import dev.jeton.engine.ApiKeys;
import dev.jeton.engine.ClientDirectory;
import dev.jeton.engine.FirstRun;
import dev.jeton.engine.Revocation;
import dev.jeton.engine.TokenAudit;
import dev.jeton.engine.access.AccessRules;
import dev.jeton.engine.access.RuleAdmin;
import dev.jeton.engine.imds.ManagedIdentities;
import dev.jeton.engine.imds.NodeIdentities;
import dev.jeton.engine.upstream.UpstreamAdmin;
import dev.jeton.engine.node.NodeAdmin;
import dev.jeton.keys.CryptoProvider;
import dev.jeton.keys.KeyRing;
import dev.jeton.keys.MasterKey;
import dev.jeton.secrets.PasswordHasher;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.store.Databases;
import dev.jeton.store.Store;
import dev.jeton.store.jdbc.JdbcStore;

import java.time.Clock;

/**
 * The store and what an operator does with it: users, clients, API keys, access rules, managed
 * identities, signing keys, revocation, first-run seeding and the admin audit trail. A CLI
 * command builds only this; {@link Wiring} builds a server's engine over it. Opening it opens the
 * store and nothing else: the master key and signing keys, the audit log (and its writer thread)
 * and the caches of rules and identities are made when first asked for, so {@code jeton user
 * list} on a fresh data directory creates no key.
 */
public final class AdminWiring implements AutoCloseable {
    /** A login session ends after 8 hours unused, and 24 hours after the login at the latest. */
    static final java.time.Duration SESSION_IDLE = java.time.Duration.ofHours(8);
    static final java.time.Duration SESSION_MAX = java.time.Duration.ofHours(24);

    /** Two seconds of the benchmark's rate: only a stalled disk fills it. */
    private static final int AUDIT_QUEUE = 65_536;

    private final JetonConfig config;
    private final Clock clock;
    private final Store store;
    private final RandomTokens random = new RandomTokens();
    private final PasswordHasher hasher;
    private final ClientDirectory clientDirectory;
    private final Accounts accounts;
    private final ApiKeys apiKeys;
    private final Lazy<AuditLog> auditLog;
    private final RelyingParties relyingParties;
    private final LoginSessions sessions;
    private final Lazy<TokenAudit> tokenAudit;
    private final Lazy<KeyRing> keys;
    private final Lazy<MasterKey> masterKey;
    private final Lazy<AccessTokens> accessTokens;
    private final Lazy<Revocation> revocation;
    private final Lazy<AccessRules> accessRules;
    private final Lazy<RuleAdmin> ruleAdmin;
    private final Lazy<NodeIdentities> nodeIdentities;
    private final Lazy<ManagedIdentities> managedIdentities;
    private final Lazy<Federation> federation;
    private final Lazy<TrustAdmin> trust;
    private final Lazy<UpstreamAdmin> upstreams;
    private final NodeAdmin nodes;

    /** For a command: tokens it inspects were issued by the configured issuer (the configured port's, when none is set). */
    public AdminWiring(JetonConfig config, Clock clock) {
        this(config, clock, config.issuerFor(config.port()));
    }

    AdminWiring(JetonConfig config, Clock clock, String issuer) {
        this.config = config;
        this.clock = clock;
        this.store = new JdbcStore(Databases.open(config.store(), config.storePassword(), config.storePoolSize(), config.databaseFile()));
        this.hasher = new PasswordHasher(config.argon2MemoryKib(), config.argon2Iterations(), config.argon2Parallelism());
        this.clientDirectory = new ClientDirectory(store.clients(), config.recheckInterval(), clock);
        this.accounts = new Accounts(store.users(), store.clients(), clientDirectory, hasher, random, clock, store.sessions());
        this.relyingParties = new RelyingParties(store.relyingParties(), store.clients());
        this.sessions = new LoginSessions(store.sessions(), store.users(), random, clock, SESSION_IDLE, SESSION_MAX);
        this.apiKeys = new ApiKeys(store.apiKeys(), store.users(), random, clock);
        this.auditLog = new Lazy<>(() -> openAuditLog(config.audit()));
        this.tokenAudit = new Lazy<>(() -> new TokenAudit(auditLog.get(), store.refresh(), clock));
        // A headless first start never makes a master key: one must be given (docs/install.md).
        this.masterKey = new Lazy<>(() -> config.masterKey() != null ? MasterKey.fromBase64(config.masterKey())
                : config.firstStart().makesMasterKey() ? MasterKey.fromFile(config.masterKeyFile())
                : MasterKey.fromExistingFile(config.masterKeyFile()));
        this.upstreams = new Lazy<>(() -> new UpstreamAdmin(store.upstreams(), masterKey.get(), random, clock));
        this.keys = new Lazy<>(this::openKeys);
        this.accessTokens = new Lazy<>(() -> new AccessTokens(keys.get(), store.revocations(), issuer, clock));
        this.revocation = new Lazy<>(() -> new Revocation(accessTokens.get(), store.refresh(), clock));
        this.accessRules = new Lazy<>(() -> new AccessRules(store.rules(), config.recheckInterval(), clock));
        this.ruleAdmin = new Lazy<>(() -> new RuleAdmin(store.rules(), accessRules.get(), random, clock));
        this.nodeIdentities = new Lazy<>(() -> new NodeIdentities(store.identities(), config.node(), config.recheckInterval(), clock));
        this.managedIdentities = new Lazy<>(() -> new ManagedIdentities(store.identities(), nodeIdentities.get(), random, clock));
        this.federation = new Lazy<>(() -> new Federation(new WorkloadTokens(store.trust(), new Recheck(config.recheckInterval(), clock)::due,
                () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), clock, Duration.ofSeconds(5)),
                store.trust(), store.identities(), clientDirectory, store.users()));
        this.nodes = new NodeAdmin(store.nodes(), random, clock);
        this.trust = new Lazy<>(() -> new TrustAdmin(store.trust(), federation.get(), store.identities(), clientDirectory, store.users(),
                random, clock));
    }

    /** The signing keys, made on an empty store (with the master key file, when there is none yet). */
    private KeyRing openKeys() {
        // The JDK signs until a server has loaded Amazon Corretto Crypto Provider (a third of a
        // second, after its listeners are up); commands never need it.
        KeyRing ring = new KeyRing(store.keys(), masterKey.get(), CryptoProvider.jdk("until ACCP has loaded"), clock, config.keyRetireAfter());
        ring.ensureKeys(config.signingAlgorithm());
        return ring;
    }

    private static AuditLog openAuditLog(AuditConfig audit) {
        return switch (audit.sink()) {
            case FILE -> new AsyncAuditLog(new RotatingFile(audit.file(), audit.maxBytes(), audit.keep()), AUDIT_QUEUE);
            case STDOUT -> new AsyncAuditLog(StreamSink.stdout(), AUDIT_QUEUE);
            case OFF -> AuditLog.OFF;
        };
    }

    public JetonConfig config() { return config; }

    public FirstRun firstRun() { return new FirstRun(accounts, random); }

    public Accounts accounts() { return accounts; }

    /** Profile claims of users; ID token algorithm, authentication method and keys of clients. */
    public dev.jeton.engine.OidcRegistrations oidc() {
        return new dev.jeton.engine.OidcRegistrations(store.users(), store.clients(), clientDirectory, sealedSecrets());
    }

    /** Client secrets kept for client_secret_jwt, encrypted with the master key. */
    public dev.jeton.engine.clientauth.SealedSecrets sealedSecrets() {
        return new dev.jeton.engine.clientauth.SealedSecrets(store.clients(), masterKey.get());
    }

    /** Clients' OpenID Connect settings: first-party, post-logout redirect URIs, back-channel logout URI. */
    public RelyingParties relyingParties() { return relyingParties; }

    /** Browser login sessions: list and revoke (the CLI's {@code jeton session}). */
    public LoginSessions sessions() { return sessions; }

    public ApiKeys apiKeys() { return apiKeys; }

    public RuleAdmin rules() { return ruleAdmin.get(); }

    public ManagedIdentities identities() { return managedIdentities.get(); }

    public KeyRing keys() { return keys.get(); }

    public Revocation revocation() { return revocation.get(); }

    public TrustAdmin trust() { return trust.get(); }

    /** Upstream identity providers; their client secrets are sealed with the master key. */
    public UpstreamAdmin upstreams() { return upstreams.get(); }
    /** The nodes of a fleet, whose agents ask the servers for their identities' tokens. */
    public NodeAdmin nodes() { return nodes; }

    Federation federation() { return federation.get(); }

    /** Changes made from the CLI: made and recorded in the audit log as the local operator's. */
    public AdminChanges changes() { return changesBy(adminAudit()); }

    /** Changes made and recorded as {@code audit}'s actor (the admin API's caller). */
    public AdminChanges changesBy(AdminAudit audit) {
        return new AdminChanges(new AdminChanges.Parts(accounts, apiKeys, ruleAdmin::get, managedIdentities::get, trust::get, keys::get,
                revocation::get, tokenAudit::get, nodes, upstreams::get, this::oidc, () -> relyingParties, sessions), audit, clock);
    }

    /**
     * Runs {@code work} as one store transaction, its changes recorded as {@code actor}'s (the CLI's
     * dialect): all of them are made and then audited, or, when it throws, none is made or audited.
     */
    public <T> T inOneTransaction(String actor, java.util.function.Function<AdminChanges, T> work) {
        return inOneTransaction(held -> new AdminAudit(held, clock, dev.jeton.audit.AuditEvent.CLI, actor, "operator"), work);
    }

    /**
     * Runs {@code work} as one store transaction, its changes recorded by the audit that {@code actor}
     * makes over the log it is given (held until the commit). Such transactions take turns with each
     * other across processes and instances (the store's admin lock), so what one reads, the others
     * cannot change before it commits.
     */
    public <T> T inOneTransaction(java.util.function.Function<AuditLog, AdminAudit> actor,
                                  java.util.function.Function<AdminChanges, T> work) {
        dev.jeton.audit.HeldAuditLog held = new dev.jeton.audit.HeldAuditLog();
        AdminChanges changes = changesBy(actor.apply(held));
        T result = store.inTransaction(() -> work.apply(changes));
        held.releaseTo(auditLog.get());
        return result;
    }

    /** The configuration in the store, as {@code jeton export} writes it. */
    public dev.jeton.engine.desired.CurrentConfig currentConfig() {
        return new dev.jeton.engine.desired.CurrentConfig(accounts, oidc(), ruleAdmin.get(), trust.get(), managedIdentities.get(),
                nodes, upstreams.get(), apiKeys, relyingParties);
    }

    /** The admin API's record of changes made by the subject of the caller's token. */
    public AdminAudit apiAudit(String subject) { return AdminAudit.apiCaller(auditLog.get(), clock, subject); }

    /** Admin changes made from the CLI, recorded in the audit log as the local operator's. */
    public AdminAudit adminAudit() { return AdminAudit.operator(auditLog.get(), clock); }

    /** Changes a running server makes on its own (a scheduled key rotation, a federated user provisioned). */
    AdminAudit serverAudit() { return AdminAudit.server(auditLog.get(), clock); }

    /** Token events recorded outside a dialect (the CLI's token revoke), and the engine's. */
    public TokenAudit tokenAudit() { return tokenAudit.get(); }

    Store store() { return store; }

    AuditLog auditLog() { return auditLog.get(); }

    RandomTokens random() { return random; }

    PasswordHasher hasher() { return hasher; }

    ClientDirectory clientDirectory() { return clientDirectory; }

    AccessTokens accessTokens() { return accessTokens.get(); }

    AccessRules accessRules() { return accessRules.get(); }

    NodeIdentities nodeIdentities() { return nodeIdentities.get(); }

    @Override
    public void close() {
        // Everything recorded is written before the store goes.
        auditLog.ifMade(AuditLog::close);
        store.close();
    }
}
