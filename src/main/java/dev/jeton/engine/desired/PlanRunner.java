package dev.jeton.engine.desired;

import dev.jeton.engine.Accounts;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.engine.AdminChanges;
import dev.jeton.engine.ApiKeys;
import dev.jeton.engine.desired.Change.Action;
import dev.jeton.engine.desired.Change.Kind;
import dev.jeton.engine.desired.DesiredConfig.ClientEntry;
import dev.jeton.engine.desired.DesiredConfig.IdentityEntry;
import dev.jeton.engine.desired.DesiredConfig.NodeEntry;
import dev.jeton.engine.desired.DesiredConfig.UpstreamEntry;
import dev.jeton.engine.upstream.UpstreamAdmin;
import dev.jeton.engine.desired.DesiredConfig.RuleEntry;
import dev.jeton.engine.desired.DesiredConfig.TrustEntry;
import dev.jeton.engine.desired.DesiredConfig.UserEntry;
import dev.jeton.engine.federation.TrustAdmin;
import dev.jeton.model.AccessRule;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenAuthMethod;
import dev.jeton.model.UserProfile;
import dev.jeton.secrets.RandomTokens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Makes the changes of a {@link Plan} through {@link AdminChanges}, so each is checked and audited
 * as the CLI's and the API's are. Deletions go first, dependants (rules, trust policies) before
 * what they name; creations go in the other order. It returns what an operator must see once: the
 * secrets of new confidential clients and the enrolment tokens of new nodes.
 */
public final class PlanRunner {
    private final AdminChanges changes;
    private final Supplier<List<AccessRule>> rules;
    private final SecretReferences references;
    private final ApiKeyChanges apiKeys;

    public PlanRunner(AdminChanges changes, Supplier<List<AccessRule>> rules, ApiKeys apiKeys, SecretReferences references) {
        this.changes = changes;
        this.rules = rules;
        this.references = references;
        this.apiKeys = new ApiKeyChanges(changes, apiKeys, references);
    }

    /** Whether an API key entry's referenced value is not the stored key's (for {@link Plan#between}). */
    public static java.util.function.Predicate<DesiredConfig.ApiKeyEntry> apiKeyDiffers(ApiKeys keys, SecretReferences references) {
        return e -> ApiKeyChanges.secretDiffers(keys, references, e);
    }

    /**
     * Shown once: new client id to its secret, new node name to its enrolment token, new API key
     * ({@code user name}) to its generated value.
     */
    public record Revealed(Map<String, String> clientSecrets, Map<String, String> nodeTokens, Map<String, String> apiKeys) {
    }

    public Revealed run(Plan plan) {
        Map<String, String> secrets = new java.util.TreeMap<>();
        Map<String, String> tokens = new java.util.TreeMap<>();
        Map<String, String> keys = new java.util.TreeMap<>();
        List<Change> deletions = new ArrayList<>(plan.changes().stream().filter(c -> c.action() == Action.DELETE).toList());
        deletions.sort(Comparator.comparing((Change c) -> c.kind().ordinal()).reversed());
        deletions.forEach(c -> naming(c, () -> delete(c)));
        for (Change c : plan.changes()) {
            if (c.action() == Action.CREATE) naming(c, () -> create(c, secrets, tokens, keys));
            if (c.action() == Action.UPDATE) naming(c, () -> update(c));
        }
        return new Revealed(secrets, tokens, keys);
    }

    /** A refusal names the entry of the file it is about. */
    private static void naming(Change c, Runnable work) {
        try {
            work.run();
        } catch (Failure f) {
            String where = c.kind().label() + " " + c.key() + ": ";
            throw f.detail() != null && f.detail().startsWith(where) ? f : Failure.of(f.reason(), where + f.detail());
        }
    }

    private void delete(Change c) {
        switch (c.kind()) {
            case NODE -> changes.removeNode(c.key());
            case UPSTREAM -> changes.removeUpstream(c.key());
            case CLIENT -> changes.deleteClient(c.key());
            case IDENTITY -> changes.deleteIdentity(c.key());
            case TRUST_POLICY -> changes.removeTrustPolicy(c.key());
            case RULE -> changes.deleteRule(ruleId((RuleEntry) c.current()));
            case USER -> throw new IllegalStateException("users are never deleted");
            case API_KEY -> apiKeys.delete(c);
        }
    }

