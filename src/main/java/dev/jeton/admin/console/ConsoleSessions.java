package dev.jeton.admin.console;

import dev.jeton.secrets.RandomTokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in console users and sign-ins under way, held in this server's memory: the browser
 * holds only a random id. A restart signs everyone out, which for an admin console is a
 * feature. The user's rights are not kept here: they are read from the user's groups on
 * every request, so taking a user out of {@code jeton-admins} takes effect at once.
 */
final class ConsoleSessions {
    static final Duration LIFETIME = Duration.ofHours(8);
    static final Duration SIGN_IN_WINDOW = Duration.ofMinutes(10);
    /** Enough for every admin of an installation; beyond it, the oldest are dropped (they sign in again). */
    private static final int MAX = 10_000;

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final RandomTokens random;
    private final Clock clock;

    ConsoleSessions(RandomTokens random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    /** One signed-in browser: the user's name, the CSRF token of its forms, and when it ends. */
    record Session(String id, String user, String csrf, Instant expiresAt) {
    }

    /** A sign-in sent to /oidc/authorize: its state (also in the browser's cookie) and PKCE verifier. */
    record Pending(String state, String verifier, Instant expiresAt) {
    }

    Pending startSignIn() {
        sweep(pending);
        Pending p = new Pending(random.id(), random.secret().value(), clock.instant().plus(SIGN_IN_WINDOW));
        pending.put(p.state(), p);
        return p;
    }

    /** The sign-in of {@code state}, once. */
    Optional<Pending> finishSignIn(String state) {
        if (state == null) return Optional.empty();
        Pending p = pending.remove(state);
        return p == null || !clock.instant().isBefore(p.expiresAt()) ? Optional.empty() : Optional.of(p);
    }

    Session open(String user) {
        sweep(sessions);
        Session s = new Session(random.id(), user, random.id(), clock.instant().plus(LIFETIME));
        sessions.put(s.id(), s);
        return s;
    }

    Optional<Session> find(String id) {
        if (id == null) return Optional.empty();
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        if (!clock.instant().isBefore(s.expiresAt())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    void close(String id) {
        if (id != null) sessions.remove(id);
    }

    private <T> void sweep(Map<String, T> map) {
        Instant now = clock.instant();
        map.values().removeIf(v -> !now.isBefore(v instanceof Session s ? s.expiresAt() : ((Pending) v).expiresAt()));
        if (map.size() >= MAX) map.clear();
    }
}
