package dev.jeton.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.client.admin.ApiClient;
import dev.jeton.client.admin.ApiException;
import dev.jeton.client.admin.ApiResponse;
import dev.jeton.client.admin.api.ApiKeysApi;
import dev.jeton.client.admin.api.AuditApi;
import dev.jeton.client.admin.api.ClientsApi;
import dev.jeton.client.admin.api.GroupsApi;
import dev.jeton.client.admin.api.IdentitiesApi;
import dev.jeton.client.admin.api.RulesApi;
import dev.jeton.client.admin.api.SigningKeysApi;
import dev.jeton.client.admin.api.TokensApi;
import dev.jeton.client.admin.api.TrustPoliciesApi;
import dev.jeton.client.admin.api.UsersApi;
import dev.jeton.client.admin.model.ApiKey;
import dev.jeton.client.admin.model.AuditEvent;
import dev.jeton.client.admin.model.Client;
import dev.jeton.client.admin.model.ClientList;
import dev.jeton.client.admin.model.CreatedApiKey;
import dev.jeton.client.admin.model.CreatedClient;
import dev.jeton.client.admin.model.CreatedUser;
import dev.jeton.client.admin.model.Group;
import dev.jeton.client.admin.model.Identity;
import dev.jeton.client.admin.model.NewApiKey;
import dev.jeton.client.admin.model.NewClient;
import dev.jeton.client.admin.model.NewIdentity;
import dev.jeton.client.admin.model.NewRule;
import dev.jeton.client.admin.model.NewTrustPolicy;
import dev.jeton.client.admin.model.NewUser;
import dev.jeton.client.admin.model.RevokeToken;
import dev.jeton.client.admin.model.Revoked;
import dev.jeton.client.admin.model.RotateKeys;
import dev.jeton.client.admin.model.RotateSecret;
import dev.jeton.client.admin.model.RotatedSecret;
import dev.jeton.client.admin.model.Rule;
import dev.jeton.client.admin.model.SigningKey;
import dev.jeton.client.admin.model.TrustPolicy;
import dev.jeton.client.admin.model.User;
import dev.jeton.client.admin.model.UserList;
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
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static dev.jeton.support.AdminClients.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every kind of the admin API through the Java client generated from /openapi/admin.yaml, over real HTTP, each change audited with its actor. */
class AdminApiTest {
    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static AdminClients admins;
    static volatile ApiClient ops;
    static String opsSecret;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        admins = new AdminClients(jeton);
        opsSecret = admins.register("ops", "jeton:admin");
        ops = admins.client(admins.tokenOf("ops", opsSecret, "jeton:admin"));
    }

    @AfterAll
    static void stop() { jeton.close(); }

    static String etag(ApiResponse<?> response) {
        return response.getHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("etag")).findFirst()
                .orElseThrow(() -> new AssertionError("no ETag in " + response.getHeaders())).getValue().getFirst();
    }

    private static JsonNode audited(String action, String target) {
        return AuditTrail.of(dir).await("event", "admin", "action", action, "target", target, "subject", "ops", "dialect", "admin");
    }

    @Test
    void clientsWhenCreatedReadRotatedAndDeletedThenEachStepAnswersAndIsAuditedWithTheCaller() throws Exception {
        ClientsApi clients = new ClientsApi(ops);
        ApiResponse<CreatedClient> created = clients.createClientWithHttpInfo(new NewClient().clientId("billing")
                .grantTypes(List.of("client_credentials")).scopes(List.of("invoices:read")).accessTokenTtl("5m"));
        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(created.getHeaders().get("location")).containsExactly("/admin/v1/clients/billing");
        CreatedClient c = created.getData();
        assertThat(c.getClientId()).isEqualTo("billing");
        assertThat(c.getGrantTypes()).containsExactly("client_credentials");
        assertThat(c.getAccessTokenTtl()).isEqualTo("5m");
        assertThat(c.getClientSecret()).isNotBlank();
        assertThat(admins.tokenOf("billing", c.getClientSecret(), "invoices:read")).isNotBlank();
        audited("client.add", "billing");

        ApiResponse<Client> read = clients.getClientWithHttpInfo("billing");
        assertThat(etag(read)).isEqualTo(etag(created));
        assertThat(read.getData().getScopes()).containsExactly("invoices:read");
        assertThat(read.getData().getPublic()).isFalse();

        ApiResponse<RotatedSecret> rotated = clients.rotateClientSecretWithHttpInfo("billing", etag(read), new RotateSecret().overlap("10m"));
        assertThat(rotated.getData().getClientSecret()).isNotEqualTo(c.getClientSecret());
        assertThat(rotated.getData().getPreviousSecretExpiresAt()).isNotNull();
        assertThat(etag(rotated)).isNotEqualTo(etag(read));
        assertThat(clients.getClient("billing").getPreviousSecretExpiresAt()).isEqualTo(rotated.getData().getPreviousSecretExpiresAt());
        assertThat(audited("client.rotate_secret", "billing").get("detail").asText()).startsWith("old secret works until ");

        clients.deleteClient("billing", etag(rotated));
        assertThatThrownBy(() -> clients.getClient("billing")).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
        audited("client.delete", "billing");
    }

    @Test
    void listWhenMoreThanALimitThenPagesFollowTheNextCursorUntilTheLast() throws Exception {
        UsersApi users = new UsersApi(ops);
        for (String name : List.of("page-a", "page-b", "page-c", "page-d", "page-e")) {
            users.createUser(new NewUser().name(name).password("correct-horse-" + name));
        }
        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            UserList page = users.listUsers(2, cursor);
            assertThat(page.getItems()).hasSizeLessThanOrEqualTo(2);
            page.getItems().forEach(u -> seen.add(u.getName()));
            cursor = page.getNext() == null ? null : page.getNext().replaceAll(".*[?&]cursor=([^&]*).*", "$1");
            pages++;
        } while (cursor != null);
        assertThat(seen).containsSubsequence("page-a", "page-b", "page-c", "page-d", "page-e").doesNotHaveDuplicates();
        assertThat(seen).containsAll(jeton.wiring().admin().accounts().users().stream().map(dev.jeton.model.User::name).toList());
        assertThat(pages).isGreaterThanOrEqualTo(3);

        HttpResponse<String> raw = Http.get(jeton.baseUrl() + "/admin/v1/users?limit=1", "Bearer " + admins.token("pager", "jeton:admin:read"));
        assertThat(raw.headers().firstValue("Link")).hasValueSatisfying(link -> assertThat(link).matches("</admin/v1/users\\?limit=1&cursor=[^>]+>; rel=\"next\""));
    }

    @Test
    void usersWhenCreatedAndPatchedThenGeneratedPasswordOnceAndDisableIsAudited() throws Exception {
        UsersApi users = new UsersApi(ops);
        CreatedUser ada = users.createUser(new NewUser().name("ada").groups(List.of("team-a")));
        assertThat(ada.getPassword()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(ada.getGroups()).containsExactly("team-a");
        ApiResponse<User> read = users.getUserWithHttpInfo("ada");
        assertThat(read.getData().getDisabled()).isFalse();
        User disabled = users.updateUser("ada", new UserPatch().disabled(true), etag(read));
        assertThat(disabled.getDisabled()).isTrue();
        assertThat(jeton.wiring().admin().accounts().user("ada").orElseThrow().disabled()).isTrue();
        audited("user.disable", "ada");
    }

    @Test
    void groupsWhenUsersAndRulesNameThemThenListedWithMembersAndRules() throws Exception {
        new UsersApi(ops).createUser(new NewUser().name("grace").password("grace-password").groups(List.of("builders")));
        Rule rule = new RulesApi(ops).createRule(new NewRule().subject("group:builders").repository("builders/*").actions(List.of("pull", "push")));
        Group builders = new GroupsApi(ops).getGroup("builders");
        assertThat(builders.getMembers()).containsExactly("grace");
        assertThat(builders.getRules()).containsExactly(rule.getId());
        assertThat(new GroupsApi(ops).listGroups(null, null).getItems()).extracting(Group::getName).contains("builders");
    }

    @Test
    void apiKeysWhenCreatedThenTheKeyWorksOnceShownAndRevokingStopsIt() throws Exception {
        new UsersApi(ops).createUser(new NewUser().name("keyholder").password("keyholder-password"));
        ApiKeysApi keys = new ApiKeysApi(ops);
        CreatedApiKey created = keys.createApiKey(new NewApiKey().user("keyholder").name("ci").scopes(List.of("jobs:read")).expiresIn("30d"));
        assertThat(created.getKey()).startsWith("sk-occam-");
        assertThat(Http.get(jeton.baseUrl() + "/auth/access-token?key=" + created.getKey(), null).statusCode()).isEqualTo(200);
        ApiResponse<ApiKey> read = keys.getApiKeyWithHttpInfo(created.getId());
        assertThat(read.getData().getUser()).isEqualTo("keyholder");
        assertThat(read.getData().getExpiresAt()).isNotNull();
        assertThat(keys.listApiKeys("keyholder", null, null).getItems()).extracting(ApiKey::getId).containsExactly(created.getId());
        keys.deleteApiKey(created.getId(), etag(read));
        assertThat(keys.getApiKey(created.getId()).getRevokedAt()).isNotNull();
        assertThat(Http.get(jeton.baseUrl() + "/auth/access-token?key=" + created.getKey(), null).statusCode()).isNotEqualTo(200);
        audited("apikey.revoke", created.getId());
    }

    @Test
    void identitiesWhenAssignedAndUnassignedThenTheNodeListFollowsAndEachTagMoves() throws Exception {
        IdentitiesApi identities = new IdentitiesApi(ops);
        Identity made = identities.createIdentity(new NewIdentity().name("builder"));
        assertThat(made.getNodes()).isEmpty();
        ApiResponse<Identity> read = identities.getIdentityWithHttpInfo("builder");
        ApiResponse<Identity> assigned = identities.assignIdentityWithHttpInfo("builder", "node-1", etag(read));
        assertThat(assigned.getData().getNodes()).containsExactly("node-1");
        audited("identity.assign", "builder");
        Identity unassigned = identities.unassignIdentity("builder", "node-1", etag(assigned));
        assertThat(unassigned.getNodes()).isEmpty();
        ApiResponse<Identity> again = identities.getIdentityWithHttpInfo("builder");
        identities.deleteIdentity("builder", etag(again));
        assertThatThrownBy(() -> identities.getIdentity("builder")).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void trustPoliciesWhenAddedThenShownAndRemoved() throws Exception {
        new IdentitiesApi(ops).createIdentity(new NewIdentity().name("deployer"));
        TrustPoliciesApi trust = new TrustPoliciesApi(ops);
        TrustPolicy policy = trust.createTrustPolicy(new NewTrustPolicy().name("gha-deploy").issuer("https://token.actions.githubusercontent.com")
                .audience("jeton").subject("repo:acme/app:*").claims(Map.of("ref", "refs/heads/main")).as("identity:deployer").maxTtl("15m"));
        assertThat(policy.getAs()).isEqualTo("identity:deployer");
        assertThat(policy.getClaims()).containsEntry("ref", "refs/heads/main");
        ApiResponse<TrustPolicy> read = trust.getTrustPolicyWithHttpInfo("gha-deploy");
        assertThat(read.getData().getMaxTtl()).isEqualTo("15m");
        trust.deleteTrustPolicy("gha-deploy", etag(read));
        assertThat(trust.listTrustPolicies(null, null).getItems()).extracting(TrustPolicy::getName).doesNotContain("gha-deploy");
        audited("trust.remove", "gha-deploy");
    }

    @Test
    void rulesWhenAddedThenTheRegistryGrantsThemAndDeletingRemovesThem() throws Exception {
        RulesApi rules = new RulesApi(ops);
        Rule rule = rules.createRule(new NewRule().subject("app:ops").repository("ops/*").actions(List.of("pull")));
        assertThat(jeton.wiring().admin().rules().list()).extracting(dev.jeton.model.AccessRule::id).contains(rule.getId());
        ApiResponse<Rule> read = rules.getRuleWithHttpInfo(rule.getId());
        rules.deleteRule(rule.getId(), etag(read));
        assertThat(jeton.wiring().admin().rules().list()).extracting(dev.jeton.model.AccessRule::id).doesNotContain(rule.getId());
        audited("rule.delete", rule.getId());
    }

    @Test
    void signingKeysWhenRotatedThenTheNextSignsAndARetiringKeyCanBeRetired() throws Exception {
        SigningKeysApi keys = new SigningKeysApi(ops);
        String before = keys.listSigningKeys(null, null).getItems().stream().filter(k -> k.getState().equals("active")).findFirst().orElseThrow().getKid();
        String active = keys.rotateSigningKeys(new RotateKeys()).getActiveKid();
        assertThat(active).isNotEqualTo(before);
        // Retiring the old key ends the tokens it signed, this test's own among them: the other tests go on with a new one.
        ops = admins.client(admins.tokenOf("ops", opsSecret, "jeton:admin"));
        SigningKeysApi fresh = new SigningKeysApi(ops);
        ApiResponse<SigningKey> retiring = fresh.getSigningKeyWithHttpInfo(before);
        assertThat(retiring.getData().getState()).isEqualTo("retiring");
        assertThat(fresh.retireSigningKey(before, etag(retiring)).getState()).isEqualTo("retired");
        assertThat(Http.get(jeton.baseUrl() + "/oidc/jwks", null).body()).doesNotContain(before).contains(active);
        ApiResponse<SigningKey> signing = fresh.getSigningKeyWithHttpInfo(active);
        assertThatThrownBy(() -> fresh.retireSigningKey(active, etag(signing))).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(AdminClients.problem(e).get("type").asText()).isEqualTo("urn:jeton:problem:conflict"));
        audited("key.retire", before);
    }

    @Test
    void tokensWhenAnAccessTokenIsRevokedThenIntrospectionCallsItInactive() throws Exception {
        String victim = admins.token("victim-app", "things:read");
        Revoked revoked = new TokensApi(ops).revokeToken(new RevokeToken().token(victim));
        assertThat(revoked.getKind()).isEqualTo("access_token");
        HttpResponse<String> introspected = Http.get(jeton.baseUrl() + "/oidc/userinfo", "Bearer " + victim);
        assertThat(introspected.statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> new TokensApi(ops).revokeRefreshFamily("no-such-family"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
        JsonNode line = AuditTrail.of(dir).await("event", "revoked", "dialect", "admin");
        assertThat(line.toString()).doesNotContain(victim);
    }

    @Test
    void auditWhenSearchedBySubjectReasonAndTimeThenOnlyMatchingEventsNewestFirst() throws Exception {
        new ClientsApi(ops).createClient(new NewClient().clientId("audited-app"));
        AuditTrail.of(dir).await("action", "client.add", "target", "audited-app");
        assertThat(Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=client_credentials", Http.basic("audited-app", "wrong")).statusCode())
                .isEqualTo(401);
        AuditTrail.of(dir).await("event", "refused", "reason", "client.secret_mismatch");
        AuditApi audit = new AuditApi(ops);

        List<AuditEvent> byOps = audit.searchAudit("ops", "admin", null, null, null, null, null, 500, null).getItems();
        assertThat(byOps).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getSubject()).isEqualTo("ops");
            assertThat(e.getEvent()).isEqualTo("admin");
        });
        assertThat(byOps).extracting(AuditEvent::getTime).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        List<AuditEvent> refused = audit.searchAudit(null, null, "client", "audited-app", null, null, null, null, null).getItems();
        assertThat(refused).extracting(AuditEvent::getReason).containsOnly("client.secret_mismatch");

        OffsetDateTime future = OffsetDateTime.now().plusDays(1);
        assertThat(audit.searchAudit(null, null, null, null, null, future, null, null, null).getItems()).isEmpty();
        assertThat(audit.searchAudit("ops", null, null, null, null, null, future, 1, null).getNext()).isNotNull();
    }

    @Test
    void openApiWhenServedThenTheAdminDocumentIsApartFromTheCombinedOne() {
        HttpResponse<String> admin = Http.get(jeton.baseUrl() + "/openapi/admin.yaml", null);
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("/admin/v1/clients/{client_id}/secret:");
        assertThat(Http.get(jeton.baseUrl() + "/openapi.yaml", null).body()).doesNotContain("/admin/v1");
    }

    @Test
    void listClientsWhenReadScopeOfTheKindOnlyThenReadsButCannotChange() throws Exception {
        ApiClient reader = admins.client(admins.token("client-reader", "jeton:admin:clients:read"));
        ClientList all = new ClientsApi(reader).listClients(null, null);
        assertThat(all.getItems()).extracting(Client::getClientId).contains("ops");
        assertThatThrownBy(() -> new ClientsApi(reader).createClient(new NewClient().clientId("nope")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getResponseHeaders().firstValue("WWW-Authenticate")).hasValue(
                            "Bearer realm=\"jeton-admin\", error=\"insufficient_scope\", scope=\"jeton:admin:clients\"");
                });
        assertThat(json(Http.get(jeton.baseUrl() + "/admin/v1/users", "Bearer " + admins.token("other-reader", "jeton:admin:clients:read")).body())
                .get("type").asText()).isEqualTo("urn:jeton:problem:insufficient-scope");
    }
}
