package dev.jeton.admin;

import dev.jeton.engine.Accounts;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.engine.Accounts.NewClient;
import dev.jeton.engine.OidcRegistrations;
import dev.jeton.model.Client;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.Secret;
import io.helidon.http.Method;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** OAuth clients: list, add, show, change, delete, and rotate the secret with an overlap window. */
public final class ClientsResource implements AdminResource {
    private final Accounts accounts;
    private final OidcRegistrations oidc;

    public ClientsResource(Accounts accounts, OidcRegistrations oidc) {
        this.accounts = accounts;
        this.oidc = oidc;
    }

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
        routes.change(Method.PATCH, "/{id}", call -> {
            String id = call.path("id");
            Client now = find(id);
            call.requireMatch(etag(now));
            ClientPatch patch = call.body(ClientPatch.class);
            if (patch.empty()) throw Failure.invalidRequest("nothing to change: give at least one field");
            // Both checked before either is made, so a refused OpenID Connect field leaves the settings as they were.
            ClientSpec spec = patch.changesSettings() ? patch.over(now) : null;
            ClientOidcSettings oidcChange = patch.changesOidc() ? patch.oidc() : null;
            if (spec != null) call.changes().updateClient(spec);
            if (oidcChange != null) call.changes().updateClientOidc(id, oidcChange);
            Client changed = find(id);
            call.ok(wire(changed), etag(changed));
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
    private String etag(Client client) { return etag(client, oidc.client(client.clientId())); }

    /** The tag of {@code client} with its sign-in settings {@code registered}; the console's forms carry the same. */
    static String etag(Client client, ClientOidcSettings registered) {
        return Etags.of(ClientWire.of(client, null, registered),
                client.secretHash() == null ? null : HexFormat.of().formatHex(client.secretHash()));
    }

    private ClientWire wire(Client client) {
        return ClientWire.of(client, accounts.previousSecretExpiry(client.clientId()).orElse(null), oidc.client(client.clientId()));
    }

    private static ClientSpec spec(NewClientBody b) {
        Fields.required("client_id", b.clientId());
        boolean publicClient = Boolean.TRUE.equals(b.isPublic());
        Set<GrantType> grants = b.grantTypes() == null ? new LinkedHashSet<>(Accounts.defaultGrants(publicClient))
                : ClientPatch.grants(b.grantTypes());
        return new ClientSpec(b.clientId(), grants, new LinkedHashSet<>(Fields.orEmpty(b.scopes())), Fields.orEmpty(b.audiences()),
                Fields.orEmpty(b.redirectUris()), Fields.duration("access_token_ttl", b.accessTokenTtl()),
                Fields.duration("refresh_token_ttl", b.refreshTokenTtl()), ClientPatch.policy(b.refreshPolicy()), publicClient);
    }

    /** A client as the API shows it: never its secret or the secret's hash. */
    record ClientWire(String clientId, List<String> grantTypes, List<String> scopes, List<String> audiences, List<String> redirectUris,
                      String accessTokenTtl, String refreshTokenTtl, String refreshPolicy, @com.fasterxml.jackson.annotation.JsonProperty("public") boolean isPublic, boolean disabled,
                      String createdAt, String previousSecretExpiresAt, String idTokenSignedResponseAlg, String tokenEndpointAuthMethod,
                      @com.fasterxml.jackson.annotation.JsonRawValue String jwks, String jwksUri) {
        static ClientWire of(Client c, Instant previousSecretExpiresAt, ClientOidcSettings oidc) {
            return new ClientWire(c.clientId(), c.grantTypes().stream().map(GrantType::wireName).sorted().toList(),
                    c.scopes().stream().sorted().toList(), c.audiences(), c.redirectUris(), Fields.format(c.accessTokenTtl()),
                    Fields.format(c.refreshTokenTtl()), c.refreshPolicy().name().toLowerCase(Locale.ROOT).replace('_', '-'), c.isPublic(),
                    c.disabled(), c.createdAt().toString(), Fields.time(previousSecretExpiresAt), oidc.idTokenAlgOrDefault(),
                    oidc.authMethod() == null ? null : oidc.authMethod().wireName(), oidc.jwks(), oidc.jwksUri());
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
