package dev.jeton.dialect.imds;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.http.Dialect;
import dev.jeton.http.ErrorWriter;
import dev.jeton.http.JsonBody;
import dev.jeton.http.JsonObject;
import dev.jeton.http.Form;
import dev.jeton.http.Origins;
import dev.jeton.http.RateLimit;
import dev.jeton.http.Responses;
import dev.jeton.http.TokenMetrics;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.Issued;
import dev.jeton.model.Reason;
import dev.jeton.model.TokenRequest;
import dev.jeton.model.TokenRequest.IdentitySelector;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;

import static dev.jeton.http.Guard.guard;

/**
 * The Azure Instance Metadata Service's managed identity endpoint, on its own node-local
 * listener. Checks run in IMDS's order: the {@code Metadata} header first and at once (SDKs
 * probe without it to see whether IMDS is there), proxies refused, then the rate limit.
 */
public final class ImdsDialect implements Dialect {
    public static final String NAME = "imds";
    static final String PATH = "/metadata/identity/oauth2/token";
    private static final EndpointPath TOKEN_PATH = new EndpointPath(PATH);
    private static final ClientAuth CLIENT = ClientAuth.none(NAME);
    private static final Set<String> API_VERSIONS = Set.of("2018-02-01", "2018-04-02", "2018-10-01", "2019-02-01", "2019-03-11",
            "2019-04-30", "2019-06-01", "2019-06-04", "2019-08-01", "2019-08-15", "2019-11-01", "2020-06-01", "2020-07-15",
            "2020-09-01", "2020-10-01", "2020-12-01", "2021-01-01", "2021-02-01", "2021-03-01", "2021-05-01", "2021-10-01",
            "2021-11-01", "2021-11-15", "2021-12-13", "2022-02-01", "2022-03-01", "2022-07-01", "2022-08-01", "2023-07-01",
            "2023-11-15", "2024-03-15", "2024-07-17", "2025-04-07");

    private final ManagedIdentitySource source;
    private final TokenMetrics metrics;
    private final NodeGate gate;
    private final String node;
    private final AllowedIdentities allowed;
    private final List<ManagedIdentityEndpoint> others;
    private final ImdsErrors errors = new ImdsErrors();

    /** @param rate requests per period, counted for the node; @param inFlight permits for the requests being answered at once */
    public ImdsDialect(ManagedIdentitySource source, TokenMetrics metrics, RateLimit rate, Semaphore inFlight, String node) {
        this(source, metrics, rate, inFlight, node, AllowedIdentities.ALL, List.of());
    }

    /**
     * IMDS handing out only the {@code allowed} of the node's identities, with other managed-identity
     * endpoints (Arc's, App Service's) on the same listener, each at its own path and in its own
     * error shape; they should count on the same {@code rate} and {@code inFlight}.
     */
    public ImdsDialect(ManagedIdentitySource source, TokenMetrics metrics, RateLimit rate, Semaphore inFlight, String node,
                       AllowedIdentities allowed, List<ManagedIdentityEndpoint> others) {
        this.allowed = allowed;
        this.source = source;
        this.metrics = metrics;
        this.gate = new NodeGate(rate, inFlight, node);
        this.node = node;
        this.others = List.copyOf(others);
    }

    @Override
    public String name() { return NAME; }

    @Override
    public ErrorWriter errors() { return errors; }

    /** Everything on its own listener. */
    @Override
    public List<String> paths() { return List.of("/"); }

    @Override
    public void routing(HttpRules rules) {
        // Matched on the raw path: clients send //metadata/... when their authority host ends in '/'.
        Handler imds = guard(errors, this::handle);
        List<Handler> guarded = others.stream().map(e -> guard(e.errors(), e::handle)).toList();
        rules.any((req, res) -> {
            String rawPath = req.prologue().uriPath().rawPath();
            for (int i = 0; i < others.size(); i++) {
                if (others.get(i).serves(rawPath)) {
                    guarded.get(i).handle(req, res);
                    return;
                }
            }
            imds.handle(req, res);
        });
    }

