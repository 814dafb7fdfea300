package dev.jeton.dialect.entra;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.engine.Engine;
import dev.jeton.engine.federation.WorkloadAssertionGrant;
import dev.jeton.http.Bodies;
import dev.jeton.http.Dialect;
import dev.jeton.http.ErrorWriter;
import dev.jeton.http.Form;
import dev.jeton.http.Origins;
import dev.jeton.http.RateLimits;
import dev.jeton.http.Responses;
import dev.jeton.http.TokenMetrics;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.Issued;
import dev.jeton.model.Scopes;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenRequest;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

import static dev.jeton.http.Guard.guard;

/**
 * Entra ID's v2.0 token endpoint, {@code /{tenant}/oauth2/v2.0/token} at the root of the public
 * listener, for Azure workload identity: the Azure Identity SDKs (ManagedIdentityCredential with
 * a federated token file, and WorkloadIdentityCredential through MSAL) post the client
 * credentials grant with a federated {@code client_assertion} there, to whatever host
 * {@code AZURE_AUTHORITY_HOST} names. MSAL keeps only the host and the first path segment and
 * lower-cases them, so the path cannot carry a prefix.
 */
public final class EntraDialect implements Dialect {
    public static final String NAME = "entra";
    static final String TOKEN = "/{tenant}/oauth2/v2.0/token";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    // A tenant is a GUID or a domain name; nothing else reaches the engine.
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,253}");

    private final Engine engine;
    private final Bodies bodies;
    private final TokenMetrics metrics;
    private final RateLimits limits;
    private final EntraErrors errors;

    public EntraDialect(Engine engine, Bodies bodies, TokenMetrics metrics, RateLimits limits, Clock clock) {
        this.engine = engine;
        this.bodies = bodies;
        this.metrics = metrics;
        this.limits = limits;
        this.errors = new EntraErrors(clock);
    }

    @Override
    public String name() { return NAME; }

    @Override
    public ErrorWriter errors() { return errors; }

    /** Its path begins with a tenant, not a fixed prefix: answers before routing take the plain shape. */
    @Override
    public List<String> paths() { return List.of(); }

    @Override
    public void routing(HttpRules rules) {
        rules.post(TOKEN, guard(errors, this::token));
        rules.any(TOKEN, guard(errors, (req, res) -> {
            res.header(HeaderNames.ALLOW, "POST");
            throw Failure.of(dev.jeton.model.Reason.METHOD_NOT_ALLOWED, "use POST on the token endpoint");
        }));
    }

    private void token(ServerRequest req, ServerResponse res) {
        String tenant = req.path().pathParameters().get("tenant");
        if (!TENANT.matcher(tenant).matches()) throw Failure.invalidRequest("tenant", "the tenant in the path is not a tenant id or domain");
        Form form = bodies.form(req);
        String grantType = form.single("grant_type");
        if (grantType == null) throw Failure.invalidRequest("grant_type", "The request body must contain the following parameter: 'grant_type'.");
        if (!grantType.equals("client_credentials")) {
            throw Failure.unsupportedGrant("only client_credentials with a federated client_assertion is served here");
        }
        String assertionType = form.single("client_assertion_type");
        if (assertionType == null || form.single("client_assertion") == null) {
            throw Failure.invalidRequest("client_assertion", "a federated client_assertion of type " + JWT_BEARER
                    + " is required: Jeton keeps no client secrets for this endpoint");
        }
        if (!assertionType.equals(JWT_BEARER)) {
            throw Failure.invalidRequest("client_assertion_type", "client_assertion_type must be " + JWT_BEARER);
        }
        String clientId = form.single("client_id");
        limits.checkClient(clientId);
        String scope = form.single("scope");
        if (scope == null) throw Failure.invalidRequest("scope", "The request body must contain the following parameter: 'scope'.");
        TokenRequest request = new TokenRequest.WorkloadAssertion(NAME, ClientAuth.none(clientId), tenant.toLowerCase(java.util.Locale.ROOT),
                new Secret(form.single("client_assertion")), WorkloadAssertionGrant.resourceOf(Scopes.parse(scope)));
        Issued issued = metrics.measure(NAME, request.grant(), () -> engine.issue(request, Origins.of(req)));
        Responses.noStore(res);
        Responses.json(res, 200, TokenResponse.of(issued));
    }

    /** Entra's v2.0 answer: MSAL needs {@code expires_in}; the SDK's direct path reads it when there is no {@code expires_on}. */
    record TokenResponse(@JsonProperty("token_type") String tokenType, @JsonProperty("expires_in") long expiresIn,
                         @JsonProperty("ext_expires_in") long extExpiresIn, @JsonProperty("access_token") String accessToken) {
        static TokenResponse of(Issued issued) {
            return new TokenResponse("Bearer", issued.expiresInSeconds(), issued.expiresInSeconds(), issued.accessToken());
        }
    }
}
