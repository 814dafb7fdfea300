package dev.jeton.dialect.occam;

import dev.jeton.dialect.occam.OccamWire.ValidationError;
import dev.jeton.engine.Engine;
import dev.jeton.http.Bodies;
import dev.jeton.http.Dialect;
import dev.jeton.http.ErrorWriter;
import dev.jeton.http.RateLimits;
import dev.jeton.http.Form;
import dev.jeton.http.MultipartForm;
import dev.jeton.http.Origins;
import dev.jeton.http.Responses;
import dev.jeton.http.TokenMetrics;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.Issued;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenRequest;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.jeton.http.Guard.guard;

/**
 * The Occam FastAPI service's login API: password login with rotating refresh tokens, and API
 * keys. Logins go through the built-in public client {@value #CLIENT_ID}, whose settings
 * (lifetimes, refresh policy, scopes) govern every token of this dialect.
 */
public final class OccamDialect implements Dialect {
    public static final String NAME = "occam";
    public static final String CLIENT_ID = "occam";
    private static final String LOGIN = "/auth/access-token";
    private static final String REFRESH = "/auth/refresh-token";
    private static final ClientAuth CLIENT = ClientAuth.none(CLIENT_ID);
    private static final String PASSWORD_PATTERN = "^password$";

    private final Engine engine;
    private final Bodies bodies;
    private final TokenMetrics metrics;
    private final RateLimits limits;
    private final OccamErrors errors = new OccamErrors();

    public OccamDialect(Engine engine, Bodies bodies, TokenMetrics metrics, RateLimits limits) {
        this.engine = engine;
        this.bodies = bodies;
        this.metrics = metrics;
        this.limits = limits;
    }

    @Override
    public ErrorWriter errors() { return errors; }

    @Override
    public List<String> paths() { return List.of("/auth/"); }

    @Override
    public String name() { return NAME; }

    @Override
    public void routing(HttpRules rules) {
        rules.post(LOGIN, guard(errors, this::login))
                .get(LOGIN, guard(errors, this::tokenFromKey))
                .post(REFRESH, guard(errors, this::refresh))
                // Starlette answers another method on a known path 405, with the methods of the first
                // route registered for that path in Allow: the login's (its document lists post first).
                // FastAPI does not add HEAD to GET routes, so HEAD is refused too.
                .any(LOGIN, guard(errors, methodNotAllowed("POST")))
                .any(REFRESH, guard(errors, methodNotAllowed("POST")))
                .any("/auth/*", guard(errors, this::unrouted));
    }

    /**
     * Starlette's redirect_slashes: a path that names a route once its trailing slashes are
     * gone is sent there (307, any method, an absolute URL from the Host header); any other
     * path is FastAPI's 404.
     */
    private void unrouted(ServerRequest req, ServerResponse res) {
        String path = req.path().rawPath();
        String bare = path.replaceFirst("/+$", "");
        if (!bare.equals(path) && (bare.equals(LOGIN) || bare.equals(REFRESH))) {
            String host = req.headers().first(HeaderNames.HOST).orElse(null);
            String query = req.query().rawValue();
            String location = (host == null ? "" : (req.isSecure() ? "https://" : "http://") + host) + bare
                    + (query.isEmpty() ? "" : "?" + query);
            res.status(307).header(HeaderNames.LOCATION, location).send();
            return;
        }
        throw Failure.notFound("Not Found");
    }

    private void login(ServerRequest req, ServerResponse res) {
        Form form = loginForm(req);
        List<ValidationError> invalid = new ArrayList<>();
        String grantType = last(form, "grant_type");
        if (grantType != null && !grantType.equals("password")) {
            invalid.add(new ValidationError("string_pattern_mismatch", List.of("body", "grant_type"),
                    "String should match pattern '" + PASSWORD_PATTERN + "'", grantType, Map.of("pattern", PASSWORD_PATTERN)));
        }
        String username = last(form, "username");
        if (username == null) invalid.add(ValidationError.missing(List.of("body", "username"), null));
        String password = last(form, "password");
        if (password == null) invalid.add(ValidationError.missing(List.of("body", "password"), null));
        if (!invalid.isEmpty()) {
            errors.validation(res, invalid);
            return;
        }
        // Every login goes through the one built-in client, so the user is who is counted.
        limits.checkClient(username);
        // The original reads scope (any string, default "") and ignores it: tokens get the client's scopes.
        TokenRequest request = new TokenRequest.Password(NAME, CLIENT, username, new Secret(password), null, null,
                limits.source(req));
        Issued issued = metrics.measure(NAME, request.grant(), () -> engine.issue(request, Origins.of(req)));
        Responses.json(res, 200, OccamWire.AccessAndRefreshTokenResponse.of(issued));
    }

