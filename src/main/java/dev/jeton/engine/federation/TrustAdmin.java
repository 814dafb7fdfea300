package dev.jeton.engine.federation;

import com.nimbusds.jose.jwk.JWKSet;
import dev.jeton.engine.ClientDirectory;
import dev.jeton.model.Failure;
import dev.jeton.model.PrincipalRef;
import dev.jeton.model.TrustPolicy;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.store.IdentityStore;
import dev.jeton.store.TrustStore;
import dev.jeton.store.UserStore;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.regex.Pattern;

/** Adds, lists, shows and removes trust policies, in the CLI's terms, checking each part once at the door. */
public final class TrustAdmin {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Duration LONGEST_TTL = Duration.ofHours(24);

    private final TrustStore store;
    private final Federation federation;
    private final IdentityStore identities;
    private final ClientDirectory clients;
    private final UserStore users;
    private final RandomTokens random;
    private final Clock clock;

    public TrustAdmin(TrustStore store, Federation federation, IdentityStore identities, ClientDirectory clients, UserStore users,
                      RandomTokens random, Clock clock) {
        this.store = store;
        this.federation = federation;
        this.identities = identities;
        this.clients = clients;
        this.users = users;
        this.random = random;
        this.clock = clock;
    }

    /** What {@code trust add} asks for, as typed. */
    public record Draft(String name, String issuer, String audience, String subject, List<String> claims, String as, Duration maxTtl,
                        String jwksFile) {
    }

    public TrustPolicy add(Draft d) {
        if (d.name() == null || !NAME.matcher(d.name()).matches()) {
            throw Failure.invalidRequest("a policy name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        URI issuer = issuer(d.issuer());
        if (d.audience() == null || d.audience().isBlank()) throw Failure.invalidRequest("--audience is required");
        if (d.subject() == null || d.subject().isBlank()) throw Failure.invalidRequest("--subject is required (an exact subject or a glob)");
        SequencedMap<String, String> claims = claims(d.claims());
        PrincipalRef as = principal(d.as());
        Duration maxTtl = d.maxTtl() == null ? TrustPolicy.DEFAULT_MAX_TTL : d.maxTtl();
        if (maxTtl.isNegative() || maxTtl.isZero() || maxTtl.compareTo(LONGEST_TTL) > 0) {
            throw Failure.invalidRequest("--max-ttl must be more than 0 and at most 24h");
        }
        String jwksFile = d.jwksFile() == null ? null : jwksFile(d.jwksFile());
        TrustPolicy policy = new TrustPolicy(random.id(), d.name(), issuer.toString(), d.audience(), d.subject(), claims, as, maxTtl,
                jwksFile, clock.instant());
        store.add(policy);
        federation.invalidate();
        return policy;
    }

    public List<TrustPolicy> list() { return store.list(); }

    public Optional<TrustPolicy> show(String name) { return store.byName(name); }

    public void remove(String name) {
        if (!store.delete(name)) throw Failure.notFound("no trust policy named " + name);
        federation.invalidate();
    }

    private static URI issuer(String text) {
        if (text == null || text.isBlank()) throw Failure.invalidRequest("--issuer is required");
        try {
            URI uri = new URI(text);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw Failure.invalidRequest("--issuer must be an https:// (or http://) URL, exactly as the tokens' iss says");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw Failure.invalidRequest("--issuer is not a URL: " + e.getReason());
        }
    }

    private static SequencedMap<String, String> claims(List<String> pairs) {
        SequencedMap<String, String> claims = new LinkedHashMap<>();
        for (String pair : pairs == null ? List.<String>of() : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) throw Failure.invalidRequest("--claim takes KEY=VALUE or KEY=GLOB, got '" + pair + "'");
            String key = pair.substring(0, eq);
            if (key.equals("sub") || key.equals("iss") || key.equals("aud")) {
                throw Failure.invalidRequest("--claim " + key + ": use --subject, --issuer or --audience for it");
            }
            if (claims.putIfAbsent(key, pair.substring(eq + 1)) != null) throw Failure.invalidRequest("--claim " + key + " is given twice");
        }
        return claims;
    }

    private PrincipalRef principal(String text) {
        PrincipalRef as;
        try {
            as = PrincipalRef.parse(text);
        } catch (IllegalArgumentException e) {
            throw Failure.invalidRequest("--as: " + e.getMessage());
        }
        boolean exists = switch (as.kind()) {
            case IDENTITY -> identities.byName(as.name()).isPresent();
            case APP -> clients.byClientId(as.name()).isPresent();
            case USER -> users.byName(as.name()).isPresent();
            case GROUP, NODE -> true;
        };
        if (!exists) throw Failure.invalidRequest("--as " + as + ": no such " + as.kind().wireName());
        return as;
    }

    private static String jwksFile(String text) {
        Path path = Path.of(text).toAbsolutePath().normalize();
        try {
            JWKSet keys = JWKSet.parse(Files.readString(path));
            if (keys.getKeys().stream().noneMatch(k -> !k.isPrivate())) throw Failure.invalidRequest("--jwks-file " + path + " holds no public key");
            if (keys.getKeys().stream().anyMatch(k -> k.isPrivate())) {
                throw Failure.invalidRequest("--jwks-file " + path + " holds a private key: give the issuer's public keys only");
            }
        } catch (IOException e) {
            throw Failure.invalidRequest("--jwks-file " + path + " cannot be read: " + e.getMessage());
        } catch (ParseException e) {
            throw Failure.invalidRequest("--jwks-file " + path + " is not a JWK set: " + e.getMessage());
        }
        return path.toString();
    }
}
