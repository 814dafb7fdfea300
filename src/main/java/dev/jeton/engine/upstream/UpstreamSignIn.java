package dev.jeton.engine.upstream;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.engine.TokenAudit;
import dev.jeton.federation.OidcProvider;
import dev.jeton.model.Failure;
import dev.jeton.model.Origin;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.model.Upstream;
import dev.jeton.model.User;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.secrets.SecretHash;
import dev.jeton.store.UpstreamStore;
import dev.jeton.store.UpstreamStore.Pending;
import dev.jeton.store.UserStore;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * "Sign in with NAME", in three steps, each usable once and bound to one browser by a secret in
 * its cookie (the caller's {@code browser}): {@link #start} sends the browser to the upstream
 * (authorization code, PKCE S256 whose verifier is derived from the browser's secret, a fresh
 * {@code state} and {@code nonce}); {@link #finish} takes the upstream's answer, exchanges the
 * code, validates the ID token and maps the account to a Jeton user; {@link #take} hands that
 * user to the page the sign-in returns to (the authorization endpoint, a device verification
 * page), which then goes on as after a password login. State lives in the store, so any
 * instance can answer any step. Every refusal is audited with its reason.
 */
public final class UpstreamSignIn {
    /** Where upstream providers send the browser back: the redirect URI to register with them. */
    public static final String CALLBACK_PATH = "/oidc/upstream/callback";
    /** A user has this long to sign in at the provider and come back. */
    static final Duration PENDING = Duration.ofMinutes(10);

    private final UpstreamStore store;
    private final UpstreamAdmin admin;
    private final UpstreamUsers users;
    private final RandomTokens random;
    private final Supplier<HttpClient> http;
    private final Clock clock;
    private final TokenAudit audit;
    private final UserStore userStore;
    private final String callbackUrl;
    private final Map<String, OidcProvider> providers = new ConcurrentHashMap<>();

    public UpstreamSignIn(Parts parts) {
        this.store = parts.store();
        this.admin = parts.admin();
        this.users = new UpstreamUsers(parts.users(), parts.store(), parts.random(), parts.clock(), parts.provisioning());
        this.userStore = parts.users();
        this.random = parts.random();
        this.http = parts.http();
        this.clock = parts.clock();
        this.audit = parts.audit();
        this.callbackUrl = parts.issuer() + CALLBACK_PATH;
    }

    /** What a sign-in is built from. */
    public record Parts(UpstreamStore store, UpstreamAdmin admin, UserStore users, RandomTokens random, Supplier<HttpClient> http,
                        Clock clock, TokenAudit audit, dev.jeton.audit.AdminAudit provisioning, String issuer) {
    }

    /** Where to send the browser, and the secret its cookie must carry back. */
    public record Started(String location, Secret browser) {
    }

    /** The upstream's answer at the callback, as it came (any part may be missing). */
    public record Answer(String state, String code, String error, String errorDescription, String iss) {
    }

    /** The names of the upstreams a login page offers, by name. */
    public List<String> names() {
        return store.list().stream().map(Upstream::name).toList();
    }

    /** Step 1. {@code returnTo} is a path on this server (checked by the caller) that {@link #take}s the sign-in. */
    public Started start(String name, String returnTo, Origin origin) {
        Upstream upstream = store.byName(name).orElse(null);
        if (upstream == null) throw refuse(Failure.notFound("There is no identity provider named " + name + " here.")
                .because("upstream.unknown"), name, null, origin);
        Secret browser = random.secret();
        Secret state = random.secret();
        String nonce = random.id();
        Instant now = clock.instant();
        String location;
        try {
            location = provider(upstream).authorizationUrl(upstream.clientId(), callbackUrl, upstream.scope(), state.value(), nonce,
                    challenge(verifier(browser)));
        } catch (Failure f) {
            throw refuse(f, name, null, origin);
        }
        store.begin(new Pending(SecretHash.of(state), SecretHash.of(browser), upstream.name(), nonce, returnTo, now.plus(PENDING)));
        return new Started(location, browser);
    }

    /** Step 2: the callback. Returns where the sign-in returns to; the user is recorded for {@link #take}. */
    public String finish(Answer answer, Secret browser, Origin origin) {
        String name = null;
        String subject = null;
        try {
            if (answer.state() == null) throw refused("The identity provider's answer has no state.", "upstream.state_missing");
            Pending pending = store.answer(SecretHash.of(answer.state()), clock.instant()).orElseThrow(() -> refused(
                    "This sign-in is unknown, expired or already used. Start again from the application.", "upstream.state_unknown"));
            name = pending.upstream();
            if (browser == null || !MessageDigest.isEqual(pending.browserHash(), SecretHash.of(browser))) {
                throw refused("This sign-in was started in another browser. Start again from the application.", "upstream.state_browser");
            }
            if (answer.error() != null) {
                throw refused(name + " did not sign you in (" + answer.error() + (answer.errorDescription() == null ? ""
                        : ": " + answer.errorDescription()) + ").", "upstream.error");
            }
            Upstream upstream = store.byName(name).orElseThrow(() -> refused("This identity provider was removed.", "upstream.unknown"));
            // RFC 9207: a provider that names itself must name the one this sign-in went to.
            if (answer.iss() != null && !answer.iss().equals(upstream.issuer())) {
                throw refused("The answer came from " + answer.iss() + ", not from " + upstream.issuer() + ".", "upstream.wrong_issuer");
            }
            if (answer.code() == null) throw refused("The identity provider's answer has no code.", "upstream.code_missing");
            OidcProvider provider = provider(upstream);
            OidcProvider.Tokens tokens = provider.exchange(upstream.clientId(), admin.clientSecret(upstream), answer.code(), callbackUrl,
                    verifier(browser));
            JWTClaimsSet idToken = provider.verify(tokens.idToken(), upstream.clientId(), pending.nonce());
            subject = idToken.getSubject();
            Map<String, Object> claims = new LinkedHashMap<>(idToken.getClaims());
            if (UpstreamUsers.wanted(upstream).stream().anyMatch(c -> !claims.containsKey(c))) {
                provider.userinfo(tokens.accessToken(), subject).forEach(claims::putIfAbsent);
            }
            User user = users.signIn(upstream, claims);
            store.signedIn(pending.stateHash(), user.id());
            return pending.returnTo();
        } catch (Failure f) {
            throw refuse(f, name, subject, origin);
        }
    }

    /** An answer at the callback that cannot even be read (a parameter twice, bad encoding): refused and audited. */
    public Failure malformedAnswer(String why, Origin origin) {
        return refuse(refused("The identity provider's answer cannot be read (" + why + ").", "upstream.answer_malformed"), null, null,
                origin);
    }

    /** Step 3: the user who signed in through an upstream in this browser for {@code returnTo}, once. */
    public Optional<User> take(Secret browser, String returnTo) {
        if (browser == null) return Optional.empty();
        return store.take(SecretHash.of(browser), returnTo, clock.instant()).flatMap(userStore::byId).filter(u -> !u.disabled());
    }

    /**
     * Who signed in through an upstream in this browser for {@code returnTo}, without using the
     * sign-in up: a page shows it and asks for consent, and {@link #take} it on the user's answer.
     */
    public Optional<User> peek(Secret browser, String returnTo) {
        if (browser == null) return Optional.empty();
        return store.peek(SecretHash.of(browser), returnTo, clock.instant()).flatMap(userStore::byId).filter(u -> !u.disabled());
    }

    private OidcProvider provider(Upstream upstream) {
        return providers.computeIfAbsent(upstream.issuer(), issuer -> new OidcProvider(issuer, http, clock));
    }

    private Failure refuse(Failure f, String upstream, String subject, Origin origin) {
        audit.refusedLogin(upstream == null ? null : "upstream:" + upstream, subject, origin, f);
        return f;
    }

    private static Failure refused(String detail, String check) {
        return Failure.of(Reason.ACCESS_DENIED, detail).because(check);
    }

    /** The PKCE verifier of a sign-in: derived from the browser's secret, so the store never holds it. */
    private static String verifier(Secret browser) {
        return base64Url(sha256("jeton-upstream-pkce:" + browser.value()));
    }

    private static String challenge(String verifier) {
        return base64Url(sha256(verifier));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