    private void handle(ServerRequest req, ServerResponse res) {
        // Path before Metadata: MSAL.NET probes /metadata/identity/getplatformmetadata without the
        // header and takes a 400 there for "IMDSv2 is here"; it must get 404 (docs/imds.md).
        if (!isTokenPath(req.prologue().uriPath().rawPath())) throw Failure.notFound("no such IMDS endpoint");
        requireGet(req, res);
        if (!"true".equalsIgnoreCase(req.headers().first(HeaderNames.create("Metadata")).orElse(null))) {
            throw Failure.invalidRequest("Required metadata header not specified");
        }
        if (req.headers().contains(HeaderNames.X_FORWARDED_FOR)) {
            throw refused(req, Failure.invalidRequest("Request came through a proxy (X-Forwarded-For); IMDS answers the node only")
                    .because("imds.proxied"));
        }
        if (!gate.tryEnter()) {
            throw refused(req, Failure.of(Reason.RATE_LIMITED, "Too many requests").because("imds.rate_limited"));
        }
        try {
            TokenRequest.ManagedIdentity request = parse(Form.parse(req.query().rawValue()));
            IdentityToken token = metrics.measure(NAME, request.grant(), () -> source.token(request, Origins.of(req), allowed));
            Responses.noStore(res);
            Responses.json(res, 200, Response.of(token));
        } finally {
            gate.exit();
        }
    }

    static boolean isTokenPath(String rawPath) {
        return TOKEN_PATH.matches(rawPath);
    }

    /** Every managed-identity endpoint (IMDS, Arc, App Service) answers GET only, with an Allow header saying so. */
    static void requireGet(ServerRequest req, ServerResponse res) {
        if (req.prologue().method() != Method.GET) {
            res.header(HeaderNames.ALLOW, "GET");
            throw Failure.of(Reason.METHOD_NOT_ALLOWED, "use GET");
        }
    }

    /** A refusal an operator must see (a proxied request, the rate limit), recorded before the query is even read. */
    private Failure refused(ServerRequest req, Failure failure) {
        source.refused(new TokenRequest.ManagedIdentity(NAME, CLIENT, node, IdentitySelector.NONE, null, false, null),
                Origins.of(req),
                failure);
        return failure;
    }

    private TokenRequest.ManagedIdentity parse(Form query) {
        IdentityQuery.apiVersion(query, API_VERSIONS);
        String resource = IdentityQuery.resource(query);
        IdentitySelector selector = IdentityQuery.imdsSelector(query);
        // MSAL (.NET, node, Python, Java) sends the SHA-256 of a token a resource rejected (a CAE
        // claims challenge) so that IMDS mints anew instead of answering from its cache; xms_cc
        // (client capabilities) comes with it and, like any other parameter IMDS ignores, is ignored.
        String revoked = query.single("token_sha256_to_refresh");
        if (revoked != null && revoked.length() > 128) throw Failure.invalidRequest("token_sha256_to_refresh", "token_sha256_to_refresh is too long");
        return new TokenRequest.ManagedIdentity(NAME, CLIENT, node, selector, resource, "true".equalsIgnoreCase(query.single("bypass_cache")),
                revoked);
    }

    /**
     * Every value a string, as IMDS sends them; some SDKs read only expires_in, others only
     * expires_on. MSAL.NET (4.79 on) reads both keys into one field, the last one read winning:
     * expires_on comes last so that it reads the absolute time, as from Azure's IMDS.
     */
    record Response(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("refresh_token") String refreshToken,
            @JsonProperty("expires_in") String expiresIn,
            @JsonProperty("expires_on") String expiresOn,
            @JsonProperty("ext_expires_in") String extExpiresIn,
            @JsonProperty("not_before") String notBefore,
            @JsonProperty("resource") String resource,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("client_id") String clientId,
            @JsonProperty("object_id") String objectId,
            @JsonProperty("msi_res_id") String msiResId) implements JsonBody {

        static Response of(IdentityToken token) {
            Issued issued = token.issued();
            long now = System.currentTimeMillis() / 1000;
            String expiresIn = String.valueOf(Math.max(0, issued.expiresAt().getEpochSecond() - now));
            boolean user = !token.identity().systemAssigned();
            return new Response(issued.accessToken(), "", expiresIn, String.valueOf(issued.expiresAt().getEpochSecond()), expiresIn,
                    String.valueOf(issued.issuedAt().getEpochSecond()), token.resource(), "Bearer", token.identity().clientId(),
                    user ? token.identity().objectId() : null, user ? token.identity().resourceId() : null);
        }

        /**
         * What {@code Json.MAPPER} writes (members in declaration order, nulls left out), written
         * directly: Jackson's bean serialisation was a tenth of the CPU of a cached IMDS answer
         * in the node agent (C1-compiled there). ImdsResponseJsonTest cross-checks the two.
         */
        @Override
        public byte[] json() {
            return new JsonObject(accessToken.length() + 400).string("access_token", accessToken).string("refresh_token", refreshToken)
                    .string("expires_in", expiresIn).string("expires_on", expiresOn).string("ext_expires_in", extExpiresIn)
                    .string("not_before", notBefore).string("resource", resource).string("token_type", tokenType)
                    .string("client_id", clientId).string("object_id", objectId).string("msi_res_id", msiResId).bytes();
        }
    }
}
