package dev.jeton.engine.federation;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.engine.AccessTokens;
import dev.jeton.engine.ClientAuthenticator;
import dev.jeton.engine.ClientDirectory;
import dev.jeton.engine.Grants;
import dev.jeton.engine.TokenMinter;
import dev.jeton.engine.TokenMinter.Minted;
import dev.jeton.engine.imds.ManagedIdentityTokens;
import dev.jeton.federation.WorkloadTokens;
import dev.jeton.engine.registry.RegistryPrincipals;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.Issued;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.Reason;
import dev.jeton.model.Requester;
import dev.jeton.model.Subject;
import dev.jeton.model.SubjectKind;
import dev.jeton.model.TokenRequest.TokenExchange;
import dev.jeton.store.IdentityStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * RFC 8693 token exchange. A workload's platform token, matched by a trust policy, is its own
 * credential: no client needs to authenticate, and one that does narrows what may be asked for
 * (its scopes and audiences). One of Jeton's own access tokens may be exchanged too, but only by
 * an authenticated client that the token was issued to or for (as Keycloak's standard exchange
 * requires), since a token alone must not buy a token for another audience. Errors follow RFC
 * 8693 2.2.2: an unacceptable subject token is {@code invalid_request}, an audience that cannot
 * be served {@code invalid_target}.
 */
public final class TokenExchangeGrant {
    public static final String JWT = "urn:ietf:params:oauth:token-type:jwt";
    public static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    public static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
    private static final Set<String> SUBJECT_TYPES = Set.of(JWT, ACCESS_TOKEN, ID_TOKEN);

    /** What the engine needs to serve the exchange. */
    public record Parts(ClientAuthenticator clients, ClientDirectory directory, IdentityStore identities, Federation federation, AccessTokens ownTokens, RegistryPrincipals principals,
                        Grants grants, TokenMinter minter, ManagedIdentityTokens identityTokens, Duration identityTokenTtl,
                        String issuer, Clock clock) {
    }

    private final Parts p;

    public TokenExchangeGrant(Parts parts) { this.p = parts; }

