package dev.jeton.engine.registry;

import dev.jeton.engine.federation.Federation;
import dev.jeton.audit.AdminAudit;
import dev.jeton.federation.FederatedIdentity;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.Failure.Code;
import dev.jeton.model.Reason;
import dev.jeton.model.Requester;
import dev.jeton.model.Secret;
import dev.jeton.model.Subject;
import dev.jeton.model.SubjectKind;
import dev.jeton.model.User;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.secrets.SecretHash;
import dev.jeton.engine.ClientDirectory;
import dev.jeton.engine.UserAuthenticator;
import dev.jeton.store.IdentityStore;
import dev.jeton.store.UserStore;

import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Who is asking, from what a registry client sends: Basic user and password, an app's id and
 * secret, the zero GUID with a registry refresh token (how {@code docker login} works with
 * ACR), nothing at all, or an upstream identity from an exchange.
 */
public final class RegistryPrincipals {
    public static final String REFRESH_TOKEN_USER = "00000000-0000-0000-0000-000000000000";
    private static final System.Logger LOG = System.getLogger(RegistryPrincipals.class.getName());

    private final UserStore users;
    private final ClientDirectory clients;
    private final IdentityStore identities;
    private final UserAuthenticator passwords;
    private final RegistryTokens tokens;
    private final RandomTokens random;
    private final Clock clock;
    private final AdminAudit provisioning;
    private final Federation workloads;

    public RegistryPrincipals(UserStore users, ClientDirectory clients, IdentityStore identities, UserAuthenticator passwords, RegistryTokens tokens, RandomTokens random,
                              Clock clock, AdminAudit provisioning, Federation workloads) {
        this.workloads = workloads;
        this.users = users;
        this.clients = clients;
        this.identities = identities;
        this.passwords = passwords;
        this.tokens = tokens;
        this.random = random;
        this.clock = clock;
        this.provisioning = provisioning;
    }

    /**
     * Who sent these Basic credentials, and the digest of the password or app secret that proved
     * it (null for anonymous and for a refresh token as password), to which an identity token of
     * this login is bound.
     *
     * @param source the caller's address, for login throttling
     */
    public Login authenticate(String username, Secret password, String source) {
        if (username == null && password == null) return new Login(Requester.ANONYMOUS, null);
        if (username == null || password == null || password.isEmpty()) throw badCredentials("incomplete credentials", "credentials.incomplete");
        if (username.equals(REFRESH_TOKEN_USER)) return new Login(ofRefreshToken(password), null);
        Optional<Client> app = clients.byClientId(username);
        if (app.isPresent() && !app.get().isPublic()) {
            if (!SecretHash.matches(password, app.get().secretHash())) throw badCredentials("wrong app secret", "client.secret_mismatch");
            if (app.get().disabled()) throw badCredentials("disabled app", "client.disabled");
            return new Login(Requester.app(app.get()), Credentials.of(app.get()));
        }
        try {
            User user = passwords.authenticate(username, password, source);
            return new Login(Requester.user(user), Credentials.of(user));
        } catch (Failure wrong) {
            if (wrong.reason() == Reason.RATE_LIMITED) throw wrong;
            throw badCredentials("wrong user or password", wrong.check());
        }
    }

    /**
     * The principal of a registry refresh token (a login's identity token included) that still
     * holds: ours, unexpired, unrevoked, not idle, its principal still there and enabled, and
     * for an identity token the password or app secret still the one it was issued against.
     */
    public Requester ofRefreshToken(Secret token) {
        RegistryTokens.Presented presented = tokens.verifyRefresh(token, clock.instant());
        // A workload's token holds while its trust policy does: it has no credential of its own.
        if (presented.subject().kind() == SubjectKind.WORKLOAD) return workloads.ofWorkload(presented.subject());
        Current current = current(presented.subject());
        if (presented.credential() != null && !presented.credential().equals(current.credential())) {
            throw badCredentials("the password or secret of the token's principal changed after it was issued", "credential.changed");
        }
        return current.who();
    }

    /** The current state of a subject named in a token: still there, still enabled, groups as they are now. */
    public Requester ofSubject(Subject subject) {
        if (subject.kind() == SubjectKind.WORKLOAD) return workloads.ofWorkload(subject);
        return current(subject).who();
    }

    private Current current(Subject subject) {
        if (subject.kind() == SubjectKind.MANAGED_IDENTITY) {
            return identities.byObjectId(subject.id())
                    .map(i -> new Current(Requester.identity(i), null))
                    .orElseThrow(() -> badCredentials("managed identity of the token is gone", "identity.gone"));
        }
        if (subject.kind() == SubjectKind.CLIENT) {
            Client client = clients.byClientId(subject.id()).orElseThrow(() -> badCredentials("app of the token is gone", "client.gone"));
            if (client.disabled()) throw badCredentials("app of the token is disabled", "client.disabled");
            return new Current(Requester.app(client), Credentials.of(client));
        }
        User user = users.byId(subject.id()).orElseThrow(() -> badCredentials("user of the token is gone", "user.gone"));
        if (user.disabled()) throw badCredentials("user of the token is disabled", "user.disabled");
        return new Current(Requester.user(user), Credentials.of(user));
    }

    /** An authenticated requester and the digest of the credential it proved itself with (null when none was a password or secret). */
    public record Login(Requester who, String credential) {
    }

    private record Current(Requester who, String credential) {
    }

    /** Maps a verified upstream identity to a Jeton principal, provisioning a user where the issuer allows it. */
    public Requester ofFederated(FederatedIdentity identity) {
        try {
            if (identity.self()) {
                String username = identity.claims().getStringClaim("preferred_username");
                String clientId = identity.claims().getStringClaim("client_id");
                String sub = identity.claims().getSubject();
                if (username != null) return ofSubject(new Subject(SubjectKind.USER, sub, username));
                if (identity.claims().getClaim("xms_mirid") != null) return ofSubject(new Subject(SubjectKind.MANAGED_IDENTITY, sub, sub));
                if (sub != null && sub.equals(clientId)) return ofSubject(new Subject(SubjectKind.CLIENT, sub, sub));
                throw Failure.of(Reason.INVALID_GRANT, "the token's subject is not a user or an app");
            }
            String value = identity.claims().getStringClaim(identity.issuer().subjectClaim());
            if (value == null) throw Failure.of(Reason.INVALID_GRANT, "the token has no " + identity.issuer().subjectClaim() + " claim");
            Optional<User> user = users.byName(value);
            if (user.isPresent()) return ofSubject(user.get().subject());
            Optional<Client> app = clients.byClientId(value);
            if (app.isPresent()) return ofSubject(app.get().subject());
            if (!identity.issuer().autoProvision()) {
                throw Failure.of(Reason.INVALID_GRANT, "no Jeton user or app matches this identity").because("federation.no_match");
            }
            User created = new User(random.uuid(), value, null, false, List.of(), clock.instant());
            users.add(created);
            LOG.log(System.Logger.Level.INFO, "provisioned user {0} from trusted issuer {1}", value, identity.issuer().name());
            provisioning.changed("user.provision", value, "from trusted issuer " + identity.issuer().name());
            return Requester.user(created);
        } catch (ParseException e) {
            throw Failure.of(Reason.INVALID_GRANT, "the token has a malformed claim");
        }
    }

    private static Failure badCredentials(String why, String check) {
        LOG.log(System.Logger.Level.INFO, "registry authentication failed: {0}", why);
        return Failure.of(Reason.INVALID_CLIENT, Code.BAD_CREDENTIALS, "authentication required").because(check);
    }
}
