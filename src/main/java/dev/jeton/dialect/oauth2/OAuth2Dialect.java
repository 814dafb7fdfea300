package dev.jeton.dialect.oauth2;

import dev.jeton.engine.Engine;
import dev.jeton.engine.code.Authorizations;
import dev.jeton.engine.device.DeviceFlow;
import dev.jeton.engine.upstream.UpstreamSignIn;
import dev.jeton.engine.session.OidcSessions;
import dev.jeton.http.Bodies;
import dev.jeton.http.ClientAuthReader;
import dev.jeton.http.Dialect;
import dev.jeton.http.ErrorWriter;
import dev.jeton.http.RateLimits;
import dev.jeton.http.Form;
import dev.jeton.http.Origins;
import dev.jeton.http.Responses;
import dev.jeton.http.TokenMetrics;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.Issued;
import dev.jeton.model.Reason;
import dev.jeton.model.Scopes;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenRequest;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.jeton.http.Guard.guard;

/**
 * Standard OAuth 2.0 and OpenID Connect: discovery, JWKS, token, introspection, revocation,
 * userinfo. Paths live under {@code /oidc/} so they never collide with the registry
 * dialect's {@code /oauth2/token}; discovery tells clients where they are.
 */
public final class OAuth2Dialect implements Dialect {
    static final String NAME = "oauth2";
    static final String TOKEN = "/oidc/token";
    static final String JWKS = "/oidc/jwks";
    static final String INTROSPECT = "/oidc/introspect";
    static final String REVOKE = "/oidc/revoke";
    static final String USERINFO = "/oidc/userinfo";
    static final String AUTHORIZE = "/oidc/authorize";
    static final String DEVICE_AUTHORIZATION = "/oidc/device_authorization";
    static final String DEVICE = "/oidc/device";
    static final String DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";
    static final String LOGOUT = "/oidc/logout";
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String ISSUED_ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

    private final Engine engine;
    private final Bodies bodies;
    private final TokenMetrics metrics;
    private final RateLimits limits;
    private final OAuth2Errors errors = new OAuth2Errors();
    private static final java.util.regex.Pattern TENANT = java.util.regex.Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final byte[] discovery;
    private final String issuer;
    private final List<String> signingAlgorithms;

    private final AuthorizeEndpoint authorize;
    private final DeviceFlow devices;
    private final DeviceVerification deviceVerification;
    private final UpstreamPages upstreamPages;
    private final LogoutEndpoint logout;

    public OAuth2Dialect(Engine engine, Authorizations authorizations, OidcSessions oidc, Bodies bodies, TokenMetrics metrics,
                         RateLimits limits, String issuer, List<String> signingAlgorithms, DeviceFlow devices, UpstreamSignIn upstreams) {
        this.devices = devices;
        this.deviceVerification = new DeviceVerification(devices, bodies, limits, issuer, upstreams, new UpstreamPages(upstreams, issuer));
        this.engine = engine;
        this.limits = limits;
        this.authorize = new AuthorizeEndpoint(authorizations, oidc, bodies, limits, issuer, upstreams);
        this.upstreamPages = new UpstreamPages(upstreams, issuer);
        this.logout = new LogoutEndpoint(oidc, bodies, limits, issuer);
        this.bodies = bodies;
        this.metrics = metrics;
        this.issuer = issuer;
        this.signingAlgorithms = signingAlgorithms;
        this.discovery = discoveryFor(issuer);
    }

