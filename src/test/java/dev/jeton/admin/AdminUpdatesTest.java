package dev.jeton.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.client.admin.ApiClient;
import dev.jeton.client.admin.ApiException;
import dev.jeton.client.admin.ApiResponse;
import dev.jeton.client.admin.api.ClientsApi;
import dev.jeton.client.admin.api.GroupsApi;
import dev.jeton.client.admin.api.UsersApi;
import dev.jeton.client.admin.model.Client;
import dev.jeton.client.admin.model.ClientPatch;
import dev.jeton.client.admin.model.NewClient;
import dev.jeton.client.admin.model.NewUser;
import dev.jeton.client.admin.model.User;
import dev.jeton.client.admin.model.UserPatch;
import dev.jeton.support.AdminClients;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.jeton.admin.AdminApiTest.etag;
import static dev.jeton.support.AdminClients.json;
import static dev.jeton.support.AdminClients.refused;
import static org.assertj.core.api.Assertions.assertThat;

/** A client's settings and a user's groups changed through the API, as {@code jeton client update} and the CLI change them. */
class AdminUpdatesTest {
    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static AdminClients admins;
    static ApiClient ops;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        admins = new AdminClients(jeton);
        ops = admins.client(admins.token("ops", "jeton:admin:clients", "jeton:admin:users", "jeton:admin:groups:read"));
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static int clientCredentials(String clientId, String secret, String scope) {
        return Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=client_credentials&scope=" + scope, Http.basic(clientId, secret))
                .statusCode();
    }

    @Test
    void patchClientWhenScopesAndTtlChangeThenTokensFollowAndOtherFieldsStay() throws Exception {
        ClientsApi clients = new ClientsApi(ops);
        String secret = clients.createClient(new NewClient().clientId("reports").grantTypes(List.of("client_credentials"))
                .scopes(List.of("reports:read")).audiences(List.of("https://reports.example")).accessTokenTtl("5m")).getClientSecret();
        assertThat(clientCredentials("reports", secret, "reports:write")).isNotEqualTo(200);
        ApiResponse<Client> read = clients.getClientWithHttpInfo("reports");

        ApiResponse<Client> patched = clients.updateClientWithHttpInfo("reports",
                new ClientPatch().scopes(List.of("reports:read", "reports:write")).accessTokenTtl("2m"), etag(read));
        assertThat(patched.getData().getScopes()).containsExactly("reports:read", "reports:write");
        assertThat(patched.getData().getAccessTokenTtl()).isEqualTo("2m");
        assertThat(patched.getData().getAudiences()).containsExactly("https://reports.example");
        assertThat(patched.getData().getGrantTypes()).containsExactly("client_credentials");
        assertThat(etag(patched)).isNotEqualTo(etag(read)).isEqualTo(etag(clients.getClientWithHttpInfo("reports")));
        // The token endpoint sees the change (the directory is told at once in this instance).
        HttpResponse<String> token = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=client_credentials&scope=reports:write",
                Http.basic("reports", secret));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        assertThat(json(token.body()).get("expires_in").asInt()).isEqualTo(120);
        assertThat(AuditTrail.of(dir).await("event", "admin", "action", "client.update", "target", "reports", "subject", "ops",
                "dialect", "admin").get("detail").asText()).contains("scopes reports:read,reports:write");

        // The old tag is stale now: a second admin who read before the change is told so, and nothing changes.
        refused(412, () -> clients.updateClient("reports", new ClientPatch().scopes(List.of()), etag(read)));
        assertThat(clients.getClient("reports").getScopes()).containsExactly("reports:read", "reports:write");

