package dev.jeton.dialect.imds;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.http.Dialect;
import dev.jeton.http.ErrorWriter;
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
    private static final ClientAuth CLIENT = ClientAuth.none(NAME);
    private static final Set<String> API_VERSIONS = Set.of("2018-02-01", "2018-04-02", "2018-10-01", "2019-02-01", "2019-03-11",
            "2019-04-30", "2019-06-01", "2019-06-04", "2019-08-01", "2019-08-15", "2019-11-01", "2020-06-01", "2020-07-15",
            "2020-09-01", "2020-10-01", "2020-12-01", "2021-01-01", "2021-02-01", "2021-03-01", "2021-05-01", "2021-10-01",
            "2021-11-01", "2021-11-15", "2021-12-13", "2022-02-01", "2022-03-01", "2022-07-01", "2022-08-01", "2023-07-01",
            "2023-11-15", "2024-03-15", "2024-07-17", "2025-04-07");

    private final ManagedIdentitySource source;
    private final TokenMetrics metrics;
    private final RateLimit rate;
    private final Semaphore inFlight;
    private final String node;
    private final ImdsErrors errors = new ImdsErrors();

    /** @param rate requests per period, counted for the node; @param inFlight permits for the requests being answered at once */
    public ImdsDialect(ManagedIdentitySource source, TokenMetrics metrics, RateLimit rate, Semaphore inFlight, String node) {
        this.source = source;
        this.metrics = metrics;
        this.rate = rate;
        this.inFlight = inFlight;
        this.node = node;
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
        rules.any(guard(errors, this::handle));
    }

    private void handle(ServerRequest req, ServerResponse res) {
        // Path before Metadata: MSAL.NET probes /metadata/identity/getplatformmetadata without the
        // header and takes a 400 there for "IMDSv2 is here"; it must get 404 (docs/imds.md).
        if (!isTokenPath(req.prologue().uriPath().rawPath())) throw Failure.notFound("no such IMDS endpoint");
        if (req.prologue().method() != Method.GET) {
            res.header(HeaderNames.ALLOW, "GET");
            throw Failure.of(Reason.METHOD_NOT_ALLOWED, "use GET");
        }
        if (!"true".equalsIgnoreCase(req.headers().first(HeaderNames.create("Metadata")).orElse(null))) {
            throw Failure.invalidRequest("Required metadata header not specified");
        }
        if (req.headers().contains(HeaderNames.X_FORWARDED_FOR)) {
            throw refused(req, Failure.invalidRequest("Request came through a proxy (X-Forwarded-For); IMDS answers the node only")
                    .because("imds.proxied"));
        }
        if (rate.acquire(node) > 0 || !inFlight.tryAcquire()) {
            throw refused(req, Failure.of(Reason.RATE_LIMITED, "Too many requests").because("imds.rate_limited"));
        }
        try {
            TokenRequest.ManagedIdentity request = parse(Form.parse(req.query().rawValue()));
            IdentityToken token = metrics.measure(NAME, request.grant(), () -> source.token(request, Origins.of(req)));
            Responses.noStore(res);
            Responses.json(res, 200, Response.of(token));
        } finally {
            inFlight.release();
        }
    }

    /**
     * The token path as the SDKs spell it: {@code //metadata/...} when the authority host they
     * were given ends in '/' (Java's MSAL always), and {@code .../token/} from msal-node, which
     * appends a '/' to an endpoint taken from AZURE_POD_IDENTITY_AUTHORITY_HOST.
     */
    static boolean isTokenPath(String rawPath) {
        int start = 0;
        while (start + 1 < rawPath.length() && rawPath.charAt(start + 1) == '/') start++;
        int end = rawPath.length();
        if (end - start > PATH.length() && rawPath.charAt(end - 1) == '/') end--;
        return rawPath.regionMatches(start, PATH, 0, PATH.length()) && end - start == PATH.length();
    }

    /** A refusal an operator must see (a proxied request, the rate limit), recorded before the query is even read. */
    private Failure refused(ServerRequest req, Failure failure) {
        source.refused(new TokenRequest.ManagedIdentity(NAME, CLIENT, node, IdentitySelector.NONE, null, false, null),
                Origins.of(req),
                failure);
        return failure;
    }

    private TokenRequest.ManagedIdentity parse(Form query) {
        String apiVersion = query.single("api-version");
        if (apiVersion == null) throw Failure.invalidRequest("api-version", "Required api-version parameter not specified");
        if (!API_VERSIONS.contains(apiVersion)) throw Failure.invalidRequest("api-version", "Invalid api-version " + shown(apiVersion));
        String resource = query.single("resource");
        if (resource == null) throw Failure.invalidRequest("resource", "Required audience parameter not specified");
        if (resource.length() > 1024) throw Failure.invalidRequest("resource", "resource is too long");
        IdentitySelector selector = IdentitySelector.NONE;
        int given = 0;
        for (String name : new String[]{"client_id", "object_id", "msi_res_id", "mi_res_id"}) {
            String value = query.single(name);
            if (value == null) continue;
            given++;
            selector = new IdentitySelector(switch (name) {
                case "client_id" -> IdentitySelector.Kind.CLIENT_ID;
                case "object_id" -> IdentitySelector.Kind.OBJECT_ID;
                default -> IdentitySelector.Kind.RESOURCE_ID;
            }, value);
        }
        if (given > 1) throw Failure.invalidRequest("Only one of client_id, object_id and msi_res_id may be given");
        // MSAL (.NET, node, Python, Java) sends the SHA-256 of a token a resource rejected (a CAE
        // claims challenge) so that IMDS mints anew instead of answering from its cache; xms_cc
        // (client capabilities) comes with it and, like any other parameter IMDS ignores, is ignored.
        String revoked = query.single("token_sha256_to_refresh");
        if (revoked != null && revoked.length() > 128) throw Failure.invalidRequest("token_sha256_to_refresh", "token_sha256_to_refresh is too long");
        return new TokenRequest.ManagedIdentity(NAME, CLIENT, node, selector, resource, "true".equalsIgnoreCase(query.single("bypass_cache")),
                revoked);
    }

    private static String shown(String s) {
        return s.length() > 32 ? s.substring(0, 32) + "..." : s;
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
            @JsonProperty("msi_res_id") String msiResId) {

        static Response of(IdentityToken token) {
            Issued issued = token.issued();
            long now = System.currentTimeMillis() / 1000;
            String expiresIn = String.valueOf(Math.max(0, issued.expiresAt().getEpochSecond() - now));
            boolean user = !token.identity().systemAssigned();
            return new Response(issued.accessToken(), "", expiresIn, String.valueOf(issued.expiresAt().getEpochSecond()), expiresIn,
                    String.valueOf(issued.issuedAt().getEpochSecond()), token.resource(), "Bearer", token.identity().clientId(),
                    user ? token.identity().objectId() : null, user ? token.identity().resourceId() : null);
        }
    }
}
