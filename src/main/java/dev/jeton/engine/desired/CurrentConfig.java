package dev.jeton.engine.desired;

import dev.jeton.engine.Accounts;
import dev.jeton.engine.ApiKeys;
import dev.jeton.engine.session.RelyingParties;
import dev.jeton.engine.desired.DesiredConfig.ApiKeyEntry;
import dev.jeton.model.RelyingParty;
import dev.jeton.engine.OidcRegistrations;
import dev.jeton.engine.access.RuleAdmin;
import dev.jeton.engine.federation.TrustAdmin;
import dev.jeton.engine.imds.ManagedIdentities;
import dev.jeton.engine.desired.DesiredConfig.ClientEntry;
import dev.jeton.engine.desired.DesiredConfig.IdentityEntry;
import dev.jeton.engine.desired.DesiredConfig.NodeEntry;
import dev.jeton.engine.desired.DesiredConfig.UpstreamEntry;
import dev.jeton.engine.node.NodeAdmin;
import dev.jeton.engine.upstream.UpstreamAdmin;
import dev.jeton.engine.desired.DesiredConfig.RuleEntry;
import dev.jeton.engine.desired.DesiredConfig.TrustEntry;
import dev.jeton.engine.desired.DesiredConfig.UserEntry;
import dev.jeton.model.Client;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.GrantType;
import dev.jeton.model.User;
import dev.jeton.model.UserProfile;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the store's configuration as a {@link DesiredConfig}, every list in a stable order (by
 * name; set-like lists sorted) so two exports of the same configuration are equal byte for byte.
 */
public final class CurrentConfig {
    private final Accounts accounts;
    private final OidcRegistrations oidc;
    private final RuleAdmin rules;
    private final TrustAdmin trust;
    private final ManagedIdentities identities;
    private final NodeAdmin nodes;
    private final UpstreamAdmin upstreams;
    private final ApiKeys apiKeys;
    private final RelyingParties relyingParties;

    public CurrentConfig(Accounts accounts, OidcRegistrations oidc, RuleAdmin rules, TrustAdmin trust, ManagedIdentities identities,
                         NodeAdmin nodes, UpstreamAdmin upstreams, ApiKeys apiKeys, RelyingParties relyingParties) {
        this.apiKeys = apiKeys;
        this.relyingParties = relyingParties;
        this.nodes = nodes;
        this.upstreams = upstreams;
        this.accounts = accounts;
        this.oidc = oidc;
        this.rules = rules;
        this.trust = trust;
        this.identities = identities;
    }

    public DesiredConfig read() {
        List<UserEntry> users = accounts.users().stream().sorted(Comparator.comparing(User::name)).map(this::user).toList();
        List<ClientEntry> clients = accounts.clients().stream().sorted(Comparator.comparing(Client::clientId)).map(this::client).toList();
        List<IdentityEntry> ids = identities.list().stream()
                .map(i -> new IdentityEntry(i.name(), i.tenantId(), i.resourceId(), i.systemNode(), sorted(i.nodes())))
                .sorted(Comparator.comparing(IdentityEntry::name)).toList();
        List<TrustEntry> policies = trust.list().stream()
                .map(p -> new TrustEntry(p.name(), p.issuer(), p.audience(), p.subject(), new TreeMap<>(p.claims()), p.as().toString(),
                        duration(p.maxTtl()), p.jwksFile()))
                .sorted(Comparator.comparing(TrustEntry::name)).toList();
        List<RuleEntry> ruleEntries = rules.list().stream()
                .map(r -> new RuleEntry(r.subject(), r.repositoryPattern(), sorted(List.copyOf(r.actions()))))
                .sorted(Comparator.comparing(RuleEntry::subject).thenComparing(RuleEntry::repository)).toList();
        List<NodeEntry> nodeEntries = nodes.list().stream().map(n -> new NodeEntry(n.name(), n.disabled()))
                .sorted(Comparator.comparing(NodeEntry::name)).toList();
        List<UpstreamEntry> upstreamEntries = upstreams.list().stream()
                .map(u -> new UpstreamEntry(u.name(), u.issuer(), u.clientId(), u.userClaim(), u.groupsClaim(), sorted(u.allowedDomains()),
                        u.scope(), null, null))
                .sorted(Comparator.comparing(UpstreamEntry::name)).toList();
        List<ApiKeyEntry> keys = apiKeys.usable().stream()
                .map(o -> new ApiKeyEntry(o.userName(), ApiKeys.nameOf(o.key()), List.copyOf(o.key().scopes()),
                        o.key().expiresAt() == null ? null : o.key().expiresAt().toString(), null, null))
                .sorted(Comparator.comparing(ApiKeyEntry::user).thenComparing(ApiKeyEntry::name)).toList();
        return new DesiredConfig(users, keys, nodeEntries, upstreamEntries, clients, ids, policies, ruleEntries);
    }

    private UserEntry user(User u) {
        UserProfile p = oidc.profile(u.name());
        return new UserEntry(u.name(), sorted(u.groups()), u.disabled(), p.name(), p.givenName(), p.familyName(), p.email(),
                p.emailVerified(), null, null);
    }

    private ClientEntry client(Client c) {
        ClientOidcSettings s = oidc.client(c.clientId());
        RelyingParty party = relyingParties.of(c.clientId());
        return new ClientEntry(c.clientId(), c.isPublic(), sorted(c.grantTypes().stream().map(GrantType::wireName).toList()),
                sorted(List.copyOf(c.scopes())), c.audiences(), c.redirectUris(), duration(c.accessTokenTtl()), duration(c.refreshTokenTtl()),
                c.refreshPolicy() == null ? null : c.refreshPolicy().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                s.idTokenAlg(), s.authMethod() == null ? null : s.authMethod().wireName(), s.jwks(), s.jwksUri(), party.firstParty(),
                party.postLogoutRedirectUris(), party.backchannelLogoutUri(), null, null);
    }

    static String duration(Duration d) { return d == null ? null : d.toString(); }

    static List<String> sorted(List<String> values) { return values.stream().sorted().toList(); }

    /** The fields of an entry by name, as they are compared (a generic view keeps diff and apply field-level). */
    static Map<String, Object> fields(Object entry) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var component : entry.getClass().getRecordComponents()) {
            try {
                out.put(component.getName(), component.getAccessor().invoke(entry));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
