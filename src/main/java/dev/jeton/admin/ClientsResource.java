package dev.jeton.admin;

import dev.jeton.engine.Accounts;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.engine.Accounts.NewClient;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import io.helidon.http.Method;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** OAuth clients: list, add, show, delete, and rotate the secret with an overlap window. */
public final class ClientsResource implements AdminResource {
    private final Accounts accounts;

    public ClientsResource(Accounts accounts) { this.accounts = accounts; }

    @Override
    public String kind() { return "clients"; }

    @Override
    public void routes(AdminRoutes routes) {
        routes.read("", call -> call.page(accounts.clients(), Client::clientId, this::wire));
        routes.change(Method.POST, "", call -> {
            NewClientBody body = call.body(NewClientBody.class);
            NewClient created = call.changes().addClient(spec(body));
            // As stored (times to the millisecond), so that the tag is the one a GET answers.
            Client stored = find(created.client().clientId());
            String secret = created.secret() == null ? null : created.secret().value();
            call.created(routes.location(stored.clientId()), new CreatedClient(wire(stored), secret), etag(stored));
        });
        routes.read("/{id}", call -> {
            Client client = find(call.path("id"));
            call.ok(wire(client), etag(client));
        });
        routes.change(Method.DELETE, "/{id}", call -> {
            call.requireMatch(etag(find(call.path("id"))));
            call.changes().deleteClient(call.path("id"));
            call.noContent();
        });
        routes.change(Method.POST, "/{id}/secret", call -> {
            String id = call.path("id");
            call.requireMatch(etag(find(id)));
            RotateBody body = call.bodyOr(RotateBody.class, new RotateBody(null));
            Duration overlap = body.overlap() == null ? Duration.ZERO : Fields.duration("overlap", body.overlap());
            Secret secret = call.changes().rotateClientSecret(id, overlap);
            Client rotated = find(id);
            call.ok(new RotatedSecret(id, secret.value(), Fields.time(accounts.previousSecretExpiry(id).orElse(null))), etag(rotated));
        });
    }

    private Client find(String id) {
        return accounts.client(id).orElseThrow(() -> Failure.notFound("no client '" + id + "'"));
    }

    /** The secret's hash is state the representation does not show: a rotation must move the tag. */
    static String etag(Client client) {
        return Etags.of(ClientWire.of(client, null), client.secretHash() == null ? null : HexFormat.of().formatHex(client.secretHash()));
    }

    private ClientWire wire(Client client) {
        return ClientWire.of(client, accounts.previousSecretExpiry(client.clientId()).orElse(null));
    }

    private static ClientSpec spec(NewClientBody b) {
        Fields.required("client_id", b.clientId());
        boolean publicClient = Boolean.TRUE.equals(b.isPublic());
        Set<GrantType> grants = new LinkedHashSet<>();
        if (b.grantTypes() == null) {
            grants.addAll(Accounts.defaultGrants(publicClient));
        } else {
            if (b.grantTypes().isEmpty()) {
                throw Failure.invalidRequest("grant_types", "grant_types must name at least one grant (or be left out)");
            }
            for (String g : b.grantTypes()) {
                grants.add(GrantType.fromWire(g).orElseThrow(() -> Failure.invalidRequest("grant_types", "unknown grant type '" + g + "'")));
            }
        }
        return new ClientSpec(b.clientId(), grants, new LinkedHashSet<>(Fields.orEmpty(b.scopes())), Fields.orEmpty(b.audiences()),
                Fields.orEmpty(b.redirectUris()), Fields.duration("access_token_ttl", b.accessTokenTtl()),
                Fields.duration("refresh_token_ttl", b.refreshTokenTtl()), policy(b.refreshPolicy()), publicClient);
    }

    private static RefreshPolicy policy(String text) {
        if (text == null) return RefreshPolicy.ROTATING;
        return switch (text) {
            case "rotating" -> RefreshPolicy.ROTATING;
            case "rotating-lenient" -> RefreshPolicy.ROTATING_LENIENT;
            case "reusable" -> RefreshPolicy.REUSABLE;
            default -> throw Failure.invalidRequest("refresh_policy", "refresh_policy must be rotating, rotating-lenient or reusable");
        };
    }

    /** A client as the API shows it: never its secret or the secret's hash. */
    record ClientWire(String clientId, List<String> grantTypes, List<String> scopes, List<String> audiences, List<String> redirectUris,
                      String accessTokenTtl, String refreshTokenTtl, String refreshPolicy, @com.fasterxml.jackson.annotation.JsonProperty("public") boolean isPublic, boolean disabled,
                      String createdAt, String previousSecretExpiresAt) {
        static ClientWire of(Client c, Instant previousSecretExpiresAt) {
            return new ClientWire(c.clientId(), c.grantTypes().stream().map(GrantType::wireName).sorted().toList(),
                    c.scopes().stream().sorted().toList(), c.audiences(), c.redirectUris(), Fields.format(c.accessTokenTtl()),
                    Fields.format(c.refreshTokenTtl()), c.refreshPolicy().name().toLowerCase(Locale.ROOT).replace('_', '-'), c.isPublic(),
                    c.disabled(), c.createdAt().toString(), Fields.time(previousSecretExpiresAt));
        }
    }

    record NewClientBody(String clientId, List<String> grantTypes, List<String> scopes, List<String> audiences, List<String> redirectUris,
                         String accessTokenTtl, String refreshTokenTtl, String refreshPolicy,
                         @com.fasterxml.jackson.annotation.JsonProperty("public") Boolean isPublic) {
    }

    /** The new client and its secret, shown this once (absent for a public client). */
    record CreatedClient(@com.fasterxml.jackson.annotation.JsonUnwrapped ClientWire client, String clientSecret) {
    }

    record RotateBody(String overlap) {
    }

    record RotatedSecret(String clientId, String clientSecret, String previousSecretExpiresAt) {
    }
}
