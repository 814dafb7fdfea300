package dev.jeton.engine.session;

import dev.jeton.engine.session.IdTokenHints.Hint;
import dev.jeton.engine.session.LoginSessions.Current;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.LoginSession;
import dev.jeton.model.Origin;
import dev.jeton.store.ClientStore;

import java.util.Optional;

/**
 * OpenID Connect RP-Initiated Logout 1.0. {@link #check} validates the request before anything
 * ends, so a bad request changes nothing; {@link #end} ends the session here and tells the
 * clients that took part in it (back-channel logout).
 */
public final class Logout {
    private final LoginSessions sessions;
    private final IdTokenHints hints;
    private final ClientStore clients;
    private final RelyingParties parties;
    private final BackChannelLogout backChannel;
    private final SessionAudit audit;

    public Logout(LoginSessions sessions, IdTokenHints hints, ClientStore clients, RelyingParties parties, BackChannelLogout backChannel,
                  SessionAudit audit) {
        this.sessions = sessions;
        this.hints = hints;
        this.clients = clients;
        this.parties = parties;
        this.backChannel = backChannel;
        this.audit = audit;
    }

    /** Validates the request; a refusal is audited with its reason and changes nothing. */
    public Plan check(String idTokenHint, String clientId, String postLogoutRedirectUri, Origin origin) {
        try {
            return plan(idTokenHint, clientId, postLogoutRedirectUri);
        } catch (Failure f) {
            audit.logoutRefused(clientId, origin, f);
            throw f;
        }
    }

    /** Spec section 2 and 3, one rule per check. {@code redirect} is null when the user stays on our "signed out" page. */
    private Plan plan(String idTokenHint, String clientId, String postLogoutRedirectUri) {
        Hint hint = idTokenHint == null || idTokenHint.isEmpty() ? null : hints.verify(idTokenHint);
        String client = clientId;
        if (hint != null && clientId != null && !hint.audience().contains(clientId)) {
            throw Failure.invalidRequest("client_id", "client_id is not an audience of id_token_hint").because("logout.client_mismatch");
        }
        if (client == null && hint != null && hint.audience().size() == 1) client = hint.audience().getFirst();
        if (client != null) {
            String known = client;
            Optional<Client> found = clients.byClientId(known);
            if (found.isEmpty()) throw Failure.invalidRequest("client_id", "This application is not known here.").because("logout.client_unknown");
        }
        if (postLogoutRedirectUri == null) return new Plan(hint, client, null);
        if (client == null) {
            throw Failure.invalidRequest("post_logout_redirect_uri", "post_logout_redirect_uri needs client_id or id_token_hint")
                    .because("logout.redirect_without_client");
        }
        if (!parties.of(client).postLogoutRedirectUris().contains(postLogoutRedirectUri)) {
            throw Failure.invalidRequest("post_logout_redirect_uri", "post_logout_redirect_uri is not registered for this application")
                    .because("logout.redirect_unregistered");
        }
        return new Plan(hint, client, postLogoutRedirectUri);
    }

    /**
     * Ends the browser's session, or (without a cookie, e.g. in a private window the RP opened)
     * the session named by the hint's {@code sid} when it belongs to the hint's user.
     */
    public Optional<LoginSession> end(Plan plan, Optional<Current> browser, Origin origin) {
        Optional<LoginSession> session = browser.map(Current::session);
        if (session.isEmpty() && plan.hint() != null && plan.hint().sid() != null) {
            session = sessions.byId(plan.hint().sid()).filter(s -> s.userId().equals(plan.hint().subject()));
        }
        if (session.isEmpty() || !sessions.end(session.get().id())) return Optional.empty();
        LoginSession ended = session.get();
        audit.loggedOut(browser.map(c -> c.user().name()).orElse(null), ended.userId(), plan.clientId(), ended.id(), origin, "RP-initiated logout");
        backChannel.notify(ended, sessions.participants(ended.id()));
        return session;
    }

    /** Another user logged in on this browser: the previous user's session ends, and its clients are told. */
    public void replaced(Current previous, Origin origin) {
        LoginSession session = previous.session();
        if (!sessions.end(session.id())) return;
        audit.loggedOut(previous.user().name(), session.userId(), null, session.id(), origin, "a login as another user");
        backChannel.notify(session, sessions.participants(session.id()));
    }

    public record Plan(Hint hint, String clientId, String redirect) {
    }
}
