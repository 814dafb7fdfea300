package dev.jeton.dialect.runai;

import dev.jeton.engine.Engine;
import dev.jeton.http.Bodies;
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
import dev.jeton.model.Secret;
import dev.jeton.model.TokenRequest;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

import static dev.jeton.http.Guard.guard;

/**
 * Run:ai's token API: application tokens, the grant types of {@code /api/v1/token} (those of
 * version 2.18 and the later additions), code exchange and refresh. The generated client marks
 * these operations with bearer auth but never sends it, so none is required.
 */
public final class RunaiDialect implements Dialect {
    public static final String NAME = "runai";
    /** The built-in public client used when a request names none. */
    public static final String CLIENT_ID = "runai";
    private static final ClientAuth BUILT_IN = ClientAuth.none(CLIENT_ID);

    private final Engine engine;
    private final Bodies bodies;
    private final TokenMetrics metrics;
    private final RateLimits limits;
    private final RunaiErrors errors = new RunaiErrors();

    public RunaiDialect(Engine engine, Bodies bodies, TokenMetrics metrics, RateLimits limits) {
        this.engine = engine;
        this.bodies = bodies;
        this.metrics = metrics;
        this.limits = limits;
    }

    @Override
    public ErrorWriter errors() { return errors; }

    @Override
    public List<String> paths() { return List.of("/v1/k8s/", "/api/v1/"); }

    @Override
    public String name() { return NAME; }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/k8s/auth/oauth/apptoken", guard(errors, this::appToken))
                .post("/api/v1/token", guard(errors, this::grantToken))
                .get("/v1/k8s/auth/token/exchange", guard(errors, this::exchangeCode))
                .post("/v1/k8s/auth/oauth/tokens/refresh", guard(errors, this::refresh));
    }

    /** AppTokenRequest {id, name, secret}: the application's id is its client id (its name works too). */
    private void appToken(ServerRequest req, ServerResponse res) {
        CaseInsensitiveJson body = CaseInsensitiveJson.parse(bodies.text(req));
        String id = body.text("id", 255);
        String name = body.text("name", 255);
        String secret = body.text("secret", 500);
        if (id == null && name == null) throw Failure.invalidRequest("id", "id is required");
        if (secret == null) throw Failure.invalidRequest("secret", "secret is required");
        String clientId = id != null ? id : name;
        Issued issued = issue(req, new TokenRequest.ClientCredentials(NAME, new ClientAuth(clientId, new Secret(secret), ClientAuth.Method.POST),
                null, null));
        Responses.noStore(res);
        Responses.json(res, 200, new RunaiWire.AppTokenResponse(issued.accessToken(), engine.idToken(issued)));
    }

    private void grantToken(ServerRequest req, ServerResponse res) {
        CaseInsensitiveJson body = CaseInsensitiveJson.parse(bodies.text(req));
        String grantType = body.text("grantType", 64);
        if (grantType == null) throw Failure.invalidRequest("grantType", "grantType is required");
        String clientId = body.text("clientID", 255);
        String clientSecret = body.text("clientSecret", 500);
        ClientAuth client = clientId == null ? BUILT_IN
                : new ClientAuth(clientId, Secret.ofNullable(clientSecret), clientSecret == null ? ClientAuth.Method.NONE : ClientAuth.Method.POST);
        String externalToken = null;
        TokenRequest request = switch (grantType) {
            case "app_token" -> {
                String appId = body.text("appID", 255);
                String appSecret = body.text("appSecret", 500);
                if (appId == null) throw Failure.invalidRequest("appID", "appID is required");
                if (appSecret == null) throw Failure.invalidRequest("appSecret", "appSecret is required");
                yield new TokenRequest.ClientCredentials(NAME, new ClientAuth(appId, new Secret(appSecret), ClientAuth.Method.POST), null, null);
            }
            case "client_credentials" -> {
                if (clientId == null) throw Failure.invalidRequest("clientID", "clientID is required");
                if (clientSecret == null) throw Failure.invalidRequest("clientSecret", "clientSecret is required");
                yield new TokenRequest.ClientCredentials(NAME, client, null, null);
            }
            case "password" -> new TokenRequest.Password(NAME, client, required(body.text("username", 255), "username"),
                    new Secret(required(body.text("password", 255), "password")), null, null, limits.source(req));
            case "refresh_token" -> new TokenRequest.Refresh(NAME, clientId == null ? ClientAuth.none(null) : client,
                    new Secret(required(body.text("refreshToken", 4096), "refreshToken")), null);
            case "exchange_token" -> new TokenRequest.AuthorizationCode(NAME, clientId == null ? ClientAuth.none(null) : client, new Secret(required(body.text("code", 2048), "code")),
                    required(body.text("redirectUri", 2048), "redirectUri"), body.text("codeVerifier", 128));
            case "external_token_exchange" -> {
                externalToken = required(body.text("externalToken", 4096), "externalToken");
                yield new TokenRequest.ExternalToken(NAME, client, new Secret(externalToken));
            }
            default -> throw Failure.of(Reason.UNSUPPORTED_GRANT, "grantType", "grantType must be app_token, password, refresh_token, exchange_token, "
                    + "client_credentials or external_token_exchange");
        };
        respond(res, issue(req, request), externalToken);
    }

    /** The CLI's code flow ends here: {@code redirect_uri} and {@code code} in the query, the code bound to a public client. */
    private void exchangeCode(ServerRequest req, ServerResponse res) {
        Form query = Bodies.query(req);
        String code = required(limit(query.single("code"), 2048, "code"), "code");
        String redirectUri = required(limit(query.single("redirect_uri"), 2048, "redirect_uri"), "redirect_uri");
        String clientId = limit(query.single("client_id"), 255, "client_id");
        respond(res, issue(req, new TokenRequest.AuthorizationCode(NAME, ClientAuth.none(clientId),
                new Secret(code), redirectUri, limit(query.single("code_verifier"), 128, "code_verifier"))), null);
    }

    private void refresh(ServerRequest req, ServerResponse res) {
        bodies.text(req); // the generated client sends {} here; nothing in it is read
        String token = required(limit(Bodies.query(req).single("refresh_token"), 4096, "refresh_token"), "refresh_token");
        respond(res, issue(req, new TokenRequest.Refresh(NAME, ClientAuth.none(null), new Secret(token), null)), null);
    }

    /** Run:ai's CLI and SDK name themselves in User-Agent; the audit log records it with every outcome. */
    private Issued issue(ServerRequest req, TokenRequest request) {
        limits.checkClient(counted(request));
        return metrics.measure(NAME, request.grant(), () -> engine.issue(request, Origins.of(req)));
    }

    /** A client with a secret is counted as itself; logins through a shared public client count per user; others not. */
    private static String counted(TokenRequest request) {
        ClientAuth client = request.client();
        if (client.secret() != null) return client.clientId();
        return request instanceof TokenRequest.Password p ? p.username() : null;
    }

    private void respond(ServerResponse res, Issued issued, String externalToken) {
        // The seed's clients expect an ID token with every answer; apps get one about themselves.
        Responses.noStore(res);
        Responses.json(res, 200, new RunaiWire.TokenResponse(issued.accessToken(), engine.idToken(issued),
                issued.refreshToken() == null ? null : issued.refreshToken().value(), externalToken, issued.expiresInSeconds()));
    }

    private static String limit(String value, int max, String name) {
        if (value != null && value.length() > max) throw Failure.invalidRequest(name, name + " is longer than " + max + " characters");
        return value;
    }

    private static String required(String value, String name) {
        if (value == null) throw Failure.invalidRequest(name, name + " is required");
        return value;
    }
}