    private void create(Change c, Map<String, String> secrets, Map<String, String> tokens, Map<String, String> keys) {
        switch (c.kind()) {
            case API_KEY -> apiKeys.create(c, keys);
            case NODE -> {
                NodeEntry e = (NodeEntry) c.wanted();
                tokens.put(e.name(), changes.addNode(e.name()).enrolToken().value());
                if (Boolean.TRUE.equals(e.disabled())) changes.setNodeDisabled(e.name(), true);
            }
            case UPSTREAM -> changes.addUpstream(upstream((UpstreamEntry) c.wanted(), null));
            case USER -> createUser((UserEntry) c.wanted());
            case CLIENT -> {
                ClientEntry e = (ClientEntry) c.wanted();
                Secret referenced = clientSecret(e);
                // The same registration as `jeton client add`, so the CLI and apply cannot make a client differently.
                Secret secret = changes.registerClient(spec(e), oidc(e), party(e)).secret();
                // A referenced secret replaces the generated one, which nobody has seen: nothing to show.
                if (referenced != null) changes.setClientSecret(e.clientId(), referenced);
                else if (secret != null) secrets.put(e.clientId(), secret.value());
            }
            case IDENTITY -> {
                IdentityEntry e = (IdentityEntry) c.wanted();
                changes.addIdentity(e.name(), e.tenantId(), e.resourceId(), e.systemNode());
                for (String node : orEmpty(e.nodes())) changes.assignIdentity(e.name(), node);
            }
            case TRUST_POLICY -> changes.addTrustPolicy(draft((TrustEntry) c.wanted()));
            case RULE -> {
                RuleEntry e = (RuleEntry) c.wanted();
                changes.addRule(e.subject(), e.repository(), new LinkedHashSet<>(orEmpty(e.actions())));
            }
        }
    }

    private void update(Change c) {
        Set<String> fields = c.fields().keySet();
        switch (c.kind()) {
            case API_KEY -> apiKeys.update(c);
            case NODE -> changes.setNodeDisabled(c.key(), Boolean.TRUE.equals(((NodeEntry) c.wanted()).disabled()));
            case UPSTREAM -> {
                // An upstream has no update of its own: it is replaced, which needs its client secret again.
                UpstreamEntry e = (UpstreamEntry) c.wanted();
                UpstreamAdmin.Draft draft = upstream(e, (UpstreamEntry) c.current());
                changes.removeUpstream(c.key());
                changes.addUpstream(draft);
            }
            case USER -> {
                UserEntry e = (UserEntry) c.wanted();
                if (fields.contains("groups")) changes.setUserGroups(e.name(), orEmpty(e.groups()));
                if (fields.contains("disabled")) changes.setUserDisabled(e.name(), e.disabled());
                if (fields.stream().anyMatch(f -> Set.of("displayName", "givenName", "familyName", "email", "emailVerified").contains(f))) {
                    changes.updateProfile(e.name(), new UserProfile(e.displayName(), e.givenName(), e.familyName(), e.email(), false),
                            e.emailVerified());
                }
            }
            case CLIENT -> {
                refuseChangesTo(c, Set.of("public", "publicClient"), "remove the client from the file, apply with --prune, and add it again");
                ClientEntry e = (ClientEntry) c.wanted();
                if (fields.contains("secret")) changes.setClientSecret(e.clientId(), clientSecret(e));
                if (fields.stream().anyMatch(CLIENT_SETTINGS::contains)) changes.updateClient(spec(merged((ClientEntry) c.current(), e)));
                if (fields.stream().anyMatch(CLIENT_OIDC::contains)) changes.updateClientOidc(c.key(), oidc(merged((ClientEntry) c.current(), e)));
                if (fields.stream().anyMatch(CLIENT_PARTY::contains)) changes.updateRelyingParty(c.key(), party(e));
            }
            case IDENTITY -> {
                IdentityEntry e = (IdentityEntry) c.wanted();
                refuseChangesTo(c, Set.of("tenantId", "resourceId", "systemNode"), "remove the identity, apply with --prune, and add it again");
                List<String> was = orEmpty(((IdentityEntry) c.current()).nodes());
                for (String node : orEmpty(e.nodes())) if (!was.contains(node)) changes.assignIdentity(e.name(), node);
                for (String node : was) if (!orEmpty(e.nodes()).contains(node)) changes.unassignIdentity(e.name(), node);
            }
            case TRUST_POLICY -> {
                // A policy has no update of its own: it is replaced, under the same name.
                changes.removeTrustPolicy(c.key());
                changes.addTrustPolicy(draft(merged((TrustEntry) c.current(), (TrustEntry) c.wanted())));
            }
            case RULE -> {
                RuleEntry e = (RuleEntry) c.wanted();
                changes.deleteRule(ruleId((RuleEntry) c.current()));
                changes.addRule(e.subject(), e.repository(), new LinkedHashSet<>(orEmpty(e.actions())));
            }
        }
    }

