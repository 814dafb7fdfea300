package dev.jeton.store;

import dev.jeton.model.LoginSession;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** OpenID Connect login sessions, found by the SHA-256 of their cookie's secret or by their public id. */
public interface SessionStore {
    void create(byte[] hash, LoginSession session);

    Optional<LoginSession> byHash(byte[] hash);

    Optional<LoginSession> byId(String id);

    /** Moves the idle expiry forward, only while the session is active at {@code now}; false when it is not. */
    boolean touch(String id, Instant idleExpiresAt, Instant now);

    /**
     * The same user logged in again in the same browser: a new cookie secret (hash), login time
     * and credential for the active session, which keeps its id (the clients' sid) and its clients.
     */
    boolean reauthenticate(String id, byte[] hash, Instant authTime, String credential, Instant idleExpiresAt);

    /** True when this call ended an active session. */
    boolean revoke(String id, Instant now);

    /** Ends every active session of the user; returns their ids. */
    List<String> revokeUser(String userId, Instant now);

    /** Active sessions at {@code now}, of one user or (null) of all, newest first. */
    List<LoginSession> active(String userId, Instant now);

    /** Records that the client received a code in the session (idempotent). */
    void addClient(String sessionId, String clientId);

    List<String> clients(String sessionId);

    int deleteExpired(Instant before);
}
