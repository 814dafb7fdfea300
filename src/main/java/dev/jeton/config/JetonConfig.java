package dev.jeton.config;

import dev.jeton.config.ConfigLoader.Sourced;
import dev.jeton.keys.SigningAlgorithm;
import dev.jeton.model.Secret;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.jeton.federation.TrustedIssuer;

/** The effective configuration, typed and validated once. {@code masterKey} and {@code storePassword} are never printed. */
public record JetonConfig(
        Path dataDir,
        String store,
        Secret storePassword,
        int storePoolSize,
        String host,
        int port,
        String issuer,
        SigningAlgorithm signingAlgorithm,
        Duration accessTokenTtl,
        Duration refreshTokenTtl,
        Duration refreshFamilyTtl,
        Duration refreshGrace,
        boolean occamReuseRevokesFamily,
        Duration registryAccessTokenTtl,
        Duration registryRefreshTokenTtl,
        Duration recheckInterval,
        boolean federationTrustSelf,
        List<TrustedIssuer> federation,
        String node,
        String imdsHost,
        int imdsPort,
        Duration imdsTokenTtl,
        int imdsRate,
        int imdsConcurrency,
        Duration keyRetireAfter,
        Duration keyRotationInterval,
        Duration keyReloadInterval,
        Path masterKeyFile,
        String masterKey,
        int argon2MemoryKib,
        int argon2Iterations,
        int argon2Parallelism,
        long maxRequestBytes,
        Duration requestTimeout,
        Duration janitorInterval,
        boolean accessLog,
        TlsFiles tls,
        boolean devTls,
        TlsFiles imdsTls,
        Duration hstsMaxAge,
        Duration tlsReloadInterval,
        LimitSettings limits,
        Map<Setting, Sourced> sources) {

    static JetonConfig from(Map<Setting, Sourced> v, String masterKey, String storePasswordEnv, List<TrustedIssuer> federation) {
        Path dataDir = Path.of(get(v, Setting.DATA_DIR));
        String masterFile = get(v, Setting.MASTER_KEY_FILE);
        int port = integer(v, Setting.PORT);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535, not " + port);
        TlsFiles tls = TlsFiles.of(get(v, Setting.TLS_CERT_FILE), get(v, Setting.TLS_KEY_FILE), Setting.TLS_CERT_FILE, Setting.TLS_KEY_FILE);
        boolean devTls = bool(v, Setting.DEV_TLS);
        if (devTls && tls != null) {
            throw new IllegalArgumentException("dev-tls makes its own certificate: leave tls-cert-file and tls-key-file empty, or turn dev-tls off");
        }
        return new JetonConfig(
                dataDir,
                get(v, Setting.STORE),
                storePassword(v, storePasswordEnv),
                integer(v, Setting.STORE_POOL_SIZE),
                get(v, Setting.HOST),
                port,
                get(v, Setting.ISSUER),
                SigningAlgorithm.parse(get(v, Setting.SIGNING_ALGORITHM)),
                duration(v, Setting.ACCESS_TOKEN_TTL),
                duration(v, Setting.REFRESH_TOKEN_TTL),
                duration(v, Setting.REFRESH_FAMILY_TTL),
                duration(v, Setting.REFRESH_GRACE),
                Boolean.parseBoolean(get(v, Setting.OCCAM_REUSE_REVOKES_FAMILY)),
                registryAccessTtl(v),
                duration(v, Setting.REGISTRY_REFRESH_TOKEN_TTL),
                duration(v, Setting.RECHECK_INTERVAL),
                Boolean.parseBoolean(get(v, Setting.FEDERATION_TRUST_SELF)),
                federation,
                get(v, Setting.NODE).isEmpty() ? hostName() : get(v, Setting.NODE),
                get(v, Setting.IMDS_HOST),
                integer(v, Setting.IMDS_PORT),
                duration(v, Setting.IMDS_TOKEN_TTL),
                integer(v, Setting.IMDS_RATE),
                integer(v, Setting.IMDS_CONCURRENCY),
                duration(v, Setting.KEY_RETIRE_AFTER),
                duration(v, Setting.KEY_ROTATION_INTERVAL),
                duration(v, Setting.KEY_RELOAD_INTERVAL),
                masterFile.isEmpty() ? dataDir.resolve("master.key") : Path.of(masterFile),
                masterKey,
                integer(v, Setting.ARGON2_MEMORY_KIB),
                integer(v, Setting.ARGON2_ITERATIONS),
                integer(v, Setting.ARGON2_PARALLELISM),
                integer(v, Setting.MAX_REQUEST_BYTES),
                duration(v, Setting.REQUEST_TIMEOUT),
                duration(v, Setting.JANITOR_INTERVAL),
                Boolean.parseBoolean(get(v, Setting.ACCESS_LOG)),
                tls,
                devTls,
                TlsFiles.of(get(v, Setting.IMDS_TLS_CERT_FILE), get(v, Setting.IMDS_TLS_KEY_FILE),
                        Setting.IMDS_TLS_CERT_FILE, Setting.IMDS_TLS_KEY_FILE),
                duration(v, Setting.HSTS_MAX_AGE),
                duration(v, Setting.TLS_RELOAD_INTERVAL),
                LimitSettings.from(v),
                Map.copyOf(v)).validated();
    }

    /** Settings read on demand are checked here once, so a typo fails at start, not at first use. */
    private JetonConfig validated() {
        audit();
        managedIdentityEndpoints();
        registryIdentityTokens();
        firstStart();
        return this;
    }

    /** Lifetimes of registry login identity tokens (derived from the sources, like {@link #audit()}). */
    public IdentityTokenSettings registryIdentityTokens() {
        return IdentityTokenSettings.from(sources);
    }

    /** Arc's and App Service's endpoints beside IMDS (derived from the sources, like {@link #audit()}). */
    public ManagedIdentityEndpointSettings managedIdentityEndpoints() {
        return ManagedIdentityEndpointSettings.from(sources, dataDir);
    }

    /** The audit log's sink and rotation (derived from the sources, so other settings keep their places). */
    public AuditConfig audit() {
        return AuditConfig.from(sources, dataDir);
    }

    /** What the first start makes and prints, and whether the master key may be made (derived from the sources). */
    public FirstStart firstStart() {
        return FirstStart.from(sources);
    }

    /** The SQLite file: {@code sqlite:PATH} from {@code store}, else DATA_DIR/jeton.db. */
    public Path databaseFile() {
        return store.startsWith("sqlite:") ? Path.of(store.substring("sqlite:".length())) : dataDir.resolve("jeton.db");
    }

    private static Secret storePassword(Map<Setting, Sourced> v, String fromEnv) {
        if (fromEnv != null && !fromEnv.isEmpty()) return new Secret(fromEnv);
        String file = get(v, Setting.STORE_PASSWORD_FILE);
        if (file.isEmpty()) return null;
        try {
            return new Secret(java.nio.file.Files.readString(Path.of(file)).trim());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read store-password-file " + file);
        }
    }

    /** Whether the public listener serves HTTPS (with configured files or the dev certificate). */
    public boolean publicTls() { return tls != null || devTls; }

    /** The issuer as configured, or derived from the address the server actually listens on. */
    public String issuerFor(int boundPort) {
        if (!issuer.isEmpty()) return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return (publicTls() ? "https://" : "http://") + host + ":" + boundPort;
    }

    private static String get(Map<Setting, Sourced> v, Setting s) { return v.get(s).value(); }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private static Duration registryAccessTtl(Map<Setting, Sourced> v) {
        Duration d = duration(v, Setting.REGISTRY_ACCESS_TOKEN_TTL);
        if (d.toSeconds() < 60) throw new IllegalArgumentException("registry-access-token-ttl must be at least 60s (Docker's minimum)");
        return d;
    }

    private static boolean bool(Map<Setting, Sourced> v, Setting s) {
        String value = get(v, s);
        if (value.equalsIgnoreCase("true")) return true;
        if (value.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException(s.key() + " must be true or false, not '" + value + "'");
    }

    static int integer(Map<Setting, Sourced> v, Setting s) {
        try {
            return Integer.parseInt(get(v, s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(s.key() + " must be a whole number, not '" + get(v, s) + "'");
        }
    }

    static Duration duration(Map<Setting, Sourced> v, Setting s) {
        try {
            return Durations.parse(get(v, s));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(s.key() + ": " + e.getMessage());
        }
    }
}
