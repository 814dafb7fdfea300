package dev.jeton.dialect.occam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jeton.dialect.occam.OccamWire.ValidationError;
import dev.jeton.engine.Engine;
import dev.jeton.http.Bodies;
import dev.jeton.http.Dialect;
import dev.jeton.http.ErrorWriter;
import dev.jeton.http.RateLimits;
import dev.jeton.http.Form;
import dev.jeton.http.Json;
import dev.jeton.http.MultipartForm;
import dev.jeton.http.Origins;
import dev.jeton.http.Responses;
import dev.jeton.http.TokenMetrics;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Issued;
import dev.jeton.model.Scopes;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenRequest;
import io.helidon.http.HttpMediaType;
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
        rules.post("/auth/access-token", guard(errors, this::login))
                .get("/auth/access-token", guard(errors, this::tokenFromKey))
                .post("/auth/refresh-token", guard(errors, this::refresh));
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
        TokenRequest request = new TokenRequest.Password(NAME, CLIENT, username, new Secret(password),
                Scopes.parse(last(form, "scope")), null, limits.source(req));
        Issued issued = metrics.measure(NAME, request.grant(), () -> engine.issue(request, Origins.of(req)));
        Responses.json(res, 200, OccamWire.AccessAndRefreshTokenResponse.of(issued));
    }

    private void refresh(ServerRequest req, ServerResponse res) {
        List<ValidationError> invalid = new ArrayList<>(1);
        boolean json = req.headers().contentType().map(t -> t.mediaType().subtype().toLowerCase(Locale.ROOT))
                .filter(s -> s.equals("json") || s.endsWith("+json")).isPresent();
        String token = refreshToken(json, bodies.text(req), invalid);
        if (token == null) {
            errors.validation(res, invalid);
            return;
        }
        TokenRequest request = new TokenRequest.Refresh(NAME, CLIENT, new Secret(token), null);
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

    /** The token of a {@code RefreshTokenRequest} body, or null after adding pydantic's error, in its words. */
    static String refreshToken(boolean json, String body, List<ValidationError> invalid) {
        if (body.isEmpty()) {
            invalid.add(ValidationError.missing(List.of("body"), null));
            return null;
        }
        if (!json) {
            invalid.add(notAnObject(body));
            return null;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            long offset = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getCharOffset());
            invalid.add(new ValidationError("json_invalid", List.of("body", offset), "JSON decode error",
                    JsonNodeFactory.instance.objectNode(), Map.of("error", "Expecting value")));
            return null;
        }
        if (node == null || !node.isObject()) {
            invalid.add(notAnObject(node));
            return null;
        }
        JsonNode token = node.get("refresh_token");
        if (token == null) {
            invalid.add(ValidationError.missing(List.of("body", "refresh_token"), node));
            return null;
        }
        if (!token.isTextual()) {
            invalid.add(new ValidationError("string_type", List.of("body", "refresh_token"), "Input should be a valid string",
                    token, null));
            return null;
        }
        return token.asText();
    }

    private static ValidationError notAnObject(Object input) {
        return new ValidationError("model_attributes_type", List.of("body"),
                "Input should be a valid dictionary or object to extract fields from", input, null);
    }

    /** Starlette keeps the last of repeated fields; an empty value counts as absent, as in FastAPI forms. */
    private static String last(Form form, String name) {
        List<String> values = form.all(name);
        if (values.isEmpty()) return null;
        String v = values.getLast();
        return v.isEmpty() ? null : v;
    }
}
