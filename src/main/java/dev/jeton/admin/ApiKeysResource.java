package dev.jeton.admin;

import dev.jeton.engine.Accounts;
import dev.jeton.engine.ApiKeys;
import dev.jeton.engine.ApiKeys.NewApiKey;
import dev.jeton.model.ApiKey;
import dev.jeton.model.Failure;
import dev.jeton.model.User;
import io.helidon.http.Method;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** API keys (sk-occam-...): list (all, or ?user=), create (the key is answered once), show, revoke (DELETE). */
public final class ApiKeysResource implements AdminResource {
    private final ApiKeys apiKeys;
    private final Accounts accounts;

    public ApiKeysResource(ApiKeys apiKeys, Accounts accounts) {
        this.apiKeys = apiKeys;
        this.accounts = accounts;
    }

    @Override
    public String kind() { return "api-keys"; }

    @Override
    public void routes(AdminRoutes routes) {
        routes.read("", call -> {
            Map<String, String> names = owners();
            call.page(apiKeys.list(call.query("user").orElse(null)), ApiKey::id, k -> ApiKeyWire.of(k, names));
        });
        routes.change(Method.POST, "", call -> {
            NewApiKeyBody body = call.body(NewApiKeyBody.class);
            Fields.required("user", body.user());
            NewApiKey created = call.changes().createApiKey(body.user(), body.name(), new LinkedHashSet<>(Fields.orEmpty(body.scopes())),
                    Fields.duration("expires_in", body.expiresIn()));
            ApiKeyWire wire = ApiKeyWire.of(find(created.key().id()), owners());
            call.created(routes.location(wire.id()), new CreatedApiKey(wire, created.secret().value()), Etags.of(wire));
        });
        routes.read("/{id}", call -> {
            ApiKeyWire wire = ApiKeyWire.of(find(call.path("id")), owners());
            call.ok(wire, Etags.of(wire));
        });
        routes.change(Method.DELETE, "/{id}", call -> {
            call.requireMatch(Etags.of(ApiKeyWire.of(find(call.path("id")), owners())));
            call.changes().revokeApiKey(call.path("id"));
            call.noContent();
        });
    }

    private ApiKey find(String id) {
        return apiKeys.list(null).stream().filter(k -> k.id().equals(id)).findFirst()
                .orElseThrow(() -> Failure.notFound("no API key with id '" + id + "'"));
    }

    private Map<String, String> owners() {
        return accounts.users().stream().collect(Collectors.toMap(User::id, User::name));
    }

    /** A key as the API shows it: never the key itself. */
    record ApiKeyWire(String id, String user, String name, List<String> scopes, String createdAt, String expiresAt, String revokedAt) {
        static ApiKeyWire of(ApiKey k, Map<String, String> names) {
            return new ApiKeyWire(k.id(), names.getOrDefault(k.userId(), k.userId()), k.name(), k.scopes().stream().sorted().toList(),
                    k.createdAt().toString(), Fields.time(k.expiresAt()), Fields.time(k.revokedAt()));
        }
    }

    record NewApiKeyBody(String user, String name, List<String> scopes, String expiresIn) {
    }

    record CreatedApiKey(@com.fasterxml.jackson.annotation.JsonUnwrapped ApiKeyWire apiKey, String key) {
    }
}