    public Issued issue(TokenExchange r) {
        if (r.subjectToken() == null || r.subjectToken().isEmpty()) throw Failure.invalidRequest("subject_token", "subject_token is required");
        if (r.subjectTokenType() == null) throw Failure.invalidRequest("subject_token_type", "subject_token_type is required");
        if (!SUBJECT_TYPES.contains(r.subjectTokenType())) {
            throw Failure.invalidRequest("subject_token_type", "subject_token_type must be " + JWT + ", " + ACCESS_TOKEN + " or " + ID_TOKEN)
                    .because("exchange.subject_type");
        }
        if (r.requestedTokenType() != null && !r.requestedTokenType().equals(ACCESS_TOKEN) && !r.requestedTokenType().equals(JWT)) {
            throw Failure.invalidRequest("requested_token_type", "Jeton issues access tokens (" + ACCESS_TOKEN + ") only")
                    .because("exchange.requested_type");
        }
        if (r.audience() != null && r.resource() != null && !r.audience().equals(r.resource())) {
            throw Failure.of(Reason.INVALID_TARGET, "audience", "give one target: audience and resource differ").because("exchange.targets");
        }
        Client client = r.client() == null || r.client().clientId() == null ? null : p.clients().authenticate(r.client());
        String target = r.audience() != null ? r.audience() : r.resource();
        String iss = WorkloadTokens.issuerOf(r.subjectToken().value());
        if (iss == null) throw Failure.of(Reason.INVALID_REQUEST, "subject_token", "the subject token is not a JWT naming its issuer")
                .because("token.malformed");
        Who who;
        if (p.federation().trustsIssuer(iss)) {
            who = federated(r);
        } else if (iss.equals(p.issuer()) || iss.startsWith(p.issuer() + "/")) {
            who = own(r, client);
        } else {
            throw Failure.of(Reason.INVALID_REQUEST, "subject_token", "no trust policy names the token's issuer").because("issuer.unknown");
        }
        Instant now = p.clock().instant();
        Duration ttl = who.maxTtl();
        if (who.requester().kind() == Requester.Kind.IDENTITY) return identityToken(who, client, target, r.scope(), now, ttl);
        Set<String> scope = scope(client, who, r.scope());
        String audience = audience(client, who, target);
        // RFC 9068 wants a client_id in every access token: a workload that came through no client came through its policy.
        String clientId = client != null ? client.clientId() : who.app() != null ? who.app().clientId() : who.via();
        Client governing = client != null ? client : who.app();
        Duration accessTtl = min(governing != null ? p.grants().accessTtl(governing) : p.grants().defaultAccessTtl(), ttl);
        Subject subject = who.requester().subject();
        Minted token = p.minter().mint(subject, clientId, scope, audience, accessTtl, now);
        return new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), scope, subject, clientId, null, null);
    }

    /** The principal the subject token speaks for; the cap on what is issued for it; the app, where it is one. */
    private record Who(Requester requester, Duration maxTtl, Client app, ManagedIdentity identity, String via) {
    }

    private Who federated(TokenExchange r) {
        Federation.Federated federated;
        try {
            federated = p.federation().resolve(r.subjectToken().value());
        } catch (Failure f) {
            if (f.reason() != Reason.INVALID_GRANT) throw f;
            throw Failure.of(Reason.INVALID_REQUEST, "subject_token", f.detail()).because(f.check());
        }
        return new Who(federated.requester(), federated.maxTtl(), federated.app(), federated.identity(),
                "trust:" + federated.token().policy().name());
    }

    private Who own(TokenExchange r, Client client) {
        JWTClaimsSet claims;
        try {
            claims = p.ownTokens().verify(r.subjectToken().value());
        } catch (Failure f) {
            throw Failure.of(Reason.INVALID_REQUEST, "subject_token", "the subject token is not valid: " + f.detail()).because(f.check());
        }
        if (client == null) {
            throw Failure.invalidClient("exchanging one of Jeton's own tokens needs an authenticated client").because("exchange.self_needs_client");
        }
        List<String> audiences = Objects.requireNonNullElse(claims.getAudience(), List.of());
        if (!audiences.contains(client.clientId()) && !client.clientId().equals(claims.getClaim("client_id"))) {
            throw Failure.of(Reason.ACCESS_DENIED, "the client is not an audience of the subject token").because("exchange.not_audience");
        }
        Requester who = p.principals().ofSubject(subjectOf(claims));
        Client app = who.kind() == Requester.Kind.APP ? p.directory().byClientId(who.subject().id()).orElse(null) : null;
        ManagedIdentity identity = who.kind() == Requester.Kind.IDENTITY ? p.identities().byObjectId(who.subject().id()).orElse(null) : null;
        // What an exchange issues for one of our tokens never outlives it.
        Instant exp = claims.getExpirationTime().toInstant();
        return new Who(who, Duration.between(p.clock().instant(), exp), app, identity, client.clientId());
    }

    private Issued identityToken(Who who, Client client, String target, Set<String> scope, Instant now, Duration cap) {
        if (scope != null && !scope.isEmpty()) {
            throw Failure.invalidScope("a managed identity's token carries no scopes: name its resource in audience or resource");
        }
        ManagedIdentity identity = who.identity();
        String resource = target != null ? target : p.issuer();
        if (client != null) p.grants().audience(client, resource);
        Issued issued = p.identityTokens().mint(identity, resource, now, min(p.identityTokenTtl(), cap)).issued();
        return issued;
    }

    private Set<String> scope(Client client, Who who, Set<String> requested) {
        if (client != null) return p.grants().scope(client, requested);
        if (who.app() != null) return p.grants().scope(who.app(), requested);
        if (requested != null && !requested.isEmpty()) {
            throw Failure.invalidScope("scopes are granted through a client: authenticate as a client that allows them")
                    .because("scope.not_allowed");
        }
        return Set.of();
    }

    private String audience(Client client, Who who, String target) {
        if (client != null) return p.grants().audience(client, target);
        if (who.app() != null) return p.grants().audience(who.app(), target);
        return target != null && !target.isEmpty() ? target : p.issuer();
    }

    private static Subject subjectOf(JWTClaimsSet claims) {
        String sub = claims.getSubject();
        Object username = claims.getClaim("preferred_username");
        if (username != null) return new Subject(SubjectKind.USER, sub, username.toString());
        if (claims.getClaim("xms_mirid") != null) return new Subject(SubjectKind.MANAGED_IDENTITY, sub, sub);
        return new Subject(SubjectKind.CLIENT, sub, sub);
    }

    private static Duration min(Duration a, Duration b) { return a.compareTo(b) <= 0 ? a : b; }
}
