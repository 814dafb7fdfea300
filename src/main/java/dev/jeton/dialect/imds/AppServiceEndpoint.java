package dev.jeton.dialect.imds;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.http.ErrorWriter;
import dev.jeton.http.Form;
import dev.jeton.http.Origins;
import dev.jeton.http.RateLimit;
import dev.jeton.http.Responses;
import dev.jeton.http.TokenMetrics;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenRequest;
import dev.jeton.model.TokenRequest.IdentitySelector;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * App Service's managed identity endpoint ({@code IDENTITY_ENDPOINT} + {@code IDENTITY_HEADER}):
 * {@code GET ?api-version=2019-08-01&resource=R} with the shared secret in
 * {@code X-IDENTITY-HEADER}. The secret is checked after the node limits, so guessing it is
 * rate-limited, and before the query is read.
 */
public final class AppServiceEndpoint implements ManagedIdentityEndpoint {
    public static final String NAME = "appservice";
    /** The IDENTITY_ENDPOINT path, as App Service's own (http://127.0.0.1:41564/msi/token). */
    public static final String PATH = "/msi/token";
    private static final EndpointPath ENDPOINT = new EndpointPath(PATH);
    private static final HeaderName SECRET_HEADER = HeaderNames.create("X-IDENTITY-HEADER");
    private static final ClientAuth CLIENT = ClientAuth.none(NAME);
    private static final Set<String> API_VERSIONS = Set.of("2019-08-01");
    private static final Map<String, IdentitySelector.Kind> SELECTORS = new LinkedHashMap<>();

    static {
        SELECTORS.put("client_id", IdentitySelector.Kind.CLIENT_ID);
        SELECTORS.put("object_id", IdentitySelector.Kind.OBJECT_ID);
        SELECTORS.put("principal_id", IdentitySelector.Kind.OBJECT_ID);
        SELECTORS.put("mi_res_id", IdentitySelector.Kind.RESOURCE_ID);
        SELECTORS.put("msi_res_id", IdentitySelector.Kind.RESOURCE_ID);
    }

    private final ManagedIdentitySource source;
    private final TokenMetrics metrics;
    private final NodeGate gate;
    private final AppServiceSecret secret;
    private final AllowedIdentities allowed;
    private final AppServiceErrors errors = new AppServiceErrors();

    /** @param rate and {@code inFlight}: the node's limits, the same objects IMDS counts on */
    public AppServiceEndpoint(ManagedIdentitySource source, TokenMetrics metrics, RateLimit rate, Semaphore inFlight, String node,
                              AppServiceSecret secret, AllowedIdentities allowed) {
        this.source = source;
        this.metrics = metrics;
        this.gate = new NodeGate(rate, inFlight, node);
        this.secret = secret;
        this.allowed = allowed;
    }

    @Override
    public String name() { return NAME; }

    @Override
    public boolean serves(String rawPath) { return ENDPOINT.matches(rawPath); }

    @Override
    public ErrorWriter errors() { return errors; }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        ImdsDialect.requireGet(req, res);
        if (req.headers().contains(HeaderNames.X_FORWARDED_FOR)) {
            throw refused(req, Failure.invalidRequest("Request came through a proxy (X-Forwarded-For); this endpoint answers the node only")
                    .because("appservice.proxied"));
        }
        if (!gate.tryEnter()) throw refused(req, Failure.of(Reason.RATE_LIMITED, "Too many requests").because("appservice.rate_limited"));
        try {
            String presented = req.headers().first(SECRET_HEADER).orElse(null);
            if (presented == null) {
                throw refused(req, Failure.invalidClient("Required header X-IDENTITY-HEADER not specified").because("appservice.missing_secret"));
            }
            if (!secret.matches(new Secret(presented))) {
                throw refused(req, Failure.invalidClient("Invalid X-IDENTITY-HEADER").because("appservice.wrong_secret"));
            }
            TokenRequest.ManagedIdentity request = parse(req);
            IdentityToken token = metrics.measure(NAME, request.grant(), () -> source.token(request, Origins.of(req), allowed));
            Responses.noStore(res);
            Responses.json(res, 200, Response.of(token));
        } finally {
            gate.exit();
        }
    }

    /** The query as a token request; a bad one is refused and audited. */
    private TokenRequest.ManagedIdentity parse(ServerRequest req) {
        try {
            Form query = Form.parse(req.query().rawValue());
            IdentityQuery.apiVersion(query, API_VERSIONS);
            IdentitySelector selector = IdentityQuery.selector(query, SELECTORS,
                    "Only one of client_id, object_id, principal_id and mi_res_id may be given");
            return new TokenRequest.ManagedIdentity(NAME, CLIENT, gate.node(), selector, IdentityQuery.resource(query), false, null);
        } catch (Failure f) {
            throw refused(req, f);
        }
    }

    private Failure refused(ServerRequest req, Failure failure) {
        source.refused(new TokenRequest.ManagedIdentity(NAME, CLIENT, gate.node(), IdentitySelector.NONE, null, false, null),
                Origins.of(req), failure);
        return failure;
    }

    /** What App Service sends for api-version 2019-08-01: expires_on as a string of epoch seconds. */
    record Response(@JsonProperty("access_token") String accessToken,
                    @JsonProperty("expires_on") String expiresOn,
                    @JsonProperty("resource") String resource,
                    @JsonProperty("token_type") String tokenType,
                    @JsonProperty("client_id") String clientId) {
        static Response of(IdentityToken token) {
            return new Response(token.issued().accessToken(), String.valueOf(token.issued().expiresAt().getEpochSecond()), token.resource(),
                    "Bearer", token.identity().clientId());
        }
    }
}
