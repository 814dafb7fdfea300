package dev.jeton.engine.node;

import dev.jeton.audit.AuditEvent;
import dev.jeton.audit.AuditLog;
import dev.jeton.engine.imds.IdentityChoice;
import dev.jeton.engine.imds.ManagedIdentityTokens;
import dev.jeton.model.Failure;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.Origin;
import dev.jeton.model.Secret;
import dev.jeton.model.Subject;
import dev.jeton.model.TokenRequest.IdentitySelector;
import dev.jeton.store.IdentityStore;
import dev.jeton.store.NodeStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the node API asks of the engine: enrol a node, and mint managed-identity tokens for the
 * node a credential proves, only of the identities assigned to that node. Every outcome is one
 * audit event, refusals with the check that failed. Tokens are not cached here: each agent
 * caches its own, and a server must not hand one node's cached answer to another.
 */
public final class Nodes {
    /** The audit log's dialect for the node API. */
    public static final String DIALECT = "agent";
    /** last_seen_at is written at most this often per node and server: a write per token request would cost more than it tells. */
    private static final Duration SEEN_EVERY = Duration.ofMinutes(1);

    private final NodeCredentials credentials;
    private final NodeStore nodes;
    private final IdentityStore identities;
    private final ManagedIdentityTokens tokens;
    private final Duration ttl;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();

    public Nodes(NodeCredentials credentials, NodeStore nodes, IdentityStore identities, ManagedIdentityTokens tokens, Duration ttl,
                 AuditLog audit, Clock clock) {
        this.credentials = credentials;
        this.nodes = nodes;
        this.identities = identities;
        this.tokens = tokens;
        this.ttl = ttl;
        this.audit = audit;
        this.clock = clock;
    }

    public void enrol(String node, Secret token, String publicJwk, Origin origin) {
        try {
            credentials.enrol(node, token, publicJwk);
        } catch (Failure f) {
            refused("enrol", node, origin, f);
            throw f;
        }
        audit.record(AuditEvent.admin(clock.millis(), DIALECT, node, "node", "node.enrol", node, "enrolled its public key"));
    }

    /** A token of one of the proven node's identities for {@code resource}; the node comes from {@code assertion} alone. */
    public IdentityToken token(String assertion, IdentitySelector selector, String resource, Origin origin) {
        String node = null;
        try {
            node = credentials.authenticate(assertion);
            if (resource == null || resource.isEmpty()) throw Failure.invalidRequest("resource", "Required audience parameter not specified");
            if (resource.length() > 1024) throw Failure.invalidRequest("resource", "resource is too long");
            List<ManagedIdentity> mine = identities.forNode(node);
            ManagedIdentity identity = IdentityChoice.choose(node, mine, selector);
            IdentityToken token = tokens.mint(identity, resource, clock.instant(), ttl);
            seen(node);
            Subject s = identity.subject();
            audit.record(new AuditEvent(clock.millis(), AuditEvent.ISSUED, DIALECT, "managed_identity", s.name(), s.id(), s.kind().wireName(),
                    identity.clientId(), List.of(resource), token.issued().jti(), null, token.issued().expiresAt(), origin, null,
                    "for node " + node, List.of(), null, null));
            return token;
        } catch (Failure f) {
            // Before the credential verifies, the audit line names the node the assertion claims.
            refused("managed_identity", node != null ? node : NodeCredentials.claimed(assertion), origin, f);
            throw f;
        }
    }

    private void seen(String node) {
        Instant now = clock.instant();
        Instant before = lastSeen.get(node);
        if (before != null && now.isBefore(before.plus(SEEN_EVERY))) return;
        lastSeen.put(node, now);
        nodes.seen(node, now);
    }

    private void refused(String grant, String node, Origin origin, Failure f) {
        audit.record(new AuditEvent(clock.millis(), AuditEvent.REFUSED, DIALECT, grant, node, null, "node", null, null, null, null, null,
                origin, f.check(), f.detail(), List.of(), null, null));
    }
}