        // A TTL of "" goes back to the server's default.
        Client reset = clients.updateClient("reports", new ClientPatch().accessTokenTtl(""), "*");
        assertThat(reset.getAccessTokenTtl()).isNull();
    }

    @Test
    void patchClientWhenOpenIdConnectFieldsGivenThenRegisteredAndShown() throws Exception {
        ClientsApi clients = new ClientsApi(ops);
        clients.createClient(new NewClient().clientId("portal").grantTypes(List.of("authorization_code", "refresh_token"))
                .redirectUris(List.of("https://portal.example/cb")));
        assertThat(clients.getClient("portal").getIdTokenSignedResponseAlg()).isEqualTo("RS256");
        Client patched = clients.updateClient("portal", new ClientPatch().idTokenSignedResponseAlg("ES256")
                .tokenEndpointAuthMethod("private_key_jwt").jwksUri("https://portal.example/jwks.json")
                .redirectUris(List.of("https://portal.example/cb", "https://portal.example/cb2")), "*");
        assertThat(patched.getIdTokenSignedResponseAlg()).isEqualTo("ES256");
        assertThat(patched.getTokenEndpointAuthMethod()).isEqualTo("private_key_jwt");
        assertThat(patched.getJwksUri()).isEqualTo("https://portal.example/jwks.json");
        assertThat(patched.getRedirectUris()).containsExactly("https://portal.example/cb", "https://portal.example/cb2");
        assertThat(jeton.wiring().admin().oidc().client("portal").idTokenAlg()).isEqualTo("ES256");

        JsonNode p = refused(422, () -> clients.updateClient("portal", new ClientPatch().tokenEndpointAuthMethod("telepathy"), "*"));
        assertThat(p.at("/errors/0/field").asText()).isEqualTo("token_endpoint_auth_method");
        p = refused(422, () -> clients.updateClient("portal", new ClientPatch().jwks(Map.of("keys", List.of(Map.of("kty", "oct", "k", "c2VjcmV0")))), "*"));
        assertThat(p.at("/errors/0/field").asText()).isEqualTo("jwks");
    }

    @Test
    void patchClientWhenInvalidThen422AndNothingChangesEvenForTheValidFieldsBeside() throws Exception {
        ClientsApi clients = new ClientsApi(ops);
        clients.createClient(new NewClient().clientId("spa-app")._public(true).redirectUris(List.of("https://spa.example/cb")));
        Client before = clients.getClient("spa-app");
        // The scopes are valid, the OpenID Connect field is not: the change is one transaction, so neither is made.
        refused(422, () -> clients.updateClient("spa-app", new ClientPatch().scopes(List.of("new-scope")).idTokenSignedResponseAlg("none"), "*"));
        refused(422, () -> clients.updateClient("spa-app", new ClientPatch().grantTypes(List.of("client_credentials")), "*"));
        refused(422, () -> clients.updateClient("spa-app", new ClientPatch().grantTypes(List.of()), "*"));
        refused(422, () -> clients.updateClient("spa-app", new ClientPatch(), "*"));
        refused(422, () -> clients.updateClient("spa-app", new ClientPatch().refreshTokenTtl("forever"), "*"));
        assertThat(clients.getClient("spa-app")).isEqualTo(before);
        // "public" is not a field of a change: it cannot change (unknown fields are refused).
        HttpResponse<String> r = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(jeton.baseUrl() + "/admin/v1/clients/spa-app"))
                .header("Authorization", "Bearer " + admins.token("raw-client-admin", "jeton:admin:clients")).header("If-Match", "*")
                .header("Content-Type", "application/json").method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"public\":false}")).build());
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r.body()).at("/errors/0/field").asText()).isEqualTo("public");
    }

    @Test
    void patchUserWhenGroupsGivenThenMembershipIsReplacedAndTheGroupsFollow() throws Exception {
        UsersApi users = new UsersApi(ops);
        users.createUser(new NewUser().name("lin").password("lin-password").groups(List.of("dev")));
        ApiResponse<User> read = users.getUserWithHttpInfo("lin");
        ApiResponse<User> moved = users.updateUserWithHttpInfo("lin", new UserPatch().groups(List.of("ops", "oncall")), etag(read));
        assertThat(moved.getData().getGroups()).containsExactlyInAnyOrder("ops", "oncall");
        assertThat(etag(moved)).isNotEqualTo(etag(read));
        assertThat(new GroupsApi(ops).getGroup("oncall").getMembers()).containsExactly("lin");
        assertThat(jeton.wiring().admin().accounts().user("lin").orElseThrow().groups()).containsExactlyInAnyOrder("ops", "oncall");
        assertThat(AuditTrail.of(dir).await("event", "admin", "action", "user.set_groups", "target", "lin", "subject", "ops")
                .get("detail").asText()).isEqualTo("groups ops,oncall");

        User none = users.updateUser("lin", new UserPatch().groups(List.of()), etag(moved));
        assertThat(none.getGroups()).isEmpty();
    }

    @Test
    void patchUserWhenOneFieldIsInvalidThenNoneChangesAndNothingIsAudited() throws Exception {
        UsersApi users = new UsersApi(ops);
        users.createUser(new NewUser().name("mo").password("mo-password-1").groups(List.of("dev")));
        String tag = etag(users.getUserWithHttpInfo("mo"));
        // The password is valid and is set first; the empty group name is refused after it: the transaction undoes both.
        JsonNode p = refused(422, () -> users.updateUser("mo", new UserPatch().password("mo-password-2").groups(List.of("ok", " ")), tag));
        assertThat(p.at("/errors/0/field").asText()).isEqualTo("groups");
        // The tag covers the password's hash and the groups: unchanged, so neither was made.
        assertThat(etag(users.getUserWithHttpInfo("mo"))).isEqualTo(tag);
        assertThat(jeton.wiring().admin().accounts().user("mo").orElseThrow().groups()).containsExactly("dev");
        // A later change's line is in the log: had the undone one been recorded, it would be there before it.
        users.updateUser("mo", new UserPatch().disabled(true), tag);
        AuditTrail.of(dir).await("event", "admin", "action", "user.disable", "target", "mo");
        assertThat(AuditTrail.of(dir).lines().stream().filter(l -> AuditTrail.has(l, "action", "user.passwd", "target", "mo"))).isEmpty();
        assertThat(AuditTrail.of(dir).lines().stream().filter(l -> AuditTrail.has(l, "action", "user.set_groups", "target", "mo"))).isEmpty();
    }
}