    private void refresh(ServerRequest req, ServerResponse res) {
        List<ValidationError> invalid = new ArrayList<>(1);
        String token = RefreshTokenBody.token(req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null), body(req), invalid);
        if (token == null) {
            errors.validation(res, invalid);
            return;
        }
        TokenRequest request = new TokenRequest.Refresh(NAME, CLIENT, new Secret(token), null);
        if (token.isEmpty()) {
            // A valid string to FastAPI, so the original looks it up and finds nothing.
            throw refusedAtEdge(req, request, Failure.of(Reason.INVALID_GRANT, Failure.Code.REFRESH_UNKNOWN, "refresh token is invalid"));
        }
        Issued issued = metrics.measure(NAME, request.grant(), () -> engine.issue(request, Origins.of(req)));
        Responses.json(res, 200, OccamWire.AccessAndRefreshTokenResponse.of(issued));
    }

    private void tokenFromKey(ServerRequest req, ServerResponse res) {
        Form query = Bodies.query(req);
        List<String> keys = query.all("key");
        if (keys.isEmpty()) {
            errors.validation(res, List.of(ValidationError.missing(List.of("query", "key"), null)));
            return;
        }
        TokenRequest request = new TokenRequest.ApiKey(NAME, CLIENT, new Secret(keys.getLast()));
        if (keys.getLast().isEmpty()) {
            // ?key= is an empty string, not a missing field, to FastAPI: the original looks it up.
            throw refusedAtEdge(req, request, Failure.of(Reason.INVALID_GRANT, Failure.Code.API_KEY_INVALID, "Invalid API key")
                    .because("api_key.unknown"));
        }
        Issued issued = metrics.measure(NAME, request.grant(), () -> engine.issue(request, Origins.of(req)));
        Responses.json(res, 200, OccamWire.AccessTokenResponse.of(issued));
    }

    /** FastAPI reads url-encoded and multipart forms alike; anything else leaves every field missing. */
    private Form loginForm(ServerRequest req) {
        Optional<HttpMediaType> type = req.headers().contentType();
        String media = type.map(t -> t.mediaType().text().toLowerCase(Locale.ROOT)).orElse("");
        return switch (media) {
            case "application/x-www-form-urlencoded" -> Form.parse(bodies.text(req));
            case "multipart/form-data" -> MultipartForm.parse(bodies.text(req), type.get().parameters().get("boundary"));
            default -> Form.EMPTY;
        };
    }

    /**
     * The body as text; one that is not UTF-8 is what FastAPI calls a body it could not parse.
     * (Any other content type would make FastAPI fail with a 500 on it; a 400 is kinder.)
     */
    private String body(ServerRequest req) {
        try {
            return bodies.text(req);
        } catch (Failure f) {
            if (f.reason() == Reason.INVALID_REQUEST) throw Failure.invalidRequest(RefreshTokenBody.UNPARSEABLE);
            throw f;
        }
    }

    /** Starlette keeps the last of repeated fields; an empty value counts as absent, as in FastAPI forms. */
    private static String last(Form form, String name) {
        List<String> values = form.all(name);
        if (values.isEmpty()) return null;
        String v = values.getLast();
        return v.isEmpty() ? null : v;
    }

    /** A refusal found before the engine: recorded like the engine's own, then answered. */
    private Failure refusedAtEdge(ServerRequest req, TokenRequest request, Failure failure) {
        engine.refusedAtEdge(request, Origins.of(req), failure);
        return failure;
    }

    private static Handler methodNotAllowed(String allowed) {
        return (req, res) -> {
            res.header(HeaderNames.ALLOW, allowed);
            throw Failure.of(Reason.METHOD_NOT_ALLOWED, "Method Not Allowed");
        };
    }
}
