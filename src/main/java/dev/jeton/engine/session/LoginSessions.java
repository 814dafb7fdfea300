package dev.jeton.engine.session;

import dev.jeton.model.Failure;
import dev.jeton.model.LoginSession;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.secrets.SecretHash;
import dev.jeton.store.SessionStore;
import dev.jeton.store.UserStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Login sessions behind the {@code jeton_session} cookie. All state is in the store, so any
 * instance on the same database honours a session another one started. A session is valid
 * while it is neither revoked nor past its idle or absolute expiry, its user is enabled and
 * still has the password it logged in with.
 */
public final class LoginSessions {
    /** The {@code acr} of a password login: level 1 (one factor), as Keycloak and others send. */
    public static final String PASSWORD_ACR = "1";
    /** RFC 8176 method of a password login. */
    public static final List<String> PASSWORD_AMR = List.of("pwd");

    private final SessionStore store;
    private final UserStore users;
    private final RandomTokens random;
    private final Clock clock;
    private final Duration idle;
    private final Duration max;

    public LoginSessions(SessionStore store, UserStore users, RandomTokens random, Clock clock, Duration idle, Duration max) {
        this.store = store;
        this.users = users;
        this.random = random;
        this.clock = clock;
        this.idle = idle;
        this.max = max;
    }

    /**
     * A user has just logged in with a password. In a browser whose session is the same user's
     * (prompt=login, max_age), that session is renewed in place: new cookie secret (no fixation),
     * new auth_time, same id, so the clients holding its sid still hear of its end. Otherwise a
     * new session. The cookie value is shown once.
     */
    public Started start(User user, Optional<Current> previous) {
        Instant now = clock.instant();
        Secret cookie = random.secret();
        if (previous.isPresent() && previous.get().user().id().equals(user.id())) {
            LoginSession old = previous.get().session();
            Instant idleAt = earlier(now.plus(idle), old.expiresAt());
            if (store.reauthenticate(old.id(), SecretHash.of(cookie), now, credential(user), idleAt)) {
                return new Started(cookie, new LoginSession(old.id(), user.id(), now, PASSWORD_ACR, PASSWORD_AMR, credential(user),
                        old.createdAt(), idleAt, old.expiresAt(), null));
            }
        }
        LoginSession session = new LoginSession(random.uuid(), user.id(), now, PASSWORD_ACR, PASSWORD_AMR, credential(user), now,
                earlier(now.plus(idle), now.plus(max)), now.plus(max), null);
        store.create(SecretHash.of(cookie), session);
        return new Started(cookie, session);
    }

    /** The valid session behind a cookie value, its idle expiry moved forward; empty for anything else. */
    public Optional<Current> current(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 256) return Optional.empty();
        Instant now = clock.instant();
        Optional<LoginSession> found = store.byHash(SecretHash.of(cookieValue)).filter(s -> s.activeAt(now));
        if (found.isEmpty()) return Optional.empty();
        LoginSession session = found.get();
        Optional<User> user = users.byId(session.userId());
        if (user.isEmpty() || user.get().disabled() || !credential(user.get()).equals(session.credential())) {
            // Disabled or a new password since: the session is over everywhere, not only for this request.
            store.revoke(session.id(), now);
            return Optional.empty();
        }
        if (!store.touch(session.id(), earlier(now.plus(idle), session.expiresAt()), now)) return Optional.empty();
        return Optional.of(new Current(session, user.get()));
    }

    public Optional<LoginSession> byId(String id) { return store.byId(id); }

    /** Ends one session; true when it was active. */
    public boolean end(String id) { return store.revoke(id, clock.instant()); }

    /** Ends every session of the user named; returns their ids. */
    public List<String> endAllOf(String userName) {
        User user = users.byName(userName).orElseThrow(() -> Failure.notFound("no user named '" + userName + "'"));
        return store.revokeUser(user.id(), clock.instant());
    }

    /** Active sessions with their user's name, of one user or (null) of everyone. */
    public List<Listed> list(String userName) {
        String userId = null;
        if (userName != null) userId = users.byName(userName).orElseThrow(() -> Failure.notFound("no user named '" + userName + "'")).id();
        return store.active(userId, clock.instant()).stream()
                .map(s -> new Listed(s, users.byId(s.userId()).map(User::name).orElse("?"), store.clients(s.id()))).toList();
    }

    /** The client received a code in the session: it is told when the session ends (back-channel logout). */
    public void participate(String sessionId, String clientId) { store.addClient(sessionId, clientId); }

    public List<String> participants(String sessionId) { return store.clients(sessionId); }

    private static Instant earlier(Instant a, Instant b) { return a.isBefore(b) ? a : b; }

    /** Changes with the password hash (a new salt each time), without storing anything that verifies a password. */
    private static String credential(User user) {
        return HexFormat.of().formatHex(SecretHash.of(user.passwordHash() == null ? "" : user.passwordHash()));
    }

    public record Started(Secret cookie, LoginSession session) {
    }

    public record Current(LoginSession session, User user) {
    }

    public record Listed(LoginSession session, String userName, List<String> clients) {
    }
}