    /** Every endpoint stays under the main issuer; only {@code issuer} differs for a tenant. */
    private byte[] discoveryFor(String documentIssuer) {
        List<String> authMethods = List.of("client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt");
        // What ClientAssertions accepts: HMAC for client_secret_jwt, the others for private_key_jwt.
        List<String> assertionAlgs = List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                "ES256", "ES384", "ES512", "EdDSA");
        return dev.jeton.http.Json.bytes(new OAuth2Wire.Discovery(documentIssuer, issuer + AUTHORIZE, issuer + TOKEN, issuer + JWKS,
                issuer + INTROSPECT, issuer + REVOKE, issuer + USERINFO,
                List.of("openid", "profile", "email"),
                List.of("authorization_code", "client_credentials", "password", "refresh_token", TOKEN_EXCHANGE, DEVICE_CODE),
                List.of("code"), List.of("query", "fragment", "form_post"), List.of("S256"),
                List.of("public"), List.of("RS256", "ES256"),
                authMethods, assertionAlgs, authMethods, assertionAlgs, authMethods, assertionAlgs,
                // ID token, userinfo (by scope) and access token claims.
                List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "azp", "at_hash", "amr", "acr", "sid",
                        "name", "given_name", "family_name", "preferred_username", "email", "email_verified", "groups",
                        "nbf", "jti", "scope", "client_id", "tid", "oid", "appid", "xms_mirid"),
                false, false, false,
                // RFC 9207: iss is on every successful answer, but not on error redirects (mod_auth_openidc 2.4
                // takes an iss there for a third-party-initiated login and never shows the error). A server
                // that advertised the parameter would owe it on errors too, so discovery says false.
                false,
                issuer + DEVICE_AUTHORIZATION,
                issuer + LOGOUT, true, true, false));
    }

    @Override
    public String name() { return NAME; }

    @Override
    public ErrorWriter errors() { return errors; }

    @Override
    public List<String> paths() { return List.of("/oidc/", "/.well-known/"); }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/.well-known/openid-configuration", this::discovery)
                .get("/.well-known/oauth-authorization-server", this::discovery)
                .get("/{tenant}/.well-known/openid-configuration", this::tenantDiscovery)
                .get(JWKS, this::jwks)
                .get("/.well-known/jwks.json", this::jwks)
                .get(AUTHORIZE, guard(errors, authorize::show))
                .post(AUTHORIZE, guard(errors, authorize::submit))
                .get(UpstreamSignIn.CALLBACK_PATH, guard(errors, upstreamPages::callback))
                .get(UpstreamPages.START + "{name}", guard(errors, upstreamPages::start))
                .get(ResponseMode.SCRIPT_PATH, this::formPostScript)
                .get(LOGOUT, guard(errors, logout::handle))
                .post(LOGOUT, guard(errors, logout::handle))
                .post(TOKEN, guard(errors, this::token))
                .post(DEVICE_AUTHORIZATION, guard(errors, this::deviceAuthorization))
                .get(DEVICE, guard(errors, deviceVerification::show))
                .post(DEVICE, guard(errors, deviceVerification::submit))
                .post(INTROSPECT, guard(errors, this::introspect))
                .post(REVOKE, guard(errors, this::revoke))
                .get(USERINFO, guard(errors, this::userinfo))
                .post(USERINFO, guard(errors, this::userinfo));
        for (String postOnly : List.of(TOKEN, INTROSPECT, REVOKE, DEVICE_AUTHORIZATION)) {
            rules.any(postOnly, guard(errors, methodNotAllowed("POST")));
        }
    }

    private void discovery(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
        res.send(discovery);
    }

    /**
     * Managed identity tokens carry a per-tenant issuer ({@code ISSUER/TENANT}), as Entra ID's
     * do; a resource server finds their keys through this document.
     */
    private void tenantDiscovery(ServerRequest req, ServerResponse res) {
        String tenant = req.path().pathParameters().get("tenant");
        if (!TENANT.matcher(tenant).matches()) {
            Responses.json(res, 404, new OAuth2Wire.ErrorResponse("invalid_request", "no such tenant"));
            return;
        }
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
        res.send(discoveryFor(issuer + "/" + tenant));
    }

    /** The one line that submits a form_post page: a file of its own so the page's CSP needs no inline script. */
    private void formPostScript(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.create("Content-Type", "text/javascript; charset=utf-8"));
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=86400");
        res.send(ResponseMode.SCRIPT);
    }

    private void jwks(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.create("Content-Type", "application/jwk-set+json"));
        // Short: a verifier must see a freshly published NEXT key well before it signs.
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
        res.send(engine.publishedKeys().getBytes(StandardCharsets.UTF_8));
    }

    private void token(ServerRequest req, ServerResponse res) {
        Form form = bodies.form(req);
        ClientAuth client = ClientAuthReader.read(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null), form);
        String grantType = form.single("grant_type");
        if (grantType == null) throw Failure.invalidRequest("grant_type", "grant_type is required");
        // A client with a secret is counted as itself; a public client is shared, so its users count one by one.
        limits.checkClient(client.secret() != null ? client.clientId() : grantType.equals("password") ? form.single("username") : null);
        TokenRequest request = switch (grantType) {
            case "client_credentials" -> new TokenRequest.ClientCredentials(NAME, client, Scopes.parse(form.single("scope")),
                    audience(form));
            case "password" -> new TokenRequest.Password(NAME, client, required(form, "username"),
                    new Secret(required(form, "password")), Scopes.parse(form.single("scope")), audience(form), limits.source(req));
            case "refresh_token" -> new TokenRequest.Refresh(NAME, client, new Secret(required(form, "refresh_token")),
                    Scopes.parse(form.single("scope")));
            case "authorization_code" -> new TokenRequest.AuthorizationCode(NAME, client, new Secret(required(form, "code")),
                    form.single("redirect_uri"), form.single("code_verifier"));
            case DEVICE_CODE -> new TokenRequest.DeviceCode(NAME, client, secretOrNull(form.single("device_code")));
            case TOKEN_EXCHANGE -> new TokenRequest.TokenExchange(NAME, client, secretOrNull(form.single("subject_token")),
                    form.single("subject_token_type"), form.single("requested_token_type"), form.single("audience"),
                    form.single("resource"), Scopes.parse(form.single("scope")));
            default -> throw Failure.unsupportedGrant("grant_type '" + printable(grantType) + "' is not supported");
        };
        Issued issued = metrics.measure(NAME, request.grant(), () -> engine.issue(request, Origins.of(req)));
        Responses.noStore(res);
        // RFC 8693 2.2.1: an exchange says what it issued.
        Responses.json(res, 200, OAuth2Wire.TokenResponse.of(issued, request instanceof TokenRequest.TokenExchange ? ISSUED_ACCESS_TOKEN : null));
    }

    /** RFC 8628 3.1-3.2: client authentication as at the token endpoint; public clients name themselves with client_id. */
    private void deviceAuthorization(ServerRequest req, ServerResponse res) {
        Form form = bodies.form(req);
        ClientAuth client = ClientAuthReader.read(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null), form);
        limits.checkClient(client.secret() != null ? client.clientId() : null);
        DeviceFlow.Started started = devices.start(client, Scopes.parse(form.single("scope")), Origins.of(req));
        String verification = issuer + DEVICE;
        Responses.noStore(res);
        Responses.json(res, 200, new OAuth2Wire.DeviceAuthorizationResponse(started.deviceCode().value(), started.userCode(), verification,
                verification + "?user_code=" + started.userCode(), started.expiresIn().toSeconds(), started.interval().toSeconds()));
    }

    private void introspect(ServerRequest req, ServerResponse res) {
        Form form = bodies.form(req);
        ClientAuth client = ClientAuthReader.read(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null), form);
        String token = required(form, "token");
        limits.checkClient(client.secret() != null ? client.clientId() : null);
        Responses.noStore(res);
        Responses.json(res, 200, OAuth2Wire.IntrospectionResponse.of(engine.introspect(NAME, client, token, Origins.of(req))));
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        Form form = bodies.form(req);
        ClientAuth client = ClientAuthReader.read(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null), form);
        String token = required(form, "token");
        limits.checkClient(client.secret() != null ? client.clientId() : null);
        engine.revoke(NAME, client, token, Origins.of(req));
        Responses.noStore(res);
        res.status(200).send();
    }

    private void userinfo(ServerRequest req, ServerResponse res) {
        String authorization = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        // A POST's body is read so that it arrives within the request's time limit; RFC 6750 2.2 lets it carry the token.
        if (req.prologue().method() == io.helidon.http.Method.POST) {
            boolean form = req.headers().contentType().map(t -> t.mediaType().text().equals("application/x-www-form-urlencoded")).orElse(false);
            String inBody = form ? bodies.form(req).single("access_token") : null;
            if (!form) bodies.text(req);
            if (inBody != null) {
                if (authorization != null) throw Failure.invalidRequest("send the access token once: in the Authorization header or the body");
                authorization = "Bearer " + inBody;
            }
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            // RFC 6750 3.1: no credentials at all gets a bare challenge, without an error code.
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"jeton\"");
            Responses.json(res, 401, new OAuth2Wire.ErrorResponse("invalid_request", "a Bearer access token is required"));
            return;
        }
        Responses.noStore(res);
        Responses.json(res, 200, OAuth2Wire.UserInfoResponse.of(engine.userInfo(authorization.substring(7).trim())));
    }

    private static Handler methodNotAllowed(String allowed) {
        return (req, res) -> {
            res.header(HeaderNames.ALLOW, allowed);
            throw Failure.of(Reason.METHOD_NOT_ALLOWED, "use " + allowed + " on this endpoint");
        };
    }

    private static String audience(Form form) {
        String audience = form.single("audience");
        return audience != null ? audience : form.single("resource");
    }

    private static Secret secretOrNull(String value) { return value == null ? null : new Secret(value); }

    private static String required(Form form, String name) {
        String value = form.single(name);
        if (value == null) throw Failure.invalidRequest(name, name + " is required");
        return value;
    }

    /** Echoes client input into an error only after stripping what RFC 6749 forbids there. */
    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) : s;
        return cut.replaceAll("[^\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]", "?");
    }
}
