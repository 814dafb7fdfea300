package dev.jeton.engine.registry;

import dev.jeton.engine.access.AccessRules;
import dev.jeton.engine.registry.RegistryTokens.Minted;
import dev.jeton.model.AccessScope;
import dev.jeton.model.Failure;
import dev.jeton.model.Issued;
import dev.jeton.model.Reason;
import dev.jeton.model.Requester;
import dev.jeton.model.Secret;
import dev.jeton.model.Subject;
import dev.jeton.model.TokenRequest.RegistryAccess;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Docker token auth: who asks, what the rules let them do of what they asked (every requested
 * resource is in the token, with the actions allowed, maybe none: not an error), and a refresh
 * token when asked for offline use. A login with a password or app secret gets Docker's
 * identity token (idle and absolute lifetimes, bound to that credential); a login with a
 * refresh token gets a plain registry refresh token, as before.
 */
public final class RegistryGrant {
    private final RegistryPrincipals principals;
    private final AccessRules rules;
    private final RegistryTokens tokens;
    private final Clock clock;

    public RegistryGrant(RegistryPrincipals principals, AccessRules rules, RegistryTokens tokens, Clock clock) {
        this.principals = principals;
        this.rules = rules;
        this.tokens = tokens;
        this.clock = clock;
    }

    public Issued issue(RegistryAccess request) {
        if (request.service() == null) throw Failure.invalidRequest("service", "service is required");
        RegistryPrincipals.Login login = principals.authenticate(request.username(), request.password(), request.source());
        Requester who = login.who();
        AccessRules.Decision decision = rules.decide(who, request.scopes());
        List<AccessScope> granted = decision.granted();
        if (who.kind() == Requester.Kind.ANONYMOUS && granted.isEmpty()) {
            // Nothing is public here: make the client come back with credentials.
            throw Failure.of(Reason.INVALID_CLIENT, "authentication required").because("rule.no_match");
        }
        Instant now = clock.instant();
        Minted access = tokens.access(who.subject(), request.service(), decision.access(), now);
        Minted refresh = offline(request, login, now);
        Set<String> scope = new LinkedHashSet<>();
        for (AccessScope s : granted) scope.add(s.format());
        Issued issued = new Issued(access.token(), access.jti(), access.issuedAt(), access.expiresAt(), scope, who.subject(),
                RegistryTokens.CLIENT_ID, refresh == null ? null : new Secret(refresh.token()), refresh == null ? null : refresh.expiresAt());
        if (refresh != null) issued = issued.withFamily(refresh.jti());
        return decision.limits().isEmpty() ? issued : issued.withLimits(decision.limits());
    }

    private Minted offline(RegistryAccess request, RegistryPrincipals.Login login, Instant now) {
        if (!request.offline() || login.who().kind() == Requester.Kind.ANONYMOUS) return null;
        Subject subject = login.who().subject();
        return login.credential() != null
                ? tokens.identity(subject, request.service(), login.credential(), now)
                : tokens.refresh(subject, request.service(), null, now);
    }
}