    private static final Set<String> CLIENT_SETTINGS = Set.of("grants", "scopes", "audiences", "redirectUris", "accessTokenTtl",
            "refreshTokenTtl", "refreshPolicy");
    private static final Set<String> CLIENT_OIDC = Set.of("idTokenAlg", "authMethod", "jwks", "jwksUri");
    private static final Set<String> CLIENT_PARTY = Set.of("firstParty", "postLogoutRedirectUris", "backchannelLogoutUri");

    /** The file's consent and logout settings; what it leaves out (null) stays as it is. */
    private static AdminChanges.RelyingPartyChange party(ClientEntry e) {
        return new AdminChanges.RelyingPartyChange(e.firstParty(), e.postLogoutRedirectUris(), e.backchannelLogoutUri());
    }

    /** The stored client with the fields the file names. */
    private static ClientEntry merged(ClientEntry now, ClientEntry wanted) {
        return new ClientEntry(now.clientId(), now.publicClient(), wanted.grants() != null ? wanted.grants() : now.grants(),
                wanted.scopes() != null ? wanted.scopes() : now.scopes(), wanted.audiences() != null ? wanted.audiences() : now.audiences(),
                wanted.redirectUris() != null ? wanted.redirectUris() : now.redirectUris(), pick(wanted.accessTokenTtl(), now.accessTokenTtl()),
                pick(wanted.refreshTokenTtl(), now.refreshTokenTtl()), pick(wanted.refreshPolicy(), now.refreshPolicy()),
                pick(wanted.idTokenAlg(), now.idTokenAlg()), pick(wanted.authMethod(), now.authMethod()), pick(wanted.jwks(), now.jwks()),
                pick(wanted.jwksUri(), now.jwksUri()), null, null, null, null, null);
    }

    private static void refuseChangesTo(Change c, Set<String> fixed, String how) {
        for (String f : c.fields().keySet()) {
            if (fixed.contains(f)) throw Failure.invalidRequest(c.kind().label() + " " + c.key() + ": apply cannot change " + f + " (" + how + ")");
        }
    }

    private void createUser(UserEntry e) {
        changes.addUser(e.name(), password(e), orEmpty(e.groups()));
        if (e.displayName() != null || e.givenName() != null || e.familyName() != null || e.email() != null || e.emailVerified() != null) {
            changes.updateProfile(e.name(), new UserProfile(e.displayName(), e.givenName(), e.familyName(), e.email(), false),
                    e.emailVerified());
        }
        if (Boolean.TRUE.equals(e.disabled())) changes.setUserDisabled(e.name(), true);
    }

    /** The referenced password, or a random one nobody knows (set it with {@code jeton user passwd}). */
    private Secret password(UserEntry e) {
        Secret referenced = references.read("user " + e.name() + ": password", e.passwordEnv(), e.passwordFile());
        return referenced != null ? referenced : new RandomTokens().secret();
    }

    private Secret clientSecret(ClientEntry e) {
        Secret referenced = references.read("client " + e.clientId() + ": secret", e.secretEnv(), e.secretFile());
        if (referenced != null && Boolean.TRUE.equals(e.publicClient())) {
            throw Failure.invalidRequest("client " + e.clientId() + ": a public client has no secret; remove secretEnv/secretFile");
        }
        return referenced;
    }

