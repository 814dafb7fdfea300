package dev.jeton.dialect.registry;

import dev.jeton.engine.Engine;
import dev.jeton.engine.registry.RegistryPrincipals;
import dev.jeton.engine.registry.RegistryTokens;
import dev.jeton.http.BasicCredentials;
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
import dev.jeton.model.Secret;
import dev.jeton.model.TokenRequest;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

import static dev.jeton.http.Guard.guard;

/**
 * The token server of a container registry, as Docker Distribution's token auth and Azure
 * Container Registry's {@code /oauth2/token} and {@code /oauth2/exchange} are on the wire.
 */
public final class RegistryDialect implements Dialect {
    public static final String NAME = "registry";
    static final String TOKEN = "/oauth2/token";
    static final String EXCHANGE = "/oauth2/exchange";
    private static final ClientAuth CLIENT = ClientAuth.none(RegistryTokens.CLIENT_ID);

    private final Engine engine;
    private final Bodies bodies;
    private final TokenMetrics metrics;
    private final RateLimits limits;
    private final RegistryErrors errors;

    public RegistryDialect(Engine engine, Bodies bodies, TokenMetrics metrics, RateLimits limits, String issuer) {
        this.engine = engine;
        this.bodies = bodies;
        this.metrics = metrics;
        this.limits = limits;
        this.errors = new RegistryErrors(issuer + TOKEN);
    }

    @Override
    public ErrorWriter errors() { return errors; }

    @Override
    public List<String> paths() { return List.of("/oauth2/"); }

    @Override
    public String name() { return NAME; }

    @Override
    public void routing(HttpRules rules) {
        rules.get(TOKEN, guard(errors, this::login))
                .post(TOKEN, guard(errors, this::token))
                .post(EXCHANGE, guard(errors, this::exchange));
    }

    /** GET: Basic credentials (or none), repeated or space-separated scopes, {@code offline_token=true}. */
    private void login(ServerRequest req, ServerResponse res) {
        Form query = Bodies.query(req);
        BasicCredentials basic = basic(req);
        limits.checkClient(counted(basic == null ? null : basic.user()));
        TokenRequest request = new TokenRequest.RegistryAccess(NAME, CLIENT, basic == null ? null : basic.user(),
                basic == null ? null : new Secret(basic.password()), query.single("service"),
                RegistryScopes.parse(query.all("scope")), "true".equalsIgnoreCase(query.single("offline_token")), limits.source(req));
        Issued issued = metrics.measure(NAME, request.grant(), () -> engine.issue(request, Origins.of(req)));
        Responses.noStore(res);
        Responses.json(res, 200, RegistryWire.LoginTokenResponse.of(issued));
    }

    /** POST: grant_type refresh_token (the default) or password, form-encoded, chunked or not. */
    private void token(ServerRequest req, ServerResponse res) {
        Form form = bodies.form(req);
        String grantType = form.single("grant_type") == null ? "refresh_token" : form.single("grant_type");
        String username;
        Secret password;
        switch (grantType) {
            case "refresh_token" -> {
                String refresh = form.single("refresh_token");
                if (refresh == null) throw Failure.invalidRequest("refresh_token", "refresh_token is required");
                username = RegistryPrincipals.REFRESH_TOKEN_USER;
                password = new Secret(refresh);
            }
            case "password" -> {
                BasicCredentials basic = basic(req);
                username = form.single("username") != null ? form.single("username") : basic == null ? null : basic.user();
                String pw = form.single("password") != null ? form.single("password") : basic == null ? null : basic.password();
                password = pw == null ? null : new Secret(pw);
            }
            default -> throw Failure.unsupportedGrant("grant_type must be refresh_token or password");
        }
        limits.checkClient(counted(username));
        TokenRequest request = new TokenRequest.RegistryAccess(NAME, CLIENT, username, password, form.single("service"),
                RegistryScopes.parse(form.all("scope")), "offline".equals(form.single("access_type")), limits.source(req));
        Issued issued = metrics.measure(NAME, request.grant(), () -> engine.issue(request, Origins.of(req)));
        Responses.noStore(res);
        Responses.json(res, 200, RegistryWire.AccessTokenResponse.of(issued));
    }

    private void exchange(ServerRequest req, ServerResponse res) {
        Form form = bodies.form(req);
        TokenRequest request = new TokenRequest.RegistryExchange(NAME, CLIENT, form.single("grant_type"), form.single("service"),
                form.single("tenant"), Secret.ofNullable(form.single("access_token")), Secret.ofNullable(form.single("refresh_token")));
        Issued issued = metrics.measure(NAME, request.grant(), () -> engine.issue(request, Origins.of(req)));
        Responses.noStore(res);
        Responses.json(res, 200, new RegistryWire.RefreshTokenResponse(issued.refreshToken().value()));
    }

    /** The user or app a login is counted against; refresh token logins all share one user name, so none. */
    private static String counted(String username) {
        return RegistryPrincipals.REFRESH_TOKEN_USER.equals(username) ? null : username;
    }

    private static BasicCredentials basic(ServerRequest req) {
        return BasicCredentials.parse(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
    }
}
