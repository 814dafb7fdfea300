package dev.jeton;

import dev.jeton.dialect.entra.EntraModule;
import dev.jeton.engine.federation.TokenExchangeGrant;
import dev.jeton.engine.federation.WorkloadAssertionGrant;
import dev.jeton.engine.imds.ManagedIdentityTokens;
import dev.jeton.engine.node.NodeCredentials;
import dev.jeton.engine.node.Nodes;
import dev.jeton.dialect.node.NodeApiDialect;

import dev.jeton.admin.AdminApi;
import dev.jeton.admin.AdminResource;
import dev.jeton.admin.ApiKeysResource;
import dev.jeton.admin.AuditResource;
import dev.jeton.admin.ClientsResource;
import dev.jeton.admin.GroupsResource;
import dev.jeton.admin.IdentitiesResource;
import dev.jeton.admin.NodesResource;
import dev.jeton.admin.RulesResource;
import dev.jeton.admin.SigningKeysResource;
import dev.jeton.admin.TokensResource;
import dev.jeton.admin.TrustPoliciesResource;
import dev.jeton.admin.UpstreamsResource;
import dev.jeton.admin.UsersResource;
import dev.jeton.admin.console.Console;
import dev.jeton.audit.AdminAudit;
import dev.jeton.config.AuditConfig;
import dev.jeton.config.JetonConfig;
import dev.jeton.config.LimitSettings;
import dev.jeton.config.Rate;
import dev.jeton.dialect.DialectContext;
import dev.jeton.dialect.DialectModule;
import dev.jeton.dialect.imds.ImdsDialect;
import dev.jeton.dialect.imds.ImdsModule;
import dev.jeton.dialect.oauth2.OAuth2Module;
import dev.jeton.dialect.occam.OccamModule;
import dev.jeton.dialect.registry.RegistryModule;
import dev.jeton.dialect.runai.RunaiModule;
import dev.jeton.engine.AccessTokens;
import dev.jeton.engine.ClientAuthenticator;
import dev.jeton.engine.Engine;
import dev.jeton.engine.EngineSettings;
import dev.jeton.engine.Grants;
import dev.jeton.engine.IdTokens;
import dev.jeton.engine.clientauth.ClientAssertions;
import dev.jeton.engine.clientauth.ClientJwks;
import dev.jeton.engine.Introspection;
import dev.jeton.engine.Janitor;
import dev.jeton.engine.TokenMinter;
import dev.jeton.engine.UserAuthenticator;
import dev.jeton.engine.UserInfoLookup;
import dev.jeton.engine.code.Authorizations;
import dev.jeton.engine.device.DeviceCodeGrant;
import dev.jeton.engine.device.DeviceFlow;
import dev.jeton.engine.session.BackChannelLogout;
import dev.jeton.engine.session.Consents;
import dev.jeton.engine.session.IdTokenHints;
import dev.jeton.engine.session.Logout;
import dev.jeton.engine.session.OidcSessions;
import dev.jeton.engine.session.SessionAudit;
import dev.jeton.engine.session.SignIn;
import dev.jeton.engine.code.LoginThrottle;
import dev.jeton.engine.grant.ApiKeyGrant;
import dev.jeton.engine.grant.AuthorizationCodeGrant;
import dev.jeton.engine.grant.ClientCredentialsGrant;
import dev.jeton.engine.grant.ExternalTokenGrant;
import dev.jeton.engine.grant.Issuing;
import dev.jeton.engine.grant.PasswordGrant;
import dev.jeton.engine.grant.RefreshGrant;
import dev.jeton.engine.imds.ImdsGrant;
import dev.jeton.engine.refresh.RefreshTokens;
import dev.jeton.engine.upstream.UpstreamSignIn;
import dev.jeton.engine.registry.RegistryExchangeGrant;
import dev.jeton.engine.registry.RegistryGrant;
import dev.jeton.engine.registry.RegistryPrincipals;
import dev.jeton.engine.registry.RegistryTokens;
import dev.jeton.federation.TrustedIssuers;
import dev.jeton.http.Bodies;
import dev.jeton.http.Dialect;
import dev.jeton.http.JetonServer;
import dev.jeton.http.OpenApiDocs;
import dev.jeton.http.RateLimit;
import dev.jeton.http.RateLimits;
import dev.jeton.http.SourceAddress;
import dev.jeton.http.TokenMetrics;
import dev.jeton.keys.KeyRing;
import dev.jeton.keys.SigningAlgorithm;
import dev.jeton.tls.CertificateRenewal;
import dev.jeton.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * Builds a server from the configuration, the only place that does: the listeners' ports, the
 * store and admin parts ({@link AdminWiring}), the engine over them, and at {@link #serve} the
 * dialects and the HTTP server. Building opens the store and the audit log but listens on
 * nothing and schedules nothing; {@link #serve} starts the listeners and the {@link Background}
 * jobs, {@link #close} stops them. CLI commands build an {@link AdminWiring} alone.
 */
public final class Wiring implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Wiring.class.getName());
    /** Every dialect a server speaks, in routing order: a new one is its package plus a line here. */
    private static final List<DialectModule> DIALECTS = List.of(new OAuth2Module(), new OccamModule(), new RegistryModule(),
            new RunaiModule(), new ImdsModule(), new EntraModule());

    private final JetonConfig config;
    private final Clock clock;
    private final Listeners listeners;
    private final String issuer;
    private final AdminWiring admin;
    private final Authorizations authorizations;
    private final DeviceFlow deviceFlow;
    private final OidcSessions oidc;
    private final Engine engine;
    private final UpstreamSignIn upstreamSignIn;
    private final Janitor janitor;
    private final Nodes nodes;
    private JetonServer server;
    private Background background;
    private List<CertificateRenewal> renewals = List.of();

    public Wiring(JetonConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.listeners = new Listeners(config, DIALECTS);
        this.issuer = config.issuerFor(listeners.port());
        this.admin = new AdminWiring(config, clock, issuer);
        Store store = admin.store();
        KeyRing keys = admin.keys();

        EngineSettings settings = new EngineSettings(issuer, config.accessTokenTtl(), config.refreshTokenTtl(),
                config.refreshFamilyTtl(), config.refreshGrace());
        // private_key_jwt: aud may name the issuer or any endpoint that authenticates clients (OIDC Core 9, RFC 7523 3).
        ClientAssertions assertions = new ClientAssertions(admin.clientDirectory(),
                new ClientJwks(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), clock, Duration.ofMinutes(1),
                        Duration.ofSeconds(5)),
                admin.sealedSecrets(), store.revocations(), Set.of(issuer, issuer + "/oidc/token", issuer + "/oidc/introspect", issuer + "/oidc/revoke"),
                Duration.ofMinutes(10), clock);
        ClientAuthenticator clients = new ClientAuthenticator(admin.clientDirectory(), assertions);
        LoginThrottle loginThrottle = new LoginThrottle(config.limits().loginFailureWindow(), config.limits().loginFailuresPerUser(),
                config.limits().loginFailuresPerAddress(), clock);
        UserAuthenticator userAuthenticator = new UserAuthenticator(store.users(), admin.hasher(), loginThrottle);
        RefreshTokens refresh = new RefreshTokens(store.refresh(), admin.random(), settings.refreshFamilyTtl(), settings.refreshGrace());
        Issuing issuing = new Issuing(clients, new Grants(settings), new TokenMinter(keys, admin.random(), issuer), refresh, clock);
        AccessTokens accessTokens = admin.accessTokens();
        RegistryTokens registryTokens = new RegistryTokens(keys, store.refresh(), admin.random(), issuer, config.registryAccessTokenTtl(),
                config.registryRefreshTokenTtl(), config.registryIdentityTokens().idle(), config.registryIdentityTokens().max());
        RegistryPrincipals registryPrincipals = new RegistryPrincipals(store.users(), admin.clientDirectory(), store.identities(),
                userAuthenticator, registryTokens, admin.random(), clock, admin.serverAudit(), admin.federation());
        IdTokens idTokens = new IdTokens(keys, issuer, admin.clientDirectory());
        ManagedIdentityTokens identityTokens = new ManagedIdentityTokens(keys, admin.random(), issuer);
        // RFC 8628 defaults: codes live 10 minutes, devices poll every 5 s. Wrong user codes: 20 per
        // address and 1000 from everywhere per 10 minutes, per instance.
        this.deviceFlow = new DeviceFlow(clients, issuing.grants(), userAuthenticator, store.devices(), admin.random(),
                new LoginThrottle(Duration.ofMinutes(10), 1000, 20, clock), admin.tokenAudit(), clock, Duration.ofMinutes(10),
                Duration.ofSeconds(5));
        this.authorizations = new Authorizations(store.clients(), userAuthenticator, store.codes(),
                admin.random(), clock, Duration.ofSeconds(60), admin.tokenAudit());
        this.oidc = oidcSessions(store, keys, idTokens);
        TrustedIssuers trustedIssuers = new TrustedIssuers(config.federation(), issuer,
                config.federationTrustSelf() ? accessTokens::verify : null);
        this.engine = new Engine(new Engine.TokenGrants(
                new ClientCredentialsGrant(issuing),
                new PasswordGrant(issuing, userAuthenticator),
                new RefreshGrant(issuing, store.users()),
                new ApiKeyGrant(issuing, store.apiKeys(), store.users()),
                new AuthorizationCodeGrant(issuing, store.codes(), store.users(), store.refresh(), store.revocations(), idTokens),
                new ExternalTokenGrant(issuing, trustedIssuers, admin.federation(), registryPrincipals),
                new RegistryGrant(registryPrincipals, admin.accessRules(), registryTokens, clock),
                new RegistryExchangeGrant(trustedIssuers, admin.federation(), registryPrincipals, registryTokens, clock),
                new ImdsGrant(admin.nodeIdentities(), identityTokens, config.imdsTokenTtl(), clock),
                new TokenExchangeGrant(new TokenExchangeGrant.Parts(clients, admin.clientDirectory(), store.identities(), admin.federation(),
                        accessTokens, registryPrincipals, issuing.grants(), issuing.minter(), identityTokens, config.imdsTokenTtl(), issuer,
                        clock)),
                new WorkloadAssertionGrant(admin.federation(), identityTokens, config.imdsTokenTtl(), issuing.grants(), issuing.minter(),
                        clock),
                new DeviceCodeGrant(issuing, store.devices(), store.users(), registryTokens, idTokens)),
                new Engine.TokenServices(clients, new Introspection(accessTokens, store.refresh(), issuer, clock), admin.revocation(),
                        new UserInfoLookup(accessTokens, store.users()), idTokens, keys),
                admin.tokenAudit());
        this.upstreamSignIn = new UpstreamSignIn(new UpstreamSignIn.Parts(store.upstreams(), admin.upstreams(), store.users(),
                admin.random(), new Lazy<>(() -> java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build())::get, clock,
                admin.tokenAudit(), admin.serverAudit(), issuer));
        this.janitor = new Janitor(store, clock);
        this.nodes = new Nodes(new NodeCredentials(store.nodes(), admin::federation, issuer, clock), store.nodes(), store.identities(),
                identityTokens, config.imdsTokenTtl(), admin.auditLog(), clock);
    }

    /** Login sessions, consent and logout of the authorization endpoint; every part keeps its state in the store. */
    private OidcSessions oidcSessions(Store store, KeyRing keys, IdTokens idTokens) {
        SessionAudit audit = new SessionAudit(admin.auditLog(), clock);
        Consents consents = new Consents(store.consents(), admin.relyingParties(), clock);
        IdTokenHints hints = new IdTokenHints(keys, issuer);
        BackChannelLogout backChannel = new BackChannelLogout(admin.relyingParties(), idTokens::signFor, issuer, admin.random(), clock,
                new Lazy<>(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()), audit);
        return new OidcSessions(admin.sessions(), new SignIn(consents, clock), consents, hints,
                new Logout(admin.sessions(), hints, store.clients(), admin.relyingParties(), backChannel, audit));
    }

    /**
     * Loads the listeners' TLS certificates (making the dev one when asked), so that a bad PEM
     * file fails the start with one clear sentence before anything is printed or served.
     */
    public void loadCertificates() {
        listeners.loadCertificates(issuer, clock.instant());
    }

    /**
     * Starts the server: makes the dialects' built-in clients, builds every dialect on the
     * listener it asked for, starts the listeners, then the background jobs.
     */
    public JetonServer serve() {
        loadCertificates();
        KeyRing keys = admin.keys();
        LOG.log(System.Logger.Level.INFO, "active signing key {0}", keys.activeKid().orElse("none"));
        background = new Background(config, keys, janitor, admin.serverAudit());
        background.warmUp();
        PrometheusRegistry registry = new PrometheusRegistry();
        List<String> algorithms = Arrays.stream(SigningAlgorithm.values()).map(Enum::name).toList();
        DialectContext context = new DialectContext(engine, authorizations, oidc, new Bodies(config.maxRequestBytes()), new TokenMetrics(registry),
                rateLimits(config.limits()), issuer, algorithms, clock, deviceFlow, upstreamSignIn);
        List<Dialect> publicDialects = new ArrayList<>();
        Map<String, Dialect> ownListener = new LinkedHashMap<>();
        for (DialectModule module : DIALECTS) {
            module.clients(config).forEach(admin.accounts()::ensureClient);
            // instanceof, not a pattern switch: its bootstrap would cost the start a few milliseconds in the interpreter.
            DialectModule.Listener listener = module.listener(config);
            if (listener instanceof DialectModule.Listener.Off) continue;
            Dialect dialect = module.dialect(context, config);
            if (listener instanceof DialectModule.Listener.Own) {
                ownListener.put(module.name(), dialect);
            } else {
                publicDialects.add(dialect);
            }
        }
        AdminApi adminApi = adminApi(context.bodies());
        publicDialects.add(adminApi);
        publicDialects.add(console(context.bodies()));
        OpenApiDocs docs = new OpenApiDocs(DIALECTS.stream().map(DialectModule::name).toList(), List.of(adminApi.name()));
        // The node agents' API: not a dialect of a foreign service, so no module and no OpenAPI document (docs/fleet.md).
        publicDialects.add(new NodeApiDialect(nodes, context.bodies()));
        server = new JetonServer(listeners.publicSettings(context.limits()), publicDialects, listeners.sideListeners(ownListener),
                () -> admin.store().healthy() && keys.activeKid().isPresent(), registry, docs).start();
        renewals = listeners.renewals(server, clock);
        background.start(renewals);
        return server;
    }

    /**
     * The admin API over the same changes as the CLI, in the name of each token's subject. Every
     * kind of resource it serves is one line here.
     */
    private AdminApi adminApi(Bodies bodies) {
        List<AdminResource> resources = List.of(
                new UsersResource(admin.accounts()),
                new GroupsResource(admin.accounts(), admin.rules()),
                new ClientsResource(admin.accounts(), admin.oidc()),
                new ApiKeysResource(admin.apiKeys(), admin.accounts()),
                new IdentitiesResource(admin.identities()),
                new TrustPoliciesResource(admin.trust()),
                new NodesResource(admin.nodes()),
                new UpstreamsResource(admin.upstreams(), issuer + dev.jeton.engine.upstream.UpstreamSignIn.CALLBACK_PATH),
                new RulesResource(admin.rules()),
                new SigningKeysResource(admin.keys(), config.signingAlgorithm()),
                new TokensResource(),
                new AuditResource(config.audit().sink() == AuditConfig.Sink.FILE ? config.audit().file() : null));
        return new AdminApi(resources, admin.accessTokens(), issuer, new ApiChanges(admin, clock), bodies, admin.auditLog(), clock);
    }

    /** The web console (docs/console.md): its own public client, then pages over the same changes, recorded as the signed-in user's. */
    private Console console(Bodies bodies) {
        admin.accounts().ensureClient(Console.client(issuer));
        return new Console(new Console.Parts(engine, issuer, admin.accounts(), admin.identities(), admin.nodes(), admin.rules(),
                config.audit().sink() == AuditConfig.Sink.FILE ? config.audit().file() : null, admin.apiKeys(), admin.keys(), config.signingAlgorithm(),
                admin::trust, admin::upstreams, admin::oidc),
                user -> admin.changesBy(new AdminAudit(admin.auditLog(), clock, "console", user, "console_user")), bodies, admin.auditLog(), clock);
    }

    /** Looks at the TLS files once, as the reload thread does every {@code tls-reload-interval}; tests call it instead of waiting. */
    public void checkCertificates() {
        renewals.forEach(CertificateRenewal::check);
    }

    private RateLimits rateLimits(LimitSettings limits) {
        return new RateLimits(rateLimit(limits.perClient()), rateLimit(limits.perSource()), SourceAddress.trusting(limits.trustedProxies()));
    }

    private RateLimit rateLimit(Rate rate) {
        return rate == null ? null : new RateLimit(rate.count(), rate.period(), clock);
    }

    /** The store and the operator's operations on it: accounts, rules, identities, keys, revocation, first run. */
    public AdminWiring admin() { return admin; }

    public Engine engine() { return engine; }

    public Janitor janitor() { return janitor; }

    /** What the node API calls: enrolment and tokens for proven nodes. */
    public Nodes nodes() { return nodes; }

    public String issuer() { return issuer; }

    public JetonConfig config() { return config; }

    /** The public listener, and the dialects' own ones, with the start-up line of each. */
    public Listeners listeners() { return listeners; }

    /** The public listener's port. */
    public int port() { return listeners.port(); }

    /** Where the public listener answers, such as https://127.0.0.1:8443. */
    public String baseUrl() { return listeners.baseUrl(); }

    /** The IMDS listener's port, or -1 when it is off. */
    public int imdsPort() { return listeners.port(ImdsDialect.NAME); }

    /** Where the IMDS listener answers, such as http://127.0.0.1:8081. */
    public String imdsUrl() { return listeners.url(ImdsDialect.NAME); }

    /** The dev TLS certificate a client should trust, or null without {@code dev-tls}. */
    public Path devCertificate() { return listeners.devCertificate(); }

    @Override
    public void close() {
        if (background != null) background.close();
        if (server != null) server.close();
        // After the listener: every request that finished has recorded its event, and all of it is written.
        admin.close();
    }
}
