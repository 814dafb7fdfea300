package dev.jeton.engine.desired;

import dev.jeton.engine.desired.Change.Action;
import dev.jeton.engine.desired.Change.Field;
import dev.jeton.engine.desired.Change.Kind;
import dev.jeton.engine.desired.DesiredConfig.ApiKeyEntry;
import dev.jeton.engine.desired.DesiredConfig.ClientEntry;
import dev.jeton.engine.desired.DesiredConfig.IdentityEntry;
import dev.jeton.engine.desired.DesiredConfig.NodeEntry;
import dev.jeton.engine.desired.DesiredConfig.UpstreamEntry;
import dev.jeton.engine.desired.DesiredConfig.RuleEntry;
import dev.jeton.engine.desired.DesiredConfig.TrustEntry;
import dev.jeton.engine.desired.DesiredConfig.UserEntry;
import dev.jeton.model.Failure;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What apply would change to make the current configuration the wanted one: field by field, a
 * field the file leaves out is left as it is; with prune, resources the file leaves out go
 * (users excepted: Jeton does not delete users).
 */
public final class Plan {
    /** Lists whose order means nothing: compared sorted. */
    private static final Set<String> SET_LIKE = Set.of("groups", "grants", "scopes", "actions", "nodes", "allowedDomains");
    private static final Set<String> DURATIONS = Set.of("accessTokenTtl", "refreshTokenTtl", "maxTtl");
    private static final Set<String> INSTANTS = Set.of("expiresAt");
    /** Read by apply when it creates the resource; never stored, never compared. */
    private static final Set<String> SECRET_REFERENCES = Set.of("passwordEnv", "passwordFile", "secretEnv", "secretFile", "clientSecretEnv", "clientSecretFile");

    private final List<Change> changes;

    private Plan(List<Change> changes) { this.changes = List.copyOf(changes); }

    public List<Change> changes() { return changes; }

    public boolean isEmpty() { return changes.isEmpty(); }

    /**
     * {@code secretDiffers}, {@code keyDiffers}: whether an existing client's or API key's referenced
     * secret is not the one stored (checked against the stored hash; the plan shows only where the
     * new one comes from).
     */
    public static Plan between(DesiredConfig current, DesiredConfig wanted, boolean prune, Predicate<ClientEntry> secretDiffers,
                               Predicate<ApiKeyEntry> keyDiffers) {
        List<Change> out = new ArrayList<>();
        compare(Kind.USER, current.users(), wanted.users(), UserEntry::name, false, out);
        compare(Kind.API_KEY, current.apiKeys(), wanted.apiKeys(), Plan::apiKeyKey, prune, out, e ->
                (e.secretEnv() != null || e.secretFile() != null) && keyDiffers.test(e)
                        ? Map.of("secret", new Field("another", SecretReferences.describe(e.secretEnv(), e.secretFile()))) : Map.of());
        compare(Kind.NODE, current.nodes(), wanted.nodes(), NodeEntry::name, prune, out);
        compare(Kind.UPSTREAM, current.upstreams(), wanted.upstreams(), UpstreamEntry::name, prune, out);
        compare(Kind.CLIENT, current.clients(), wanted.clients(), ClientEntry::clientId, prune, out, e ->
                (e.secretEnv() != null || e.secretFile() != null) && secretDiffers.test(e)
                        ? Map.of("secret", new Field("another", SecretReferences.describe(e.secretEnv(), e.secretFile()))) : Map.of());
        compare(Kind.IDENTITY, current.identities(), wanted.identities(), IdentityEntry::name, prune, out);
        compare(Kind.TRUST_POLICY, current.trustPolicies(), wanted.trustPolicies(), TrustEntry::name, prune, out);
        compare(Kind.RULE, current.rules(), wanted.rules(), Plan::ruleKey, prune, out);
        return new Plan(out);
    }

    static String ruleKey(RuleEntry r) { return r.subject() + " " + r.repository(); }

    /** An API key is known by its owner and its name: {@code alice ci}. */
    static String apiKeyKey(ApiKeyEntry k) { return k.user() == null || k.name() == null ? null : k.user() + " " + k.name(); }

    private static <E> void compare(Kind kind, List<E> current, List<E> wanted, Function<E, String> key, boolean prune, List<Change> out) {
        compare(kind, current, wanted, key, prune, out, e -> Map.of());
    }

    /** {@code unseen}: differences the stored entry cannot show (a secret, known only by its hash). */
    private static <E> void compare(Kind kind, List<E> current, List<E> wanted, Function<E, String> key, boolean prune, List<Change> out,
                                    Function<E, Map<String, Field>> unseen) {
        Map<String, E> now = new LinkedHashMap<>();
        current.forEach(e -> now.put(key.apply(e), e));
        Set<String> seen = new java.util.HashSet<>();
        for (E entry : wanted) {
            String k = key.apply(entry);
            if (k == null || k.isBlank() || k.startsWith("null ")) throw Failure.invalidRequest(kind.label() + " without a name in the file");
            if (!seen.add(k)) throw Failure.invalidRequest(kind.label() + " '" + k + "' is in the file twice");
            E existing = now.get(k);
            if (existing == null) {
                out.add(new Change(kind, k, Action.CREATE, Map.of(), entry, null));
                continue;
            }
            Map<String, Field> fields = differences(kind, k, CurrentConfig.fields(existing), CurrentConfig.fields(entry));
            fields.putAll(unseen.apply(entry));
            if (!fields.isEmpty()) out.add(new Change(kind, k, Action.UPDATE, fields, entry, existing));
        }
        if (!prune) return;
        now.forEach((k, existing) -> {
            if (!seen.contains(k)) out.add(new Change(kind, k, Action.DELETE, Map.of(), null, existing));
        });
    }

    private static Map<String, Field> differences(Kind kind, String key, Map<String, Object> now, Map<String, Object> wanted) {
        Map<String, Field> out = new LinkedHashMap<>();
        wanted.forEach((name, value) -> {
            if (value == null || SECRET_REFERENCES.contains(name)) return;
            Object to = normal(kind, key, name, value);
            Object from = normal(kind, key, name, now.get(name));
            if (!Objects.equals(from, to)) out.put(name, new Field(from, to));
        });
        return out;
    }

    private static Object normal(Kind kind, String key, String name, Object value) {
        if (value == null) return null;
        if (SET_LIKE.contains(name) && value instanceof List<?> list) return list.stream().map(String::valueOf).sorted().toList();
        if (value instanceof Map<?, ?> map) return new java.util.TreeMap<>(map);
        if (DURATIONS.contains(name)) return duration(kind, key, name, value.toString()).toString();
        if (INSTANTS.contains(name)) return instant(kind, key, name, value.toString()).toString();
        return value;
    }

    static java.time.Instant instant(Kind kind, String key, String name, String text) {
        try {
            return java.time.Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw Failure.invalidRequest(kind.label() + " " + key + ": " + name + " '" + text + "' is not an ISO-8601 instant such as 2027-01-31T00:00:00Z");
        }
    }

    static Duration duration(Kind kind, String key, String name, String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw Failure.invalidRequest(kind.label() + " " + key + ": " + name + " '" + text + "' is not an ISO-8601 duration such as PT15M");
        }
    }
}
