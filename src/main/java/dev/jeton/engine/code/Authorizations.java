package dev.jeton.engine.code;

import dev.jeton.engine.UserAuthenticator;
import dev.jeton.model.AuthContext;
import dev.jeton.model.AuthorizationCode;
import dev.jeton.model.Client;
import dev.jeton.engine.TokenAudit;
import dev.jeton.model.Failure;
import dev.jeton.model.Origin;
import dev.jeton.model.GrantType;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.secrets.SecretHash;
import dev.jeton.store.ClientStore;
import dev.jeton.store.CodeStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The authorization endpoint's decisions (RFC 6749 4.1, PKCE RFC 7636, OIDC Core 3.1.2), in
 * three steps: who the client is and where to send the answer (errors shown to the user, never
 * redirected), what it asks for (errors redirected back), and the user's login (a code).
 */
public final class Authorizations {
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final ClientStore clients;
    private final UserAuthenticator users;
    private final CodeStore codes;
    private final RandomTokens random;
    private final Clock clock;
    private final Duration codeTtl;
    private final TokenAudit audit;

    public Authorizations(ClientStore clients, UserAuthenticator users, CodeStore codes, RandomTokens random,
                          Clock clock, Duration codeTtl, TokenAudit audit) {
        this.clients = clients;
        this.users = users;
        this.codes = codes;
        this.random = random;
        this.clock = clock;
        this.codeTtl = codeTtl;
        this.audit = audit;
    }

    /** Step 1. The redirect URI must match a registered one exactly; with one registered it may be left out. */
    public Target target(String clientId, String redirectUri) {
        if (clientId == null) throw Failure.invalidRequest("client_id", "The request has no client_id.");
        Client client = clients.byClientId(clientId).filter(c -> !c.disabled())
                .orElseThrow(() -> Failure.invalidRequest("client_id", "This application is not known here."));
        if (redirectUri == null) {
            if (client.redirectUris().size() != 1) throw Failure.invalidRequest("redirect_uri", "The request has no redirect_uri.");
            return new Target(client, client.redirectUris().getFirst(), false);
        }
        if (!client.redirectUris().contains(redirectUri)) {
            throw Failure.invalidRequest("redirect_uri", "The redirect_uri is not registered for this application.");
        }
        return new Target(client, redirectUri, true);
    }

    /** Step 2. Public clients must use PKCE; only S256 is accepted (OAuth 2.1). */
    public Request check(Target target, String responseType, Set<String> scope, String nonce, String challenge, String method) {
        if (responseType == null) throw Failure.invalidRequest("response_type", "response_type is required");
        if (!responseType.equals("code")) throw Failure.of(Reason.UNSUPPORTED_GRANT, "response_type", "only response_type=code is supported");
        Client client = target.client();
        if (!client.allows(GrantType.AUTHORIZATION_CODE)) {
            throw Failure.unauthorizedClient("this client may not use the authorization code flow");
        }
        Set<String> granted = scope == null ? client.scopes() : scope;
        for (String s : granted) {
            if (!client.scopes().contains(s)) throw Failure.invalidScope("scope '" + s + "' is not allowed for this client");
        }
        if (challenge == null && client.isPublic()) throw Failure.invalidRequest("code_challenge", "public clients must use PKCE (S256)");
        if (challenge != null) {
            if (method == null || !method.equals("S256")) throw Failure.invalidRequest("code_challenge_method", "code_challenge_method must be S256");
            if (!CHALLENGE.matcher(challenge).matches()) throw Failure.invalidRequest("code_challenge", "code_challenge is not a base64url SHA-256");
        }
        if (nonce != null && nonce.length() > 512) throw Failure.invalidRequest("nonce", "nonce is too long");
        return new Request(target, granted, nonce, challenge);
    }

    /** Step 3: the user's password. Failures are throttled (UserAuthenticator) and audited. */
    public User authenticate(Request request, String username, Secret password, String address) {
        try {
            return users.authenticate(username, password, address);
        } catch (Failure f) {
            audit.refusedLogin(request.target().client().clientId(), username, new Origin(address, null, null), f);
            throw f;
        }
    }

    /** A request refused without a page (prompt=none): audited with the OpenID Connect error as the reason. */
    public void refusedSilently(Request request, String username, String address, String error, String detail) {
        audit.refusedLogin(request.target().client().clientId(), username, new Origin(address, null, null),
                Failure.of(Reason.ACCESS_DENIED, detail).because("prompt_none." + error));
    }

    /** Step 4: a single-use code for the logged-in user, valid for {@code codeTtl}. */
    public Secret issue(Request request, User user, AuthContext authContext) {
        Secret code = random.secret();
        Instant now = clock.instant();
        codes.save(SecretHash.of(code), new AuthorizationCode(request.target().client().clientId(), user.id(),
                request.target().redirectUri(), request.target().explicit(), request.scope(), request.nonce(), request.challenge(),
                authContext, now.plus(codeTtl), null, null, null));
        return code;
    }

    /** A validated client and redirect URI; {@code explicit} when the request named the URI. */
    public record Target(Client client, String redirectUri, boolean explicit) {
    }

    public record Request(Target target, Set<String> scope, String nonce, String challenge) {
    }
}