    /** {@code now}: the stored entry whose fields the file leaves out (null on create). */
    private UpstreamAdmin.Draft upstream(UpstreamEntry e, UpstreamEntry now) {
        Secret secret = references.read("upstream " + e.name() + ": clientSecret", e.clientSecretEnv(), e.clientSecretFile());
        if (secret == null) {
            throw Failure.invalidRequest("upstream " + e.name() + ": clientSecretEnv or clientSecretFile is needed to "
                    + (now == null ? "create it" : "change it (it is replaced, with its client secret)"));
        }
        UpstreamEntry m = now == null ? e : new UpstreamEntry(e.name(), pick(e.issuer(), now.issuer()), pick(e.clientId(), now.clientId()),
                pick(e.userClaim(), now.userClaim()), pick(e.groupsClaim(), now.groupsClaim()),
                e.allowedDomains() != null ? e.allowedDomains() : now.allowedDomains(), pick(e.scope(), now.scope()), null, null);
        return new UpstreamAdmin.Draft(m.name(), m.issuer(), m.clientId(), secret, m.userClaim(), m.groupsClaim(), m.allowedDomains(), m.scope());
    }

    private String ruleId(RuleEntry e) {
        return rules.get().stream().filter(r -> r.subject().equals(e.subject()) && r.repositoryPattern().equals(e.repository()))
                .findFirst().map(AccessRule::id).orElseThrow(() -> Failure.notFound("no rule " + Plan.ruleKey(e)));
    }

    private static ClientSpec spec(ClientEntry e) {
        boolean isPublic = Boolean.TRUE.equals(e.publicClient());
        Set<GrantType> grants = e.grants() == null ? new LinkedHashSet<>(Accounts.defaultGrants(isPublic))
                : new LinkedHashSet<>(e.grants().stream().map(g -> GrantType.fromWire(g)
                        .orElseThrow(() -> Failure.invalidRequest("client " + e.clientId() + ": unknown grant '" + g + "'"))).toList());
        RefreshPolicy policy = RefreshPolicy.ROTATING;
        if (e.refreshPolicy() != null) {
            try {
                policy = RefreshPolicy.valueOf(e.refreshPolicy().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException x) {
                throw Failure.invalidRequest("client " + e.clientId() + ": refreshPolicy must be rotating, rotating-lenient or reusable");
            }
        }
        return new ClientSpec(e.clientId(), grants, new LinkedHashSet<>(orEmpty(e.scopes())), orEmpty(e.audiences()),
                orEmpty(e.redirectUris()),
                e.accessTokenTtl() == null ? null : Plan.duration(Kind.CLIENT, e.clientId(), "accessTokenTtl", e.accessTokenTtl()),
                e.refreshTokenTtl() == null ? null : Plan.duration(Kind.CLIENT, e.clientId(), "refreshTokenTtl", e.refreshTokenTtl()),
                policy, isPublic);
    }

    private static ClientOidcSettings oidc(ClientEntry e) {
        TokenAuthMethod method = e.authMethod() == null ? null : TokenAuthMethod.fromWire(e.authMethod())
                .orElseThrow(() -> Failure.invalidRequest("client " + e.clientId() + ": unknown authMethod '" + e.authMethod() + "'"));
        return new ClientOidcSettings(e.idTokenAlg(), method, e.jwks(), e.jwksUri());
    }

    private static TrustEntry merged(TrustEntry now, TrustEntry wanted) {
        return new TrustEntry(now.name(), pick(wanted.issuer(), now.issuer()), pick(wanted.audience(), now.audience()),
                pick(wanted.subject(), now.subject()), wanted.claims() != null ? wanted.claims() : now.claims(), pick(wanted.as(), now.as()),
                pick(wanted.maxTtl(), now.maxTtl()), pick(wanted.jwksFile(), now.jwksFile()));
    }

    private static String pick(String wanted, String now) { return wanted != null ? wanted : now; }

    private static TrustAdmin.Draft draft(TrustEntry e) {
        List<String> claims = e.claims() == null ? List.of() : e.claims().entrySet().stream().map(x -> x.getKey() + "=" + x.getValue()).toList();
        return new TrustAdmin.Draft(e.name(), e.issuer(), e.audience(), e.subject(), claims, e.as(),
                e.maxTtl() == null ? null : Plan.duration(Kind.TRUST_POLICY, e.name(), "maxTtl", e.maxTtl()), e.jwksFile());
    }

    private static <T> List<T> orEmpty(List<T> list) { return list == null ? List.of() : list; }
}
