package dev.jeton.engine;

import dev.jeton.audit.AdminAudit;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.engine.Accounts.NewClient;
import dev.jeton.engine.ApiKeys.NewApiKey;
import dev.jeton.engine.access.RuleAdmin;
import dev.jeton.engine.federation.TrustAdmin;
import dev.jeton.engine.imds.ManagedIdentities;
import dev.jeton.engine.node.NodeAdmin;
import dev.jeton.engine.upstream.UpstreamAdmin;
import dev.jeton.keys.KeyRing;
import dev.jeton.keys.SigningAlgorithm;
import dev.jeton.engine.session.LoginSessions;
import dev.jeton.engine.session.RelyingParties;
import dev.jeton.model.AccessRule;
import dev.jeton.model.ApiKey;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.GrantType;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.Origin;
import dev.jeton.model.RelyingParty;
import dev.jeton.model.Secret;
import dev.jeton.model.TrustPolicy;
import dev.jeton.model.Upstream;
import dev.jeton.model.User;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Every change an operator makes, made and recorded in the audit log in one call, for one actor:
 * the CLI (the local OS user) and the admin API (the subject of the caller's token) both call
 * these, so they cannot make a change differently or forget to record it.
 */
public final class AdminChanges {
    private final Parts parts;
    private final AdminAudit audit;
    private final Clock clock;

    /** The operations behind the changes; the lazily made ones are asked for only when a change needs them. */
    public record Parts(Accounts accounts, ApiKeys apiKeys, Supplier<RuleAdmin> rules, Supplier<ManagedIdentities> identities,
                        Supplier<TrustAdmin> trust, Supplier<KeyRing> keys, Supplier<Revocation> revocation,
                        Supplier<TokenAudit> tokenAudit, NodeAdmin nodes, Supplier<UpstreamAdmin> upstreams,
                        Supplier<OidcRegistrations> oidc, Supplier<RelyingParties> relyingParties, LoginSessions sessions) {
    }

    public AdminChanges(Parts parts, AdminAudit audit, Clock clock) {
        this.parts = parts;
        this.audit = audit;
        this.clock = clock;
    }

    /** Who these changes are recorded as. */
    public String actor() { return audit.actor(); }

    public User addUser(String name, Secret password, List<String> groups) {
        User user = parts.accounts().addUser(name, password, groups);
        audit.changed("user.add", user.name(), groups.isEmpty() ? null : "groups " + String.join(",", groups));
        return user;
    }

    public void setUserGroups(String name, List<String> groups) {
        parts.accounts().setUserGroups(name, groups);
        audit.changed("user.set_groups", name, groups.isEmpty() ? "no groups" : "groups " + String.join(",", groups));
    }

    /**
     * Makes {@code members} exactly the users in {@code group}: they join it, everyone else leaves
     * it. A group is only a name that users and rules carry, so this is how one is made (with its
     * first members) and changed. Every member must be a user; nothing changes otherwise.
     */
    public void setGroupMembers(String group, Set<String> members) {
        requireGroupName(group);
        List<User> users = parts.accounts().users();
        for (String m : members) {
            if (users.stream().noneMatch(u -> u.name().equals(m))) throw dev.jeton.model.Failure.notFound("no user named '" + m + "'");
        }
        for (User u : users) {
            boolean in = u.groups().contains(group);
            if (in == members.contains(u.name())) continue;
            List<String> groups = new java.util.ArrayList<>(u.groups());
            if (in) groups.remove(group);
            else groups.add(group);
            parts.accounts().setUserGroups(u.name(), groups);
        }
        audit.changed("group.set_members", group, members.isEmpty() ? "no members" : "members " + String.join(",", new java.util.TreeSet<>(members)));
    }

    /** Every member leaves the group and the registry rules that grant to it are removed, so re-adding the name grants nothing old. */
    public void deleteGroup(String group) {
        requireGroupName(group);
        List<AccessRule> granting = parts.rules().get().list().stream()
                .filter(r -> r.subjectKind() == AccessRule.SubjectKindOfRule.GROUP && r.subjectName().equals(group)).toList();
        boolean named = granting.size() > 0 || parts.accounts().users().stream().anyMatch(u -> u.groups().contains(group));
        if (!named) throw dev.jeton.model.Failure.notFound("no user or rule names group '" + group + "'");
        for (User u : parts.accounts().users()) {
            if (u.groups().contains(group)) parts.accounts().setUserGroups(u.name(), u.groups().stream().filter(g -> !g.equals(group)).toList());
        }
        for (AccessRule r : granting) parts.rules().get().delete(r.id());
        audit.changed("group.delete", group, granting.isEmpty() ? null : "its rules removed: " + String.join(",", granting.stream().map(AccessRule::id).toList()));
    }

    private static void requireGroupName(String group) {
        if (group == null || !group.matches("[A-Za-z0-9@._+-]{1,128}")) {
            throw dev.jeton.model.Failure.invalidRequest("group", "a group name must be 1-128 letters, digits or @._+-");
        }
    }

    public void setUserDisabled(String name, boolean disabled) {
        parts.accounts().setUserDisabled(name, disabled);
        audit.changed(disabled ? "user.disable" : "user.enable", name);
    }

    public void setPassword(String name, Secret password) {
        parts.accounts().setPassword(name, password);
        audit.changed("user.passwd", name);
    }

    public NewClient addClient(ClientSpec spec) {
        NewClient created = parts.accounts().addClient(spec);
        auditAdded(spec, created);
        return created;
    }

    private void auditAdded(ClientSpec spec, NewClient created) {
        String grants = spec.grantTypes().stream().map(GrantType::wireName).sorted().collect(Collectors.joining(","));
        audit.changed("client.add", created.client().clientId(), "grants " + grants
                + (spec.scopes().isEmpty() ? "" : "; scopes " + String.join(",", spec.scopes())) + (spec.publicClient() ? "; public" : ""));
    }

    public void updateClient(ClientSpec spec) {
        parts.accounts().updateClient(spec);
        String grants = spec.grantTypes().stream().map(GrantType::wireName).sorted().collect(Collectors.joining(","));
        audit.changed("client.update", spec.clientId(), "grants " + grants + "; scopes " + String.join(",", spec.scopes())
                + "; redirect URIs " + String.join(",", spec.redirectUris()));
    }

    public Secret rotateClientSecret(String clientId, Duration overlap) {
        Secret secret = parts.accounts().rotateClientSecret(clientId, overlap);
        parts.oidc().get().keepSecretIfNeeded(clientId, secret); // client_secret_jwt verifies with the secret itself
        audit.changed("client.rotate_secret", clientId,
                parts.accounts().previousSecretExpiry(clientId).map(until -> "old secret works until " + until).orElse(null));
        return secret;
    }

    /** Sets a client's secret to one the operator chose; the secret itself is never audited. */
    public void setClientSecret(String clientId, Secret secret) {
        parts.accounts().setClientSecret(clientId, secret);
        parts.oidc().get().keepSecretIfNeeded(clientId, secret);
        audit.changed("client.set_secret", clientId, "secret set from a reference");
    }

    public void deleteClient(String clientId) {
        parts.accounts().deleteClient(clientId);
        audit.changed("client.delete", clientId, "its refresh tokens are revoked");
    }

    /** Sets the profile claims given (non-null; {@code ""} clears one). */
    public dev.jeton.model.UserProfile updateProfile(String name, dev.jeton.model.UserProfile change, Boolean emailVerified) {
        dev.jeton.model.UserProfile profile = parts.oidc().get().updateProfile(name, change, emailVerified);
        audit.changed("user.update", name, "profile claims");
        return profile;
    }

    /** Sets a client's OpenID Connect settings (ID token algorithm, authentication method, keys). */
    public ClientOidcSettings updateClientOidc(String clientId, ClientOidcSettings change) {
        ClientOidcSettings next = parts.oidc().get().updateClient(clientId, change);
        audit.changed("client.update", clientId, oidcSummary(next));
        return next;
    }

    private static String oidcSummary(ClientOidcSettings s) {
        return "id token " + s.idTokenAlgOrDefault() + (s.authMethod() == null ? "" : "; auth " + s.authMethod().wireName());
    }

    /** A change of a client's consent and logout settings; null fields keep their value ({@code ""} clears the back-channel URI). */
    public record RelyingPartyChange(Boolean firstParty, List<String> postLogoutRedirectUris, String backchannelLogoutUri) {
        public static final RelyingPartyChange NONE = new RelyingPartyChange(null, null, null);

        public boolean given() { return firstParty != null || postLogoutRedirectUris != null || backchannelLogoutUri != null; }
    }

    /** Sets a client's consent (first-party) and logout URIs. */
    public RelyingParty updateRelyingParty(String clientId, RelyingPartyChange change) {
        RelyingParty next = parts.relyingParties().get().update(clientId, change.firstParty(), change.postLogoutRedirectUris(),
                change.backchannelLogoutUri());
        audit.changed("client.oidc", clientId, partySummary(next));
        return next;
    }

    /** How a change of these settings is audited and shown. */
    public static String partySummary(RelyingParty p) {
        return (p.firstParty() ? "first-party" : "third-party (consent)")
                + (p.postLogoutRedirectUris().isEmpty() ? "" : "; post-logout " + String.join(" ", p.postLogoutRedirectUris()))
                + (p.backchannelLogoutUri() == null ? "" : "; back-channel logout " + p.backchannelLogoutUri());
    }

    /**
     * Adds a client with its OpenID Connect registration, all or nothing: a client whose
     * registration is refused is not left half made (and nothing is audited). {@code oidc} and
     * {@code party} may be null.
     */
    public NewClient registerClient(ClientSpec spec, ClientOidcSettings oidc, RelyingPartyChange party) {
        boolean withOidc = oidc != null && !oidc.equals(ClientOidcSettings.DEFAULT);
        boolean withParty = party != null && party.given();
        if (!withOidc && !withParty) return addClient(spec);
        NewClient created = parts.accounts().addClient(spec);
        ClientOidcSettings settings = null;
        RelyingParty registered = null;
        try {
            if (withOidc) {
                settings = parts.oidc().get().updateClient(spec.clientId(), oidc);
                parts.oidc().get().keepSecretIfNeeded(spec.clientId(), created.secret());
            }
            if (withParty) {
                registered = parts.relyingParties().get().update(spec.clientId(), party.firstParty(), party.postLogoutRedirectUris(),
                        party.backchannelLogoutUri());
            }
        } catch (RuntimeException e) {
            parts.accounts().deleteClient(spec.clientId());
            throw e;
        }
        auditAdded(spec, created);
        if (settings != null) audit.changed("client.update", spec.clientId(), oidcSummary(settings));
        if (registered != null) audit.changed("client.oidc", spec.clientId(), partySummary(registered));
        return created;
    }

    /** Ends one browser login session; false when there is no active session by that id. */
    public boolean revokeSession(String id) {
        boolean ended = parts.sessions().end(id);
        if (ended) audit.changed("session.revoke", id);
        return ended;
    }

    /** Ends every browser login session of a user; the ids of those ended. */
    public List<String> revokeSessionsOf(String userName) {
        List<String> ended = parts.sessions().endAllOf(userName);
        audit.changed("session.revoke", userName, ended.size() + " session(s)");
        return ended;
    }

    /** {@code expiresIn} null: the key never expires. */
    public NewApiKey createApiKey(String user, String name, Set<String> scopes, Duration expiresIn) {
        return createApiKey(user, name, scopes, expiresIn == null ? null : clock.instant().plus(expiresIn), null);
    }

    /** {@code expiresAt} null: never; {@code chosen} null: a generated value (shown once by the caller); never audited. */
    public NewApiKey createApiKey(String user, String name, Set<String> scopes, Instant expiresAt, Secret chosen) {
        NewApiKey created = parts.apiKeys().create(user, name, scopes, expiresAt, chosen);
        audit.changed("apikey.create", created.key().id(), "for " + created.userName() + (name == null ? "" : "; name " + name)
                + (scopes.isEmpty() ? "" : "; scopes " + String.join(",", new java.util.TreeSet<>(scopes))));
        return created;
    }

    public void revokeApiKey(String id) {
        parts.apiKeys().revoke(id);
        audit.changed("apikey.revoke", id);
    }

    /** Sets an active key's scopes and expiry (null: never). */
    public ApiKey updateApiKey(String id, Set<String> scopes, Instant expiresAt) {
        ApiKey key = parts.apiKeys().update(id, scopes, expiresAt);
        audit.changed("apikey.update", id, "scopes " + String.join(",", key.scopes()) + "; expires " + (expiresAt == null ? "never" : expiresAt));
        return key;
    }

    /** Gives a key a value the operator chose; the value itself is never audited. */
    public void setApiKeySecret(String id, Secret secret) {
        parts.apiKeys().setSecret(id, secret);
        audit.changed("apikey.set_secret", id, "key set from a reference");
    }

    public AccessRule addRule(String subject, String repositoryPattern, Set<String> actions) {
        AccessRule rule = parts.rules().get().add(subject, repositoryPattern, actions);
        audit.changed("rule.add", rule.id(), rule.subject() + " " + rule.repositoryPattern() + " " + String.join(",", rule.actions()));
        return rule;
    }

    public void deleteRule(String id) {
        parts.rules().get().delete(id);
        audit.changed("rule.delete", id);
    }

    /** {@code systemNode} non-null: the one system-assigned identity of that node. */
    public ManagedIdentity addIdentity(String name, String tenant, String resourceId, String systemNode) {
        ManagedIdentity identity = parts.identities().get().add(name, tenant, resourceId, systemNode);
        audit.changed("identity.add", identity.name(), systemNode == null ? null : "system-assigned on " + systemNode);
        return identity;
    }

    public void assignIdentity(String name, String node) {
        parts.identities().get().assign(name, node);
        audit.changed("identity.assign", name, "to node " + node);
    }

    public void unassignIdentity(String name, String node) {
        parts.identities().get().unassign(name, node);
        audit.changed("identity.unassign", name, "from node " + node);
    }

    public void deleteIdentity(String name) {
        parts.identities().get().delete(name);
        audit.changed("identity.delete", name);
    }

    public TrustPolicy addTrustPolicy(TrustAdmin.Draft draft) {
        TrustPolicy policy = parts.trust().get().add(draft);
        audit.changed("trust.add", policy.name(), policy.issuer() + " as " + policy.as());
        return policy;
    }

    public void removeTrustPolicy(String name) {
        parts.trust().get().remove(name);
        audit.changed("trust.remove", name);
    }

    /** Returns the kid that signs from now on. */
    public String rotateKeys(SigningAlgorithm next) {
        String active = parts.keys().get().rotate(next);
        audit.changed("key.rotate", active, "next key " + next.name());
        return active;
    }

    public void retireKey(String kid) {
        parts.keys().get().retire(kid);
        audit.changed("key.retire", kid);
    }

    /** False when there is no active family by that id. */
    public boolean revokeFamily(String familyId) {
        boolean revoked = parts.revocation().get().revokeFamily(familyId);
        if (revoked) audit.changed("token.revoke", familyId, "refresh family");
        return revoked;
    }

    /** Empty when the token is not one of this server's (nothing revoked). */
    public Optional<Revocation.Revoked> revokeToken(String token) {
        Optional<Revocation.Revoked> revoked = parts.revocation().get().revokeAsAdmin(token.trim());
        revoked.ifPresent(what -> parts.tokenAudit().get().revoked(audit.dialect(), Origin.LOCAL, what, audit.actor(), audit.actorKind()));
        return revoked;
    }

    /** The new node and its enrolment token, which is shown this once (only its hash is kept). */
    public NodeAdmin.Added addNode(String name) {
        NodeAdmin.Added added = parts.nodes().add(name);
        audit.changed("node.add", name, "enrolment token valid until " + added.node().enrolExpiresAt());
        return added;
    }

    public void setNodeDisabled(String name, boolean disabled) {
        if (disabled) parts.nodes().disable(name);
        else parts.nodes().enable(name);
        audit.changed(disabled ? "node.disable" : "node.enable", name);
    }

    public void removeNode(String name) {
        parts.nodes().remove(name);
        audit.changed("node.remove", name);
    }

    /** The client secret is sealed with the master key before it is stored, and never recorded. */
    public Upstream addUpstream(UpstreamAdmin.Draft draft) {
        Upstream upstream = parts.upstreams().get().add(draft);
        audit.changed("upstream.add", upstream.name(), upstream.issuer() + " client " + upstream.clientId());
        return upstream;
    }

    public void removeUpstream(String name) {
        parts.upstreams().get().remove(name);
        audit.changed("upstream.remove", name);
    }
}
