package dev.jeton.engine;

import dev.jeton.audit.AuditEvent;
import dev.jeton.audit.AuditLog;
import dev.jeton.engine.registry.RegistryPrincipals;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.Issued;
import dev.jeton.model.Origin;
import dev.jeton.model.Reason;
import dev.jeton.model.RefreshFamily;
import dev.jeton.model.ScopeLimit;
import dev.jeton.model.Secret;
import dev.jeton.model.Subject;
import dev.jeton.model.TokenRequest;
import dev.jeton.secrets.TokenKey;
import dev.jeton.store.RefreshStore;

import java.time.Clock;
import java.util.List;

/**
 * Turns the engine's outcomes into audit events: a token issued or refreshed, a request refused
 * with the check that failed, a reused refresh token or code, a revocation. Events hold what
 * the grant already built; the log's own thread formats and writes them.
 */
public final class TokenAudit {
    private final AuditLog log;
    private final RefreshStore refresh;
    private final Clock clock;

    public TokenAudit(AuditLog log, RefreshStore refresh, Clock clock) {
        this.log = log;
        this.refresh = refresh;
        this.clock = clock;
    }

    public void issued(TokenRequest request, Origin origin, Issued issued) {
        Subject s = issued.subject();
        String event = request instanceof TokenRequest.Refresh ? AuditEvent.REFRESHED : AuditEvent.ISSUED;
        List<ScopeLimit> limits = issued.limits();
        log.record(new AuditEvent(clock.millis(), event, request.dialect(), request.grant(), s.name(), s.id(), s.kind().wireName(),
                issued.clientId(), issued.scope(), issued.jti(), issued.familyId(),
                issued.accessToken() == null ? issued.refreshExpiresAt() : issued.expiresAt(), origin,
                limits.isEmpty() ? null : limits.getFirst().reason(), null, limits, null, null));
    }

    public void refused(TokenRequest request, Origin origin, Failure failure) {
        boolean reuse = failure.code() == Failure.Code.REFRESH_REUSED || "code.replayed".equals(failure.check());
        String event = reuse ? AuditEvent.REUSE_DETECTED : AuditEvent.REFUSED;
        RefreshFamily family = familyOfRefused(request, failure);
        String clientId = request.client() == null ? null : request.client().clientId();
        if (family != null) {
            Subject s = family.subject();
            refusal(event, request.dialect(), request.grant(), s.name(), s.id(), s.kind().wireName(),
                    clientId != null ? clientId : family.clientId(), family.id(), origin, failure);
            return;
        }
        Attempt who = attempted(request);
        refusal(event, request.dialect(), request.grant(), who.subject(), null, who.kind(), clientId, null, origin, failure);
    }

    /** A password refused (or throttled) on the login page of the authorization code flow; no token was asked for yet. */
    public void refusedLogin(String clientId, String username, Origin origin, Failure failure) {
        refusal(AuditEvent.REFUSED, "oauth2", "login", username, null, "user", clientId, null, origin, failure);
    }

    /** A device authorization request, or a user code or sign-in on the device verification page, refused. */
    public void refusedDevice(String step, String clientId, String username, Origin origin, Failure failure) {
        refusal(AuditEvent.REFUSED, "oauth2", step, username, null, username == null ? "client" : "user", clientId, null, origin, failure);
    }

    /** A caller of {@code endpoint} (introspect) that failed to authenticate. */
    public void refusedClient(String dialect, String endpoint, ClientAuth caller, Origin origin, Failure failure) {
        String clientId = caller == null ? null : caller.clientId();
        refusal(AuditEvent.REFUSED, dialect, endpoint, clientId, null, "client", clientId, null, origin, failure);
    }

    /** A revocation request whose caller failed to authenticate or asked for another client's token. */
    public void refusedRevocation(String dialect, ClientAuth caller, Origin origin, Failure failure) {
        String clientId = caller == null ? null : caller.clientId();
        refusal(AuditEvent.REFUSED, dialect, "revoke", clientId, null, "client", clientId, null, origin, failure);
    }

    private void refusal(String event, String dialect, String grant, String subject, String subjectId, String kind, String clientId,
                         String familyId, Origin origin, Failure failure) {
        log.record(new AuditEvent(clock.millis(), event, dialect, grant, subject, subjectId, kind, clientId, null, null, familyId,
                null, origin, failure.check(), failure.detail(), List.of(), null, null));
    }

    /** A revocation by a client ({@code actorKind} client) or by the operator (operator, on the CLI). */
    public void revoked(String dialect, Origin origin, Revocation.Revoked what, String actor, String actorKind) {
        Subject s = what.subject();
        log.record(new AuditEvent(clock.millis(), AuditEvent.REVOKED, dialect, null, s == null ? actor : s.name(),
                s == null ? null : s.id(), s == null ? actorKind : s.kind().wireName(), what.clientId(), null, what.jti(),
                what.familyId(), null, origin, null, actorKind + " " + actor + " revoked " + what.kind(), List.of(), null, null));
    }

    /**
     * The family behind a refused refresh token, so a reuse names whose tokens were revoked and a
     * refused registry identity token names its user. Unknown tokens cost no lookup.
     */
    private RefreshFamily familyOfRefused(TokenRequest request, Failure failure) {
        Secret token = switch (request) {
            case TokenRequest.Refresh r -> r.refreshToken();
            case TokenRequest.RegistryAccess r when RegistryPrincipals.REFRESH_TOKEN_USER.equals(r.username()) -> r.password();
            case TokenRequest.RegistryExchange x when "refresh_token".equals(x.grantType()) -> x.refreshToken();
            default -> null;
        };
        if (token == null || token.isEmpty() || failure.code() == Failure.Code.REFRESH_UNKNOWN) return null;
        // The store failed this request: asking it again would wait out the same outage and lose the audit line.
        if (failure.reason() == Reason.UNAVAILABLE || failure.reason() == Reason.INTERNAL) return null;
        return refresh.find(TokenKey.of(token)).map(RefreshStore.TokenState::family).orElse(null);
    }

    /** Who the request claimed to be, before anything was checked: a user name, the client itself, or nobody yet known. */
    private static Attempt attempted(TokenRequest request) {
        return switch (request) {
            case TokenRequest.Password p -> new Attempt(p.username(), "user");
            case TokenRequest.RegistryAccess r -> r.username() == null ? new Attempt(null, "anonymous")
                    : RegistryPrincipals.REFRESH_TOKEN_USER.equals(r.username()) ? new Attempt(null, "refresh_token")
                    : new Attempt(r.username(), null);
            case TokenRequest.ClientCredentials c -> new Attempt(c.client() == null ? null : c.client().clientId(), "client");
            case TokenRequest.ManagedIdentity m -> new Attempt(m.selector().value(), "managed_identity");
            default -> new Attempt(null, null);
        };
    }

    private record Attempt(String subject, String kind) {
    }
}
