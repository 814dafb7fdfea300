package dev.jeton.engine.upstream;

import dev.jeton.keys.MasterKey;
import dev.jeton.model.Failure;
import dev.jeton.model.Secret;
import dev.jeton.model.Upstream;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.store.UpstreamStore;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Adds, lists, shows and removes upstream identity providers, checking each part once; the client secret is sealed at once. */
public final class UpstreamAdmin {
    static final String DEFAULT_SCOPE = "openid profile email";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9_:./-]{1,128}");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*");

    private final UpstreamStore store;
    private final MasterKey masterKey;
    private final RandomTokens random;
    private final Clock clock;

    public UpstreamAdmin(UpstreamStore store, MasterKey masterKey, RandomTokens random, Clock clock) {
        this.store = store;
        this.masterKey = masterKey;
        this.random = random;
        this.clock = clock;
    }

    /** What {@code upstream add} asks for, as typed; null claims, domains and scope mean the defaults. */
    public record Draft(String name, String issuer, String clientId, Secret clientSecret, String userClaim, String groupsClaim,
                        List<String> allowedDomains, String scope) {
    }

    public Upstream add(Draft d) {
        if (d.name() == null || !NAME.matcher(d.name()).matches()) {
            throw Failure.invalidRequest("name", "an upstream name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        String issuer = issuer(d.issuer());
        if (d.clientId() == null || d.clientId().isBlank()) throw Failure.invalidRequest("client_id", "the client id is required");
        if (d.clientSecret() == null || d.clientSecret().isEmpty()) throw Failure.invalidRequest("client_secret", "the client secret is empty");
        String userClaim = claim(d.userClaim(), "claim_user");
        String groupsClaim = claim(d.groupsClaim(), "claim_groups");
        List<String> domains = (d.allowedDomains() == null ? List.<String>of() : d.allowedDomains()).stream()
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        for (String domain : domains) {
            if (!DOMAIN.matcher(domain).matches()) throw Failure.invalidRequest("allowed_domains", "allowed domain " + domain + " is not a domain name");
        }
        String scope = d.scope() == null ? DEFAULT_SCOPE : d.scope().trim();
        if (!SCOPE.matcher(scope).matches() || !List.of(scope.split(" ")).contains("openid")) {
            throw Failure.invalidRequest("scope", "the scope is a space-separated list of scopes that includes openid");
        }
        String id = random.uuid();
        String sealed = Base64.getEncoder().encodeToString(masterKey.encrypt(d.clientSecret().value().getBytes(StandardCharsets.UTF_8),
                associated(id)));
        Upstream upstream = new Upstream(id, d.name(), issuer, d.clientId(), sealed, userClaim, groupsClaim, domains, scope, clock.instant());
        store.add(upstream);
        return upstream;
    }

    public List<Upstream> list() { return store.list(); }

    public Optional<Upstream> show(String name) { return store.byName(name); }

    public void remove(String name) {
        if (!store.delete(name)) throw Failure.notFound("no upstream named " + name);
    }

    /** The client secret of an upstream, unsealed for the code exchange. */
    Secret clientSecret(Upstream upstream) {
        return new Secret(new String(masterKey.decrypt(Base64.getDecoder().decode(upstream.sealedSecret()), associated(upstream.id())),
                StandardCharsets.UTF_8));
    }

    private static String associated(String id) { return "upstream:" + id; }

    private static String issuer(String text) {
        if (text == null || text.isBlank()) throw Failure.invalidRequest("issuer", "the issuer is required");
        try {
            URI uri = new URI(text);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw Failure.invalidRequest("issuer", "the issuer must be an https:// (or http://) URL without query or fragment, exactly as the "
                        + "provider's ID tokens say in iss");
            }
            return text;
        } catch (java.net.URISyntaxException e) {
            throw Failure.invalidRequest("issuer", "the issuer is not a URL: " + e.getReason());
        }
    }

    private static String claim(String text, String field) {
        if (text == null) return null;
        if (!CLAIM.matcher(text).matches()) throw Failure.invalidRequest(field, field + " names a claim: letters, digits and _:./-");
        return text;
    }
}
