package dev.jeton.engine.upstream;

import dev.jeton.audit.AdminAudit;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import dev.jeton.model.Upstream;
import dev.jeton.model.User;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.store.UpstreamStore;
import dev.jeton.store.UserStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Jeton user of an upstream account. Accounts are linked by the provider's issuer and
 * {@code sub}, never by name alone: the first sign-in creates a user (no password) named by the
 * user claim, and refuses when a user of that name already exists, since taking it over would
 * let whoever controls that name at the provider become a local user. The groups claim replaces
 * the groups this upstream gave at each sign-in; groups the operator gave stay.
 */
final class UpstreamUsers {
    private static final System.Logger LOG = System.getLogger(UpstreamUsers.class.getName());
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9@._+-]{1,128}");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9@._:/+-]{1,128}");

    private final UserStore users;
    private final UpstreamStore store;
    private final RandomTokens random;
    private final Clock clock;
    private final AdminAudit provisioning;

    UpstreamUsers(UserStore users, UpstreamStore store, RandomTokens random, Clock clock, AdminAudit provisioning) {
        this.users = users;
        this.store = store;
        this.random = random;
        this.clock = clock;
        this.provisioning = provisioning;
    }

    /** Claims that decide who this is: the ID token's, with the userinfo endpoint's where the ID token lacks one. */
    User signIn(Upstream upstream, Map<String, Object> claims) {
        String subject = (String) claims.get("sub");
        checkDomain(upstream, claims);
        Optional<String> linked = store.linkedUser(upstream.issuer(), subject);
        User user = linked.isPresent() ? existing(linked.get()) : created(upstream, subject, claims);
        if (upstream.groupsClaim() != null) {
            store.replaceGroups(user.id(), upstream.name(), groups(upstream, claims.get(upstream.groupsClaim())));
            user = users.byId(user.id()).orElseThrow();
        }
        return user;
    }

    /** The claim names that {@link #signIn} reads, to ask the userinfo endpoint when the ID token lacks them. */
    static List<String> wanted(Upstream upstream) {
        List<String> names = new ArrayList<>(upstream.userClaim() == null ? List.of("preferred_username", "email") : List.of(upstream.userClaim()));
        if (upstream.groupsClaim() != null) names.add(upstream.groupsClaim());
        if (!upstream.allowedDomains().isEmpty()) names.add("email");
        return names;
    }

    private static void checkDomain(Upstream upstream, Map<String, Object> claims) {
        if (upstream.allowedDomains().isEmpty()) return;
        if (!(claims.get("email") instanceof String email) || email.indexOf('@') < 0) {
            throw refused("Your account at " + upstream.name() + " has no email address, which this service requires.", "upstream.no_email");
        }
        if (Boolean.FALSE.equals(claims.get("email_verified"))) {
            throw refused("Your email address at " + upstream.name() + " is not verified.", "upstream.email_unverified");
        }
        String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        if (!upstream.allowedDomains().contains(domain)) {
            throw refused("Accounts of " + domain + " may not sign in here.", "upstream.domain_not_allowed");
        }
    }

    private User existing(String userId) {
        User user = users.byId(userId).orElseThrow(() -> refused("The account this sign-in belongs to was removed.", "upstream.user_gone"));
        if (user.disabled()) throw refused("Your account here is disabled.", "user.disabled");
        return user;
    }

    private User created(Upstream upstream, String subject, Map<String, Object> claims) {
        String name = name(upstream, claims);
        if (!USER_NAME.matcher(name).matches()) {
            throw refused("Your user name at " + upstream.name() + " cannot be a user name here.", "upstream.bad_user_name");
        }
        if (users.byName(name).isPresent()) {
            throw refused("A user named " + name + " already exists here and is not linked to your account at " + upstream.name()
                    + ". Ask an administrator.", "upstream.name_taken");
        }
        User user = new User(random.uuid(), name, null, false, List.of(), clock.instant());
        users.add(user);
        store.link(upstream.issuer(), subject, user.id(), upstream.name(), clock.instant());
        LOG.log(System.Logger.Level.INFO, "provisioned user {0} from upstream {1}", name, upstream.name());
        provisioning.changed("user.provision", name, "from upstream " + upstream.name() + " (" + upstream.issuer() + " sub " + subject + ")");
        return user;
    }

    private static String name(Upstream upstream, Map<String, Object> claims) {
        List<String> candidates = upstream.userClaim() == null ? List.of("preferred_username", "email") : List.of(upstream.userClaim());
        for (String claim : candidates) {
            if (claims.get(claim) instanceof String value && !value.isBlank()) return value;
        }
        throw refused("Your account at " + upstream.name() + " has no " + String.join(" or ", candidates) + " to name you by.",
                "upstream.no_user_name");
    }

    private static List<String> groups(Upstream upstream, Object claim) {
        Collection<?> values = claim instanceof Collection<?> c ? c : claim instanceof String s ? List.of(s) : List.of();
        List<String> groups = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof String g && GROUP.matcher(g).matches()) {
                if (!groups.contains(g)) groups.add(g);
            } else {
                LOG.log(System.Logger.Level.INFO, "upstream {0}: group value skipped, not a group name", upstream.name());
            }
        }
        return groups;
    }

    static Failure refused(String detail, String check) {
        return Failure.of(Reason.ACCESS_DENIED, detail).because(check);
    }
}
