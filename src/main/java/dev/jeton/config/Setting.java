package dev.jeton.config;

/**
 * Every setting Jeton reads, with its file key, environment variable and default. Precedence:
 * command-line flag, then environment, then the config file, then the default here.
 */
public enum Setting {
    DATA_DIR("data-dir", "JETON_DATA_DIR", "./jeton-data", "directory of the SQLite database, master key file and config file"),
    STORE("store", "JETON_STORE", "", "where data lives: empty for SQLite in DATA_DIR/jeton.db, sqlite:PATH, or postgresql://user@host:port/db (password in the URL, JETON_STORE_PASSWORD or store-password-file)"),
    STORE_PASSWORD_FILE("store-password-file", "JETON_STORE_PASSWORD_FILE", "", "file holding the PostgreSQL password"),
    STORE_POOL_SIZE("store-pool-size", "JETON_STORE_POOL_SIZE", "10", "PostgreSQL connections per instance"),
    HOST("host", "JETON_HOST", "127.0.0.1", "address the HTTP listener binds"),
    PORT("port", "JETON_PORT", "8080", "port of the HTTP listener (0 picks a free one)"),
    ISSUER("issuer", "JETON_ISSUER", "", "the iss of every token and the base of discovery; empty means http://HOST:PORT (https:// when the public listener serves TLS)"),
    SIGNING_ALGORITHM("signing-algorithm", "JETON_SIGNING_ALGORITHM", "ES256", "algorithm of access and registry tokens: ES256, RS256 or EdDSA (ID tokens: RS256 unless the client registered ES256)"),
    ACCESS_TOKEN_TTL("access-token-ttl", "JETON_ACCESS_TOKEN_TTL", "15m", "lifetime of access tokens unless the client sets its own"),
    REFRESH_TOKEN_TTL("refresh-token-ttl", "JETON_REFRESH_TOKEN_TTL", "30d", "lifetime of each refresh token unless the client sets its own"),
    REFRESH_FAMILY_TTL("refresh-family-ttl", "JETON_REFRESH_FAMILY_TTL", "90d", "absolute lifetime of a refresh family, however often it rotates"),
    REFRESH_GRACE("refresh-grace", "JETON_REFRESH_GRACE", "0s", "how long the predecessor of a rotated refresh token may be retried instead of counting as reuse"),
    OCCAM_REUSE_REVOKES_FAMILY("occam-reuse-revokes-family", "JETON_OCCAM_REUSE_REVOKES_FAMILY", "true", "Occam dialect: reuse of a used refresh token revokes its whole family (false: only that token is refused, as the original service does)"),
    REGISTRY_ACCESS_TOKEN_TTL("registry-access-token-ttl", "JETON_REGISTRY_ACCESS_TOKEN_TTL", "5m", "lifetime of registry access tokens (Docker requires at least 60s)"),
    REGISTRY_REFRESH_TOKEN_TTL("registry-refresh-token-ttl", "JETON_REGISTRY_REFRESH_TOKEN_TTL", "3h", "lifetime of registry refresh tokens (ACR's is 3h)"),
    REGISTRY_IDENTITY_TOKEN_IDLE_TTL("registry-identity-token-idle-ttl", "JETON_REGISTRY_IDENTITY_TOKEN_IDLE_TTL", "30d", "a docker login's identity token (offline_token with a password or app secret) ends after this long unused; each use extends it"),
    REGISTRY_IDENTITY_TOKEN_MAX_TTL("registry-identity-token-max-ttl", "JETON_REGISTRY_IDENTITY_TOKEN_MAX_TTL", "90d", "a docker login's identity token ends this long after the login, however often it is used"),
    RECHECK_INTERVAL("recheck-interval", "JETON_RECHECK_INTERVAL", "500ms", "how soon a server sees clients, access rules, managed identities and trust policies changed by another process (each cache reads one change counter this often)"),
    FEDERATION_TRUST_SELF("federation-trust-self", "JETON_FEDERATION_TRUST_SELF", "true", "accept Jeton's own tokens at /oauth2/exchange (in addition to federation.NAME.* issuers)"),
    NODE("node", "JETON_NODE", "", "the node whose managed identities this instance's IMDS listener serves; empty means the host name"),
    IMDS_HOST("imds-host", "JETON_IMDS_HOST", "127.0.0.1", "address of the node-local IMDS listener (e.g. 169.254.169.254 on a node)"),
    IMDS_PORT("imds-port", "JETON_IMDS_PORT", "8081", "port of the IMDS listener (80 on a node; 0 picks a free one; -1 turns it off)"),
    IMDS_TOKEN_TTL("imds-token-ttl", "JETON_IMDS_TOKEN_TTL", "1h", "lifetime of managed identity tokens (cached until 5 minutes before expiry)"),
    IMDS_RATE("imds-rate", "JETON_IMDS_RATE", "20", "IMDS requests per second per node, as Azure's limit"),
    IMDS_CONCURRENCY("imds-concurrency", "JETON_IMDS_CONCURRENCY", "5", "IMDS requests in flight at once per node, as Azure's limit"),
    IMDS_IDENTITIES("imds-identities", "JETON_IMDS_IDENTITIES", "*", "comma-separated names of the node's identities IMDS may hand out (to any local process); * for all of them"),
    ARC("arc", "JETON_ARC", "false", "also serve Azure Arc's managed identity endpoint on the IMDS listener, at /arc/metadata/identity/oauth2/token (set IDENTITY_ENDPOINT to it and IMDS_ENDPOINT to anything); only processes that can read arc-key-dir get tokens"),
    ARC_KEY_DIR("arc-key-dir", "JETON_ARC_KEY_DIR", "/var/opt/azcmagent/tokens", "where Arc's challenge key files are written (0600; the directory is made 0700 when missing); the Azure SDKs on Linux read them only from /var/opt/azcmagent/tokens"),
    ARC_KEY_TTL("arc-key-ttl", "JETON_ARC_KEY_TTL", "30s", "how long an Arc challenge's key file may be answered; it is deleted when used or expired"),
    ARC_IDENTITIES("arc-identities", "JETON_ARC_IDENTITIES", "*", "comma-separated names of the node's identities Arc's endpoint may hand out; * for all of them"),
    APP_SERVICE("app-service", "JETON_APP_SERVICE", "false", "also serve App Service's managed identity endpoint on the IMDS listener, at /msi/token (set IDENTITY_ENDPOINT to it and IDENTITY_HEADER to the secret); only holders of the secret get tokens"),
    APP_SERVICE_SECRET_FILE("app-service-secret-file", "JETON_APP_SERVICE_SECRET_FILE", "", "file holding App Service's X-IDENTITY-HEADER secret (at least 16 characters); empty means DATA_DIR/app-service.secret; made (0600, random) when missing"),
    APP_SERVICE_IDENTITIES("app-service-identities", "JETON_APP_SERVICE_IDENTITIES", "*", "comma-separated names of the node's identities App Service's endpoint may hand out; * for all of them"),
    KEY_RETIRE_AFTER("key-retire-after", "JETON_KEY_RETIRE_AFTER", "1d", "how long a rotated-out key stays in the JWKS"),
    KEY_ROTATION_INTERVAL("key-rotation-interval", "JETON_KEY_ROTATION_INTERVAL", "0s", "rotate signing keys this often (0s: only by 'jeton key rotate'); with many instances exactly one rotates"),
    KEY_RELOAD_INTERVAL("key-reload-interval", "JETON_KEY_RELOAD_INTERVAL", "10s", "how often a server re-reads keys rotated by another process"),
    MASTER_KEY_FILE("master-key-file", "JETON_MASTER_KEY_FILE", "", "file holding the base64 AES-256 key that encrypts signing keys; empty means DATA_DIR/master.key (JETON_MASTER_KEY, when set, wins)"),
    HEADLESS("headless", "JETON_HEADLESS", "false", "for a container or a service, whose output is collected: the first start prints no secret and makes no demo client (the admin comes from first-admin-password-file, when set), and the master key must be given (JETON_MASTER_KEY, or an existing master-key-file) instead of made"),
    FIRST_ADMIN_PASSWORD_FILE("first-admin-password-file", "JETON_FIRST_ADMIN_PASSWORD_FILE", "", "file (a mounted secret) holding the password of the admin user made on the first start; when set, no demo client is made and no secret is printed"),
    ARGON2_MEMORY_KIB("argon2-memory-kib", "JETON_ARGON2_MEMORY_KIB", "19456", "Argon2id memory cost for new password hashes"),
    ARGON2_ITERATIONS("argon2-iterations", "JETON_ARGON2_ITERATIONS", "2", "Argon2id time cost for new password hashes"),
    ARGON2_PARALLELISM("argon2-parallelism", "JETON_ARGON2_PARALLELISM", "1", "Argon2id lanes for new password hashes"),
    MAX_REQUEST_BYTES("max-request-bytes", "JETON_MAX_REQUEST_BYTES", "65536", "largest request body accepted (413 above)"),
    REQUEST_TIMEOUT("request-timeout", "JETON_REQUEST_TIMEOUT", "10s", "how long a client may take to send its request"),
    JANITOR_INTERVAL("janitor-interval", "JETON_JANITOR_INTERVAL", "5m", "how often expired rows are deleted"),
    ACCESS_LOG("access-log", "JETON_ACCESS_LOG", "true", "log one line per request (method, path, status, time; never a query or body)"),
    TLS_CERT_FILE("tls-cert-file", "JETON_TLS_CERT_FILE", "", "PEM certificate chain (server certificate first) of the public listener; with tls-key-file it serves HTTPS only"),
    TLS_KEY_FILE("tls-key-file", "JETON_TLS_KEY_FILE", "", "PEM private key (PKCS#8, PKCS#1 RSA or EC, unencrypted) of tls-cert-file"),
    DEV_TLS("dev-tls", "JETON_DEV_TLS", "false", "serve HTTPS with a self-signed certificate for localhost, 127.0.0.1 and HOST, made once in DATA_DIR/dev-tls-cert.pem (for development; not with tls-cert-file)"),
    IMDS_TLS_CERT_FILE("imds-tls-cert-file", "JETON_IMDS_TLS_CERT_FILE", "", "PEM certificate chain of the IMDS listener; empty keeps it plain HTTP, as Azure's IMDS and its SDKs expect"),
    IMDS_TLS_KEY_FILE("imds-tls-key-file", "JETON_IMDS_TLS_KEY_FILE", "", "PEM private key of imds-tls-cert-file"),
    HSTS_MAX_AGE("hsts-max-age", "JETON_HSTS_MAX_AGE", "365d", "max-age of the Strict-Transport-Security header on TLS listeners (0s tells browsers to forget it)"),
    TLS_RELOAD_INTERVAL("tls-reload-interval", "JETON_TLS_RELOAD_INTERVAL", "1m", "how often the TLS certificate and key files are checked, and a renewed pair served without a restart (0s: read only at start)"),
    AUDIT_LOG("audit-log", "JETON_AUDIT_LOG", "file", "where the audit log (one JSON line per token issued, refused, refreshed or revoked and per admin change) goes: file, stdout or off"),
    AUDIT_FILE("audit-file", "JETON_AUDIT_FILE", "", "the audit log file; empty means DATA_DIR/audit.log (give each instance its own)"),
    AUDIT_MAX_SIZE("audit-max-size", "JETON_AUDIT_MAX_SIZE", "64m", "size at which the audit file is rotated (FILE.1, FILE.2...): bytes, or with k, m or g"),
    AUDIT_KEEP("audit-keep", "JETON_AUDIT_KEEP", "10", "how many rotated audit files are kept"),
    MAX_HEADER_BYTES("max-header-bytes", "JETON_MAX_HEADER_BYTES", "16384", "largest header section of a request (431 above; the request line may have 8192 bytes, 414 above)"),
    IDLE_TIMEOUT("idle-timeout", "JETON_IDLE_TIMEOUT", "60s", "how long an idle keep-alive connection stays open"),
    RATE_LIMIT_CLIENT("rate-limit-client", "JETON_RATE_LIMIT_CLIENT", "off", "requests per client id or user name, as N/s, N/m or N/h: a bucket of N refilled over the period (429 beyond); off: no limit"),
    RATE_LIMIT_SOURCE("rate-limit-source", "JETON_RATE_LIMIT_SOURCE", "off", "requests per source address to the token APIs, as N/s, N/m or N/h (429 beyond); off: no limit"),
    TRUSTED_PROXIES("trusted-proxies", "JETON_TRUSTED_PROXIES", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client; empty: the header is ignored"),
    LOGIN_FAILURES_PER_USER("login-failures-per-user", "JETON_LOGIN_FAILURES_PER_USER", "5", "failed password logins per user name within login-failure-window before its logins are refused (429); 0: no limit"),
    LOGIN_FAILURES_PER_ADDRESS("login-failures-per-address", "JETON_LOGIN_FAILURES_PER_ADDRESS", "50", "failed password logins per source address within login-failure-window before its logins are refused (429); 0: no limit"),
    LOGIN_FAILURE_WINDOW("login-failure-window", "JETON_LOGIN_FAILURE_WINDOW", "5m", "the window that counts failed logins, from the first failure; a throttled user or address waits until it ends");

    private final String key;
    private final String env;
    private final String defaultValue;
    private final String description;

    Setting(String key, String env, String defaultValue, String description) {
        this.key = key;
        this.env = env;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() { return key; }

    public String env() { return env; }

    public String defaultValue() { return defaultValue; }

    public String description() { return description; }

    public static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) return s;
        }
        return null;
    }
}
