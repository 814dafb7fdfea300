package dev.jeton;

import dev.jeton.audit.AdminAudit;
import dev.jeton.audit.AsyncAuditLog;
import dev.jeton.audit.AuditLog;
import dev.jeton.audit.RotatingFile;
import dev.jeton.audit.StreamSink;
import dev.jeton.config.AuditConfig;
import dev.jeton.config.JetonConfig;
import dev.jeton.config.LimitSettings;
import dev.jeton.config.Rate;
import dev.jeton.dialect.entra.EntraDialect;
import dev.jeton.dialect.imds.ImdsDialect;
import dev.jeton.dialect.oauth2.OAuth2Dialect;
import dev.jeton.dialect.occam.OccamDialect;
import dev.jeton.dialect.registry.RegistryDialect;
import dev.jeton.dialect.runai.RunaiDialect;
import dev.jeton.engine.AccessTokens;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.engine.Accounts;
import dev.jeton.engine.ApiKeys;
import dev.jeton.engine.ClientAuthenticator;
import dev.jeton.engine.ClientDirectory;
import dev.jeton.engine.Engine;
import dev.jeton.engine.EngineSettings;
import dev.jeton.engine.FirstRun;
import dev.jeton.engine.Grants;
import dev.jeton.engine.IdTokens;
import dev.jeton.engine.Introspection;
import dev.jeton.engine.Janitor;
import dev.jeton.engine.Recheck;
import dev.jeton.engine.Revocation;
import dev.jeton.engine.TokenAudit;
import dev.jeton.engine.TokenMinter;
import dev.jeton.engine.UserAuthenticator;
import dev.jeton.engine.UserInfoLookup;
import dev.jeton.engine.access.AccessRules;
import dev.jeton.engine.access.RuleAdmin;
import dev.jeton.engine.code.Authorizations;
import dev.jeton.engine.code.LoginThrottle;
import dev.jeton.engine.grant.ApiKeyGrant;
import dev.jeton.engine.grant.AuthorizationCodeGrant;
import dev.jeton.engine.grant.ClientCredentialsGrant;
import dev.jeton.engine.grant.ExternalTokenGrant;
import dev.jeton.engine.grant.PasswordGrant;
import dev.jeton.engine.grant.RefreshGrant;
import dev.jeton.engine.federation.Federation;
import dev.jeton.engine.federation.TokenExchangeGrant;
import dev.jeton.engine.federation.WorkloadAssertionGrant;
import dev.jeton.engine.federation.TrustAdmin;
import dev.jeton.engine.imds.ImdsGrant;
import dev.jeton.engine.imds.ManagedIdentityTokens;
import dev.jeton.engine.imds.ManagedIdentities;
import dev.jeton.engine.imds.NodeIdentities;
import dev.jeton.engine.refresh.RefreshTokens;
import dev.jeton.engine.registry.RegistryExchangeGrant;
import dev.jeton.engine.registry.RegistryGrant;
import dev.jeton.engine.registry.RegistryPrincipals;
import dev.jeton.engine.registry.RegistryTokens;
import dev.jeton.federation.TrustedIssuers;
import dev.jeton.federation.WorkloadTokens;
import dev.jeton.http.Bodies;
import dev.jeton.http.Dialect;
import dev.jeton.http.JetonServer;
import dev.jeton.http.OpenApiDocs;
import dev.jeton.http.RateLimit;
import dev.jeton.http.RateLimiter;
import dev.jeton.http.RateLimits;
import dev.jeton.http.SourceAddress;
import dev.jeton.http.TokenMetrics;
import dev.jeton.keys.CryptoProvider;
import dev.jeton.keys.KeyRing;
import dev.jeton.keys.MasterKey;
import dev.jeton.keys.SigningAlgorithm;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.secrets.PasswordHasher;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.store.Databases;
import dev.jeton.store.Store;
import dev.jeton.store.jdbc.JdbcStore;
import dev.jeton.tls.CertificateRenewal;
import dev.jeton.tls.DevCertificate;
import dev.jeton.tls.ListenerCertificate;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Builds store, keys, engine, dialects and server from the configuration: the only place that does. */
public final class Wiring implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Wiring.class.getName());
    /** Two seconds of the benchmark's rate: only a stalled disk fills it. */
    private static final int AUDIT_QUEUE = 65_536;

    private final JetonConfig config;
    private final Clock clock;
    private final int port;
    private final int imdsPort;
    private final String issuer;
    private final Store store;
    private final KeyRing keys;
    private final RandomTokens random = new RandomTokens();
    private final Accounts accounts;
    private final ApiKeys apiKeys;
    private final AccessRules accessRules;
    private final RuleAdmin ruleAdmin;
    private final ManagedIdentities managedIdentities;
    private final Federation federation;
    private final TrustAdmin trustAdmin;
    private final Authorizations authorizations;
    private final Revocation revocation;
    private final Engine engine;
    private final Janitor janitor;
    private final AuditLog auditLog;
    private final TokenAudit tokenAudit;
    private ScheduledExecutorService keyReloader;
    private ScheduledExecutorService tlsReloader;
    private JetonServer server;
    private volatile boolean closed;
    private boolean certificatesLoaded;
    private ListenerCertificate publicCertificate;
    private ListenerCertificate imdsCertificate;

    public Wiring(JetonConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.port = config.port() == 0 ? freePort(config.host()) : config.port();
        this.imdsPort = config.imdsPort() == 0 ? freePort(config.imdsHost()) : config.imdsPort();
        this.issuer = config.issuerFor(port);
        this.auditLog = openAuditLog(config.audit());
        this.store = new JdbcStore(Databases.open(config.store(), config.storePassword(), config.storePoolSize(), config.databaseFile()));
        this.tokenAudit = new TokenAudit(auditLog, store.refresh(), clock);
        MasterKey masterKey = config.masterKey() != null ? MasterKey.fromBase64(config.masterKey())
                : MasterKey.fromFile(config.masterKeyFile());
        // The JDK signs until a server has loaded Amazon Corretto Crypto Provider (a third of a
        // second, after its listeners are up); CLI commands never need it.
        this.keys = new KeyRing(store.keys(), masterKey, CryptoProvider.jdk("until ACCP has loaded"), clock, config.keyRetireAfter());
        keys.ensureKeys(config.signingAlgorithm());

        EngineSettings settings = new EngineSettings(issuer, config.accessTokenTtl(), config.refreshTokenTtl(),
                config.refreshFamilyTtl(), config.refreshGrace());
        PasswordHasher hasher = new PasswordHasher(config.argon2MemoryKib(), config.argon2Iterations(), config.argon2Parallelism());
        ClientDirectory clientDirectory = new ClientDirectory(store.clients(), config.recheckInterval());
        ClientAuthenticator clients = new ClientAuthenticator(clientDirectory);
        LoginThrottle loginThrottle = new LoginThrottle(config.limits().loginFailureWindow(), config.limits().loginFailuresPerUser(),
                config.limits().loginFailuresPerAddress(), clock);
        UserAuthenticator userAuthenticator = new UserAuthenticator(store.users(), hasher, loginThrottle);
        Grants grants = new Grants(settings);
        TokenMinter minter = new TokenMinter(keys, random, issuer);
        RefreshTokens refresh = new RefreshTokens(store.refresh(), random, settings.refreshFamilyTtl(), settings.refreshGrace());
        AccessTokens accessTokens = new AccessTokens(keys, store.revocations(), issuer, clock);
        this.accessRules = new AccessRules(store.rules(), config.recheckInterval());
        this.ruleAdmin = new RuleAdmin(store.rules(), accessRules, random, clock);
        RegistryTokens registryTokens = new RegistryTokens(keys, store.refresh(), random, issuer, config.registryAccessTokenTtl(),
                config.registryRefreshTokenTtl());
        this.federation = new Federation(new WorkloadTokens(store.trust(), new Recheck(config.recheckInterval())::due,
                () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), clock, Duration.ofSeconds(5)),
                store.trust(), store.identities(), clientDirectory, store.users());
        RegistryPrincipals registryPrincipals = new RegistryPrincipals(store.users(), clientDirectory, store.identities(),
                userAuthenticator, registryTokens, random, clock, AdminAudit.server(auditLog, clock), federation);
        NodeIdentities nodeIdentities = new NodeIdentities(store.identities(), config.node(), config.recheckInterval());
        this.managedIdentities = new ManagedIdentities(store.identities(), nodeIdentities, random, clock);
        this.trustAdmin = new TrustAdmin(store.trust(), federation, store.identities(), clientDirectory, store.users(), random, clock);
        IdTokens idTokens = new IdTokens(keys, issuer);
        this.authorizations = new Authorizations(store.clients(), userAuthenticator, store.codes(),
                random, clock, Duration.ofSeconds(60), tokenAudit);
        ManagedIdentityTokens identityTokens = new ManagedIdentityTokens(keys, random, issuer);
        ImdsGrant imds = new ImdsGrant(nodeIdentities, identityTokens, config.imdsTokenTtl(), clock);
        TrustedIssuers trustedIssuers = new TrustedIssuers(config.federation(), issuer,
                config.federationTrustSelf() ? accessTokens::verify : null);
        this.revocation = new Revocation(accessTokens, store.refresh(), clock);
        this.accounts = new Accounts(store.users(), store.clients(), clientDirectory, hasher, random, clock);
        this.apiKeys = new ApiKeys(store.apiKeys(), store.users(), random, clock);
        this.engine = new Engine(clients,
                new ClientCredentialsGrant(clients, grants, minter, clock),
                new PasswordGrant(clients, userAuthenticator, grants, minter, refresh, clock),
                new RefreshGrant(clients, store.users(), grants, minter, refresh, clock),
                new ApiKeyGrant(clients, store.apiKeys(), store.users(), grants, minter, clock),
                new RegistryGrant(registryPrincipals, accessRules, registryTokens, clock),
                new RegistryExchangeGrant(trustedIssuers, federation, registryPrincipals, registryTokens, clock),
                imds,
                new AuthorizationCodeGrant(clients, store.codes(), store.users(), grants, minter, refresh, store.refresh(),
                        store.revocations(), idTokens, clock),
                new ExternalTokenGrant(clients, trustedIssuers, federation, registryPrincipals, grants, minter, refresh, clock),
                new TokenExchangeGrant(new TokenExchangeGrant.Parts(clients, clientDirectory, store.identities(), federation,
                        accessTokens, registryPrincipals, grants, minter, identityTokens, config.imdsTokenTtl(), issuer, clock)),
                new WorkloadAssertionGrant(federation, identityTokens, config.imdsTokenTtl(), grants, minter, clock),
                idTokens,
                new Introspection(accessTokens, store.refresh(), issuer, clock),
                revocation,
                new UserInfoLookup(accessTokens, store.users()),
                keys, tokenAudit);
        this.janitor = new Janitor(store, clock);
    }

    /**
     * Loads the listeners' TLS certificates (making the dev one when asked), so that a bad PEM
     * file fails the start with one clear sentence before anything is printed or served.
     * Only {@code serve} needs them: other commands never read the key files.
     */
    public void loadCertificates() {
        if (certificatesLoaded) return;
        Instant now = clock.instant();
        if (config.devTls()) {
            List<String> hosts = new ArrayList<>(List.of(config.host()));
            if (!config.issuer().isEmpty()) hosts.add(issuerHost());
            publicCertificate = ListenerCertificate.load(DevCertificate.ensure(config.dataDir(), hosts, now), now);
        } else if (config.tls() != null) {
            publicCertificate = ListenerCertificate.load(config.tls(), now);
        }
        if (config.imdsTls() != null && imdsPort >= 0) imdsCertificate = ListenerCertificate.load(config.imdsTls(), now);
        certificatesLoaded = true;
    }

    private String issuerHost() {
        String host = URI.create(issuer).getHost();
        if (host == null) return "";
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** The dev TLS certificate a client should trust, or null without {@code dev-tls}. */
    public Path devCertificate() {
        return config.devTls() ? config.dataDir().resolve(DevCertificate.CERT_FILE).toAbsolutePath() : null;
    }

    /** Where the public listener answers, such as https://127.0.0.1:8443. */
    public String baseUrl() { return (config.publicTls() ? "https://" : "http://") + config.host() + ":" + port; }

    /** Where the IMDS listener answers, such as http://127.0.0.1:8081. */
    public String imdsUrl() { return (config.imdsTls() != null ? "https://" : "http://") + config.imdsHost() + ":" + imdsPort; }

    /** Starts the HTTP listener, the janitor and the key reloader. */
    public JetonServer serve() {
        loadCertificates();
        LOG.log(System.Logger.Level.INFO, "active signing key {0}", keys.activeKid().orElse("none"));
        warnIfPasswordHashingOutgrowsTheHeap();
        // The first signature runs in the interpreter (the start-up cache holds classes, not
        // compiled code); made here on the idle core while the listeners start, it is not made
        // by the first client.
        Thread.ofPlatform().name("jeton-warm-up").daemon(true).start(keys::warmUp);
        PrometheusRegistry registry = new PrometheusRegistry();
        TokenMetrics metrics = new TokenMetrics(registry);
        Bodies bodies = new Bodies(config.maxRequestBytes());
        List<String> algorithms = Arrays.stream(SigningAlgorithm.values()).map(Enum::name).toList();
        accounts.ensureClient(new ClientSpec(OccamDialect.CLIENT_ID, Set.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN),
                Set.of(), List.of(), List.of(), null, null,
                config.occamReuseRevokesFamily() ? RefreshPolicy.ROTATING : RefreshPolicy.ROTATING_LENIENT, true));
        accounts.ensureClient(new ClientSpec(RunaiDialect.CLIENT_ID, Set.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN),
                Set.of(), List.of(), List.of(), null, null, RefreshPolicy.ROTATING, true));
        RateLimits limits = rateLimits(config.limits());
        List<Dialect> dialects = List.of(
                new OAuth2Dialect(engine, authorizations, bodies, metrics, limits, issuer, algorithms),
                new OccamDialect(engine, bodies, metrics, limits),
                new RegistryDialect(engine, bodies, metrics, limits, issuer),
                new RunaiDialect(engine, bodies, metrics, limits),
                new EntraDialect(engine, bodies, metrics, limits, clock));
        List<String> documented = new java.util.ArrayList<>(dialects.stream().map(Dialect::name).toList());
        documented.add(ImdsDialect.NAME);
        OpenApiDocs docs = new OpenApiDocs(documented);
        List<JetonServer.SideListener> side = imdsPort < 0 ? List.of() : List.of(new JetonServer.SideListener(ImdsDialect.NAME,
                config.imdsHost(), imdsPort, List.of(new ImdsDialect(engine, metrics,
                new RateLimiter(config.imdsRate(), config.imdsConcurrency()), config.node())), imdsCertificate));
        server = new JetonServer(new JetonServer.Settings(config.host(), port, config.maxRequestBytes(), config.requestTimeout(),
                config.accessLog(), publicCertificate, config.hstsMaxAge(), config.limits().maxHeaderBytes(),
                config.limits().idleTimeout(), limits), dialects, side, () -> store.healthy() && keys.activeKid().isPresent(), registry, docs).start();
        Thread.ofVirtual().name("jeton-accp").start(this::switchToNativeProvider);
        watchCertificates();
        janitor.start(config.janitorInterval());
        keyReloader = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("jeton-key-reload").daemon(true).unstarted(r));
        long every = config.keyReloadInterval().toMillis();
        keyReloader.scheduleWithFixedDelay(this::reloadKeys, every, every, TimeUnit.MILLISECONDS);
        return server;
    }

    /** Renewed certificate files are served without a restart; no thread at all without TLS files. */
    private void watchCertificates() {
        List<CertificateRenewal> renewals = new ArrayList<>();
        if (config.tls() != null) {
            renewals.add(new CertificateRenewal("public", config.tls(), c -> server.reloadTls(JetonServer.PUBLIC_LISTENER, c), clock));
        }
        if (imdsCertificate != null) {
            renewals.add(new CertificateRenewal(ImdsDialect.NAME, config.imdsTls(), c -> server.reloadTls(ImdsDialect.NAME, c), clock));
        }
        if (renewals.isEmpty() || config.tlsReloadInterval().isZero()) return;
        tlsReloader = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("jeton-tls-reload").daemon(true).unstarted(r));
        long every = config.tlsReloadInterval().toMillis();
        tlsReloader.scheduleWithFixedDelay(() -> renewals.forEach(CertificateRenewal::check), every, every, TimeUnit.MILLISECONDS);
    }

    private static RateLimits rateLimits(LimitSettings limits) {
        return new RateLimits(rateLimit(limits.perClient()), rateLimit(limits.perSource()), SourceAddress.trusting(limits.trustedProxies()));
    }

    private static RateLimit rateLimit(Rate rate) {
        return rate == null ? null : new RateLimit(rate.count(), rate.period(), System::nanoTime);
    }

    private void reloadKeys() {
        try {
            if (!config.keyRotationInterval().isZero() && keys.rotateIfDue(config.keyRotationInterval(), config.signingAlgorithm())) {
                AdminAudit.server(auditLog, clock).changed("key.rotate", keys.activeKid().orElse(null), "scheduled rotation");
            }
            keys.reload();
        } catch (RuntimeException e) {
            // Keep signing with what we have; the next interval tries again.
            LOG.log(System.Logger.Level.WARNING, "reloading signing keys failed", e);
        }
    }

    public FirstRun firstRun() { return new FirstRun(accounts, random); }

    public Accounts accounts() { return accounts; }

    public ApiKeys apiKeys() { return apiKeys; }

    public RuleAdmin rules() { return ruleAdmin; }

    public ManagedIdentities identities() { return managedIdentities; }

    public TrustAdmin trust() { return trustAdmin; }

    /** The IMDS listener's port once serving, or -1 when it is off. */
    public int imdsPort() { return imdsPort; }

    public KeyRing keys() { return keys; }

    public Revocation revocation() { return revocation; }

    /** Admin changes made from the CLI, recorded in the audit log as the local operator's. */
    public AdminAudit adminAudit() { return AdminAudit.operator(auditLog, clock); }

    /** Token events recorded outside a dialect (the CLI's token revoke). */
    public TokenAudit tokenAudit() { return tokenAudit; }

    public Engine engine() { return engine; }

    public Janitor janitor() { return janitor; }

    public String issuer() { return issuer; }

    public int port() { return port; }

    public JetonConfig config() { return config; }

    /**
     * Each core hashing a password keeps a work area of the full Argon2id memory cost on the
     * heap; the launcher's heap is sized for the default cost, so a higher one needs a bigger heap.
     */
    private void warnIfPasswordHashingOutgrowsTheHeap() {
        int cores = Runtime.getRuntime().availableProcessors();
        long areasMib = (long) cores * config.argon2MemoryKib() / 1024;
        long heapMib = Runtime.getRuntime().maxMemory() >> 20;
        if (areasMib > heapMib / 2) {
            LOG.log(System.Logger.Level.WARNING, "password hashing needs {0} MiB of a {1} MiB heap (argon2-memory-kib {2} on each of"
                    + " {3} cores): raise the heap, e.g. JETON_EXTRA_JAVA_OPTS=-Xmx{4}m", String.valueOf(areasMib), String.valueOf(heapMib),
                    String.valueOf(config.argon2MemoryKib()), String.valueOf(cores), String.valueOf(Math.max(96, areasMib * 3)));
        }
    }

    /** ACCP takes a third of a second to load, so it arrives after the listeners are up. */
    private void switchToNativeProvider() {
        CryptoProvider detected = CryptoProvider.detect();
        try {
            if (detected.provider() != null && !closed) keys.useProvider(detected);
            LOG.log(System.Logger.Level.INFO, "signing provider: {0}", detected.description());
        } catch (RuntimeException e) {
            // A server closed within those 0.3 s has closed its store too: nothing is left to switch.
            if (!closed) LOG.log(System.Logger.Level.WARNING, "signing stays on the JDK provider: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (server != null) server.close();
        if (keyReloader != null) keyReloader.shutdownNow();
        if (tlsReloader != null) tlsReloader.shutdownNow();
        janitor.close();
        // After the listener: every request that finished has recorded its event, and all of it is written.
        auditLog.close();
        store.close();
    }

    private static AuditLog openAuditLog(AuditConfig audit) {
        return switch (audit.sink()) {
            case FILE -> new AsyncAuditLog(new RotatingFile(audit.file(), audit.maxBytes(), audit.keep()), AUDIT_QUEUE);
            case STDOUT -> new AsyncAuditLog(StreamSink.stdout(), AUDIT_QUEUE);
            case OFF -> AuditLog.OFF;
        };
    }

    private static int freePort(String host) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + host, e);
        }
    }
}
