package dev.jeton.engine.federation;

import dev.jeton.engine.ClientDirectory;
import dev.jeton.federation.FederatedToken;
import dev.jeton.federation.WorkloadTokens;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.PrincipalRef;
import dev.jeton.model.Reason;
import dev.jeton.model.Requester;
import dev.jeton.model.Subject;
import dev.jeton.model.SubjectKind;
import dev.jeton.model.TrustPolicy;
import dev.jeton.store.IdentityStore;
import dev.jeton.store.TrustStore;
import dev.jeton.store.UserStore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Turns a workload's platform token into the Jeton principal its trust policy names, as that
 * principal is now: a managed identity, an app or a user must still exist and be enabled; a
 * group mapping makes the workload itself the subject, with that group's rights.
 */
public final class Federation {
    private final WorkloadTokens tokens;
    private final IdentityStore identities;
    private final ClientDirectory clients;
    private final UserStore users;
    private final TrustStore store;

    public Federation(WorkloadTokens tokens, TrustStore store, IdentityStore identities, ClientDirectory clients, UserStore users) {
        this.store = store;
        this.tokens = tokens;
        this.identities = identities;
        this.clients = clients;
        this.users = users;
    }

    /** What a verified workload token speaks for, and until when anything issued for it may live. */
    public record Federated(FederatedToken token, Requester requester, ManagedIdentity identity, Client app) {
        /** The subject of tokens issued for the workload. */
        public Subject subject() { return requester.subject(); }

        /** The longest an issued token may live: the policy's cap, from now. */
        public Instant notAfter(Instant now) { return now.plus(token.policy().maxTtl()); }

        public Duration maxTtl() { return token.policy().maxTtl(); }
    }

    public boolean trustsIssuer(String issuer) { return tokens.trustsIssuer(issuer); }

    /** A workload token verified against the trust policies, whatever principal its policy names (node agents use it as is). */
    public FederatedToken verify(String platformToken) { return tokens.verify(platformToken); }

    public Federated resolve(String platformToken) {
        FederatedToken token = tokens.verify(platformToken);
        PrincipalRef as = token.policy().as();
        String policy = token.policy().name();
        return switch (as.kind()) {
            case IDENTITY -> {
                ManagedIdentity identity = identities.byName(as.name())
                        .orElseThrow(() -> gone("managed identity " + as.name() + " of trust policy " + policy + " does not exist"));
                yield new Federated(token, Requester.identity(identity), identity, null);
            }
            case APP -> {
                Client app = clients.byClientId(as.name()).filter(c -> !c.disabled())
                        .orElseThrow(() -> gone("app " + as.name() + " of trust policy " + policy + " is gone or disabled"));
                yield new Federated(token, Requester.app(app), null, app);
            }
            case USER -> new Federated(token, users.byName(as.name()).filter(u -> !u.disabled()).map(Requester::user)
                    .orElseThrow(() -> gone("user " + as.name() + " of trust policy " + policy + " is gone or disabled")), null, null);
            // The workload itself is the subject, with the group's rights: registry rules by group apply to it.
            case GROUP -> new Federated(token, workload(token.subject(), token.policy()), null, null);
            // A node agent's policy lets an agent in (engine.node); it names no principal to issue tokens for.
            case NODE -> throw Failure.of(Reason.INVALID_GRANT, "trust policy " + policy + " admits node agents only")
                    .because("policy.node_agents_only");
        };
    }

    /**
     * A workload subject named in a token issued earlier (a registry refresh token), as it stands
     * now: its policy must still exist and still map to a group. The subject's name is the policy's.
     */
    public Requester ofWorkload(Subject subject) {
        TrustPolicy policy = store.byName(subject.name()).filter(p -> p.as().kind() == PrincipalRef.Kind.GROUP)
                .orElseThrow(() -> gone("trust policy " + subject.name() + " of the token is gone or maps elsewhere now"));
        return workload(subject.id(), policy);
    }

    /** The workload itself is the subject, with the group's rights: registry rules by group apply to it. */
    private static Requester workload(String sub, TrustPolicy policy) {
        return new Requester(Requester.Kind.USER, new Subject(SubjectKind.WORKLOAD, sub, policy.name()), List.of(policy.as().name()));
    }

    /** Drops the compiled policies, for changes made in this process. */
    public void invalidate() { tokens.invalidate(); }

    private static Failure gone(String detail) {
        return Failure.of(Reason.INVALID_GRANT, detail).because("policy.principal_gone");
    }
}
