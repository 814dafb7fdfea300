package dev.jeton.engine.desired;

import dev.jeton.engine.AdminChanges;
import dev.jeton.engine.ApiKeys;
import dev.jeton.engine.desired.Change.Kind;
import dev.jeton.engine.desired.DesiredConfig.ApiKeyEntry;
import dev.jeton.model.ApiKey;
import dev.jeton.model.Failure;
import dev.jeton.model.Secret;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API key entries of a {@link Plan}, made through {@link AdminChanges}: created (with the
 * referenced value, or a generated one shown once), updated in place (scopes, expiry, value),
 * revoked by prune. A key is found by its owner and name.
 */
final class ApiKeyChanges {
    private final AdminChanges changes;
    private final ApiKeys keys;
    private final SecretReferences references;

    ApiKeyChanges(AdminChanges changes, ApiKeys keys, SecretReferences references) {
        this.changes = changes;
        this.keys = keys;
        this.references = references;
    }

    /** {@code shown}: where a generated value goes, under the key's {@code user name}, to be shown once. */
    void create(Change c, Map<String, String> shown) {
        ApiKeyEntry e = (ApiKeyEntry) c.wanted();
        Secret referenced = secret(c.key(), e);
        Secret value = changes.createApiKey(e.user(), e.name(), scopes(e.scopes()), expiry(c.key(), e.expiresAt()), referenced).secret();
        if (referenced == null) shown.put(c.key(), value.value());
    }

    void update(Change c) {
        ApiKeyEntry e = (ApiKeyEntry) c.wanted(), now = (ApiKeyEntry) c.current();
        String id = id(c.key(), now);
        Set<String> fields = c.fields().keySet();
        if (fields.contains("secret")) changes.setApiKeySecret(id, secret(c.key(), e));
        if (fields.contains("scopes") || fields.contains("expiresAt")) {
            changes.updateApiKey(id, scopes(e.scopes() != null ? e.scopes() : now.scopes()),
                    expiry(c.key(), e.expiresAt() != null ? e.expiresAt() : now.expiresAt()));
        }
    }

    void delete(Change c) { changes.revokeApiKey(id(c.key(), (ApiKeyEntry) c.current())); }

    /** Whether the value the entry references is not the stored key's (compared by hash). */
    static boolean secretDiffers(ApiKeys keys, SecretReferences references, ApiKeyEntry e) {
        Secret s = references.read("api key " + Plan.apiKeyKey(e) + ": secret", e.secretEnv(), e.secretFile());
        return s != null && keys.active(e.user(), e.name()).map(k -> !keys.secretIs(k.id(), s)).orElse(false);
    }

    private Secret secret(String key, ApiKeyEntry e) { return references.read("api key " + key + ": secret", e.secretEnv(), e.secretFile()); }

    private String id(String key, ApiKeyEntry e) {
        return keys.active(e.user(), e.name()).map(ApiKey::id).orElseThrow(() -> Failure.notFound("no active API key " + key));
    }

    private static Set<String> scopes(List<String> scopes) { return scopes == null ? Set.of() : new LinkedHashSet<>(scopes); }

    private static Instant expiry(String key, String text) { return text == null ? null : Plan.instant(Kind.API_KEY, key, "expiresAt", text); }
}
