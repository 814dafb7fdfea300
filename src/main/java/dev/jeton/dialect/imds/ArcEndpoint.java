package dev.jeton.dialect.imds;

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
import dev.jeton.model.TokenRequest;
import dev.jeton.model.TokenRequest.IdentitySelector;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * Azure Arc's managed identity endpoint ({@code IDENTITY_ENDPOINT} + {@code IMDS_ENDPOINT}): the
 * first request gets 401 with {@code WWW-Authenticate: Basic realm=<key file>}, and only a
 * process that can read that file can send its content back as {@code Authorization: Basic}.
 * Checks in the agent's order: Metadata header, proxy, node limits, query, then the secret.
 */
public final class ArcEndpoint implements ManagedIdentityEndpoint {
    public static final String NAME = "arc";
    /** The IDENTITY_ENDPOINT path; Arc's own agent uses IMDS's path on another port, which IMDS holds here. */
    public static final String PATH = "/arc/metadata/identity/oauth2/token";
    private static final EndpointPath ENDPOINT = new EndpointPath(PATH);
    private static final ClientAuth CLIENT = ClientAuth.none(NAME);
    /** 2019-11-01 from every SDK; 2020-06-01 from MSAL versions that also send user-assigned selectors. */
    private static final Set<String> API_VERSIONS = Set.of("2019-11-01", "2020-06-01");

    private final ManagedIdentitySource source;
    private final TokenMetrics metrics;
    private final NodeGate gate;
    private final ArcKeyFiles keys;
    private final AllowedIdentities allowed;
    private final ArcErrors errors = new ArcErrors();

    /**
     * @param rate     and {@code inFlight}: the node's limits, the same objects IMDS counts on
     * @param keyDir   where key files are written (SDKs on Linux accept only /var/opt/azcmagent/tokens); made 0700 if missing
     * @param keyTtl   how long a challenge's secret stays good
     * @param allowed  the node's identities this endpoint may hand out
     */
    public ArcEndpoint(ManagedIdentitySource source, TokenMetrics metrics, RateLimit rate, Semaphore inFlight, String node, Path keyDir,
                       Duration keyTtl, AllowedIdentities allowed, Clock clock) {
        this.source = source;
        this.metrics = metrics;
        this.gate = new NodeGate(rate, inFlight, node);
        this.keys = new ArcKeyFiles(keyDir, keyTtl, clock);
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
        if (!"true".equalsIgnoreCase(req.headers().first(HeaderNames.create("Metadata")).orElse(null))) {
            throw Failure.invalidRequest("Required metadata header not specified");
        }
        if (req.headers().contains(HeaderNames.X_FORWARDED_FOR)) {
            throw refused(req, null, Failure.invalidRequest("Request came through a proxy (X-Forwarded-For); Arc answers the node only")
                    .because("arc.proxied"));
        }
        if (!gate.tryEnter()) throw refused(req, null, Failure.of(Reason.RATE_LIMITED, "Too many requests").because("arc.rate_limited"));
        try {
            TokenRequest.ManagedIdentity request = parse(req);
            authenticate(req, res, request);
            IdentityToken token = metrics.measure(NAME, request.grant(), () -> source.token(request, Origins.of(req), allowed));
            Responses.noStore(res);
            Responses.json(res, 200, ImdsDialect.Response.of(token));
        } finally {
            gate.exit();
        }
    }

    /** The query as a token request; a bad one is refused before any key file is made, and audited. */
    private TokenRequest.ManagedIdentity parse(ServerRequest req) {
        try {
            Form query = Form.parse(req.query().rawValue());
            IdentityQuery.apiVersion(query, API_VERSIONS);
            IdentitySelector selector = IdentityQuery.imdsSelector(query);
            return new TokenRequest.ManagedIdentity(NAME, CLIENT, gate.node(), selector, IdentityQuery.resource(query), false, null);
        } catch (Failure f) {
            throw refused(req, null, f);
        }
    }

    /** Without credentials: the challenge naming a new key file. With them: the secret must be one issued, unused and unexpired. */
    private void authenticate(ServerRequest req, ServerResponse res, TokenRequest.ManagedIdentity request) {
        String authorization = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        if (authorization == null) {
            Path file = keys.issue();
            if (file == null) {
                throw refused(req, request, Failure.of(Reason.RATE_LIMITED, "Too many unanswered challenges").because("arc.too_many_challenges"));
            }
            // Exactly one '=' and no quotes: MSAL Java splits the header on '=' and takes the second part as the path.
            res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=" + file);
            throw Failure.invalidClient("Send the content of the key file named in WWW-Authenticate as Authorization: Basic");
        }
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw refused(req, request, Failure.invalidClient("Authorization must be Basic with the key file's content")
                    .because("arc.malformed_authorization"));
        }
        switch (keys.redeem(authorization.substring(6))) {
            case ACCEPTED -> { }
            case UNKNOWN -> throw refused(req, request, Failure.invalidClient("Invalid key file secret").because("arc.unknown_secret"));
            case REUSED -> throw refused(req, request, Failure.invalidClient("Key file secret already used").because("arc.reused_secret"));
            case EXPIRED -> throw refused(req, request, Failure.invalidClient("Key file secret expired").because("arc.expired_secret"));
        }
    }

    private Failure refused(ServerRequest req, TokenRequest.ManagedIdentity request, Failure failure) {
        TokenRequest.ManagedIdentity audited = request != null ? request
                : new TokenRequest.ManagedIdentity(NAME, CLIENT, gate.node(), IdentitySelector.NONE, null, false, null);
        source.refused(audited, Origins.of(req), failure);
        return failure;
    }
}
