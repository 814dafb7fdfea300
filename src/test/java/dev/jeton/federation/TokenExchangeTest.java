package dev.jeton.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.client.oauth2.ApiClient;
import dev.jeton.client.oauth2.api.OAuth2Api;
import dev.jeton.client.oauth2.model.OAuth2TokenResponse;
import dev.jeton.config.Setting;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.InProcessCli;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import dev.jeton.support.WorkloadIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workload identity federation through RFC 8693 at /oidc/token: a test OIDC issuer over HTTP
 * signs Kubernetes- and GitHub-shaped tokens, trust policies made with the real CLI map them to
 * Jeton principals, and every refusal the policies promise comes back as RFC 8693 says with its
 * reason in the audit log.
 */
class TokenExchangeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";

    @TempDir
    static Path dir;
    static MutableClock clock = MutableClock.startingNow();
    static WorkloadIssuer cluster;
    static WorkloadIssuer github;
    static Jetons.Running jeton;
    static String ciSecret;

    @BeforeAll
    static void start() throws Exception {
        cluster = WorkloadIssuer.start(clock);
        github = WorkloadIssuer.start(clock);
        // Policies are added by the CLI, another process in effect: the server rereads them at every request.
        jeton = Jetons.start(dir, clock, Map.of(Setting.RECHECK_INTERVAL, "0s"));
        jeton.wiring().admin().identities().add("builder", null, null, null);
        ciSecret = jeton.wiring().admin().accounts().addClient(new ClientSpec("ci", Set.of(GrantType.CLIENT_CREDENTIALS), Set.of("deploy", "read"),
                List.of("https://deploy.example"), List.of(), null, null, RefreshPolicy.ROTATING, false)).secret().value();
        jeton.wiring().admin().accounts().addUser("alice", new Secret("alice-password"), List.of("devs"));
        cli("trust", "add", "k8s-builder", "--issuer", cluster.issuer(), "--audience", "jeton", "--subject",
                "system:serviceaccount:ci:builder", "--claim", "/kubernetes.io/namespace=ci", "--as", "identity:builder",
                "--jwks-file", cluster.writeJwks(dir.resolve("cluster-jwks.json")).toString());
        cli("trust", "add", "gh-deploy", "--issuer", github.issuer(), "--audience", "https://github.com/acme", "--subject",
                "repo:acme/*:ref:refs/heads/main", "--claim", "repository_owner=acme", "--as", "app:ci", "--max-ttl", "10m");
        cli("trust", "add", "k8s-devs", "--issuer", cluster.issuer(), "--audience", "jeton", "--subject",
                "system:serviceaccount:dev:*", "--as", "group:devs", "--jwks-file", dir.resolve("cluster-jwks.json").toString());
        cli("trust", "add", "k8s-alice", "--issuer", cluster.issuer(), "--audience", "jeton", "--subject",
                "system:serviceaccount:alice:shell", "--as", "user:alice", "--jwks-file", dir.resolve("cluster-jwks.json").toString());
    }

    @AfterAll
    static void stop() {
        jeton.close();
        cluster.close();
        github.close();
    }

    private static InProcessCli.Result cli(String... args) {
        String[] withDir = Stream.concat(Stream.of(args), Stream.of("--data-dir", dir.toString())).toArray(String[]::new);
        InProcessCli.Result result = InProcessCli.run("", withDir);
        assertThat(result.code()).as(result.err()).isZero();
        return result;
    }

    private static HttpResponse<String> exchange(String subjectToken, String extra, String authorization) {
        return Http.postForm(jeton.wiring().baseUrl() + "/oidc/token", "grant_type=" + enc(EXCHANGE) + "&subject_token="
                + enc(subjectToken) + "&subject_token_type=" + enc(JWT_TYPE) + extra, authorization);
    }

    /** Run:ai's token API with its built-in client, as the Run:ai SDK sends an external token exchange. */
    private static HttpResponse<String> runaiExternalTokenExchange(String externalToken) {
        return Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(jeton.wiring().baseUrl() + "/api/v1/token"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"grantType\":\"external_token_exchange\",\"externalToken\":\""
                        + externalToken + "\"}")).build());
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Test
    void exchangeWhenKubernetesTokenMatchesIdentityPolicyThenManagedIdentityTokenWithoutAnySecret() throws Exception {
        HttpResponse<String> res = exchange(cluster.sign(cluster.kubernetes("ci", "builder", "jeton")), "&audience=https://vault.azure.net", null);

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("issued_token_type").asText()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        JsonNode token = claims(body.get("access_token").asText());
        assertThat(token.get("aud").asText()).isEqualTo("https://vault.azure.net");
        assertThat(token.get("xms_mirid").asText()).endsWith("/userAssignedIdentities/builder");
        assertThat(token.get("appid").asText()).isEqualTo(jeton.wiring().admin().identities().list().getFirst().clientId());
        assertThat(body.get("expires_in").asLong()).isBetween(1L, 3600L);
        AuditTrail.of(dir).await("event", "issued", "grant", "token_exchange");
    }

    @Test
    void exchangeWhenCalledThroughTheGeneratedClientThenIssuedTokenTypeIsAccessToken() throws Exception {
        ApiClient client = new ApiClient();
        client.updateBaseUri(jeton.wiring().baseUrl());
        OAuth2TokenResponse res = new OAuth2Api(client).token(EXCHANGE, null, null, "https://vault.azure.net", null, null, null, null, null,
                cluster.sign(cluster.kubernetes("ci", "builder", "jeton")), JWT_TYPE, null);

        assertThat(res.getIssuedTokenType()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(res.getTokenType()).isEqualTo("Bearer");
        assertThat(claims(res.getAccessToken()).get("aud").asText()).isEqualTo("https://vault.azure.net");
    }

    @Test
    void trustCommandsWhenAskedForJsonThenPoliciesAsAddedAndRefusalsInWords() throws Exception {
        JsonNode shown = cli("trust", "show", "gh-deploy", "--json").json();
        assertThat(shown.get("subject").asText()).isEqualTo("repo:acme/*:ref:refs/heads/main");
        assertThat(shown.get("claims").get("repository_owner").asText()).isEqualTo("acme");
        assertThat(shown.get("as").asText()).isEqualTo("app:ci");
        assertThat(shown.get("max_ttl").asText()).isEqualTo("10m");
        assertThat(cli("trust", "list", "--json").json().findValuesAsText("name")).contains("k8s-builder", "gh-deploy", "k8s-devs");
        cli("trust", "add", "short-lived", "--issuer", github.issuer(), "--audience", "x", "--subject", "repo:acme/x:*", "--as", "group:devs");
        assertThat(cli("trust", "remove", "short-lived", "--json").json().get("removed").asText()).isEqualTo("short-lived");

        InProcessCli.Result noSuchApp = InProcessCli.run("", "trust", "add", "bad", "--issuer", github.issuer(), "--audience", "x",
                "--subject", "s", "--as", "app:missing", "--data-dir", dir.toString());
        assertThat(noSuchApp.code()).isNotZero();
        assertThat(noSuchApp.err()).contains("no such app");
        InProcessCli.Result badKind = InProcessCli.run("", "trust", "add", "bad", "--issuer", github.issuer(), "--audience", "x",
                "--subject", "s", "--as", "team:x", "--data-dir", dir.toString());
        assertThat(badKind.err()).contains("expected identity, app, user, group or node");
    }

    @Test
    void runaiExternalTokenExchangeWhenWorkloadTokenMatchesUserPolicyThenRunaiTokensOfThatUser() throws Exception {
        HttpResponse<String> res = runaiExternalTokenExchange(cluster.sign(cluster.kubernetes("alice", "shell", "jeton")));

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(res.body());
        assertThat(claims(body.get("accessToken").asText()).get("preferred_username").asText()).isEqualTo("alice");
        assertThat(body.get("idToken").asText()).isNotBlank();
    }

    @Test
    void runaiExternalTokenExchangeWhenPolicyHasMaxTtlThenAccessTokenCappedAndNoRefreshToken() throws Exception {
        HttpResponse<String> res = runaiExternalTokenExchange(github.sign(github.github("acme/web", "refs/heads/main", "https://github.com/acme")));

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(res.body());
        JsonNode token = claims(body.get("accessToken").asText());
        assertThat(token.get("exp").asLong() - token.get("iat").asLong()).isLessThanOrEqualTo(600);
        assertThat(body.path("refreshToken").asText("")).isEmpty();
    }

    @Test
    void runaiExternalTokenExchangeWhenWorkloadTokenMatchesNoPolicyThenRunaiErrorAndAuditReason() throws Exception {
        HttpResponse<String> res = runaiExternalTokenExchange(cluster.sign(cluster.kubernetes("nobody", "shell", "jeton")));

        assertThat(res.statusCode()).isBetween(400, 401);
        assertThat(JSON.readTree(res.body()).get("code").asInt()).isEqualTo(res.statusCode());
        AuditTrail.of(dir).await("event", "refused", "dialect", "runai", "reason", "policy.no_match");
    }

    @Test
    void exchangeWhenGithubTokenMatchesGlobPolicyThenAppTokenCappedByMaxTtl() throws Exception {
        HttpResponse<String> res = exchange(github.sign(github.github("acme/web", "refs/heads/main", "https://github.com/acme")),
                "&audience=https://deploy.example&scope=deploy", null);

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(res.body());
        JsonNode token = claims(body.get("access_token").asText());
        assertThat(token.get("sub").asText()).isEqualTo("ci");
        assertThat(token.get("aud").asText()).isEqualTo("https://deploy.example");
        assertThat(body.get("scope").asText()).isEqualTo("deploy");
        assertThat(body.get("expires_in").asLong()).isLessThanOrEqualTo(600);
    }

    @Test
    void exchangeWhenGroupPolicyMatchesThenTheWorkloadIsTheSubject() throws Exception {
        HttpResponse<String> res = exchange(cluster.sign(cluster.kubernetes("dev", "tester", "jeton")), "", null);

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode token = claims(JSON.readTree(res.body()).get("access_token").asText());
        assertThat(token.get("sub").asText()).isEqualTo("system:serviceaccount:dev:tester");
    }

    @Test
    void exchangeWhenUserPolicyMatchesThenTokenOfThatUser() throws Exception {
        HttpResponse<String> res = exchange(cluster.sign(cluster.kubernetes("alice", "shell", "jeton")), "", null);

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(claims(JSON.readTree(res.body()).get("access_token").asText()).get("preferred_username").asText()).isEqualTo("alice");
    }

    @Test
    void exchangeWhenAuthenticatedClientAsksOutsideItsScopesThenInvalidScope() throws Exception {
        HttpResponse<String> res = exchange(github.sign(github.github("acme/web", "refs/heads/main", "https://github.com/acme")),
                "&scope=admin", Http.basic("ci", ciSecret));

        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(res.body()).get("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void exchangeWhenJetonsOwnTokenWithoutClientThenInvalidClient() throws Exception {
        String own = JSON.readTree(Http.postForm(jeton.wiring().baseUrl() + "/oidc/token", "grant_type=client_credentials",
                Http.basic("ci", ciSecret)).body()).get("access_token").asText();

        HttpResponse<String> res = exchange(own, "", null);

        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(res.body()).get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void exchangeWhenJetonsOwnTokenByItsClientThenNewTokenForThatClient() throws Exception {
        String own = JSON.readTree(Http.postForm(jeton.wiring().baseUrl() + "/oidc/token", "grant_type=client_credentials&audience=https://deploy.example",
                Http.basic("ci", ciSecret)).body()).get("access_token").asText();

        HttpResponse<String> res = exchange(own, "&scope=read", Http.basic("ci", ciSecret));

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(JSON.readTree(res.body()).get("scope").asText()).isEqualTo("read");
    }

    @Test
    void exchangeWhenIssuerRotatedItsKeyThenJetonRefetchesTheJwksOnceAndAccepts() throws Exception {
        try (WorkloadIssuer rotating = WorkloadIssuer.start(clock)) {
            cli("trust", "add", "rotating", "--issuer", rotating.issuer(), "--audience", "jeton", "--subject", "system:serviceaccount:r:*",
                    "--as", "group:devs");
            assertThat(exchange(rotating.sign(rotating.kubernetes("r", "a", "jeton")), "", null).statusCode()).isEqualTo(200);
            rotating.rotateKey();
            clock.advance(Duration.ofSeconds(10));
            assertThat(exchange(rotating.sign(rotating.kubernetes("r", "a", "jeton")), "", null).statusCode()).isEqualTo(200);
            int fetches = rotating.jwksFetches();
            // Unknown key ids, however many, cost at most one fetch per refetch interval.
            for (int i = 0; i < 5; i++) exchange(rotating.signWithForeignKey(rotating.kubernetes("r", "a", "jeton")), "", null);
            assertThat(rotating.jwksFetches()).isLessThanOrEqualTo(fetches + 1);
            // An issuer that is down does not take the keys Jeton already holds with it.
            rotating.down();
            clock.advance(Duration.ofSeconds(10));
            assertThat(exchange(rotating.sign(rotating.kubernetes("r", "a", "jeton")), "", null).statusCode()).isEqualTo(200);
        } finally {
            cli("trust", "remove", "rotating");
        }
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                row("unknown issuer", () -> foreignIssuerToken(), "invalid_request", "issuer.unknown"),
                row("alg none", () -> new PlainJWT(cluster.kubernetes("ci", "builder", "jeton").build()).serialize(), "invalid_request",
                        "token.alg_none"),
                row("HMAC keyed with the public JWKS", () -> hmac(cluster.kubernetes("ci", "builder", "jeton")), "invalid_request",
                        "token.alg_hmac"),
                row("signature by a key the issuer never published", () -> cluster.signWithForeignKey(cluster.kubernetes("ci", "builder",
                        "jeton")), "invalid_request", "token.signature"),
                row("expired", () -> cluster.sign(cluster.kubernetes("ci", "builder", "jeton")
                        .expirationTime(Date.from(clock.instant().minusSeconds(120)))), "invalid_request", "token.expired"),
                row("not yet valid", () -> cluster.sign(cluster.kubernetes("ci", "builder", "jeton")
                        .notBeforeTime(Date.from(clock.instant().plusSeconds(600)))), "invalid_request", "token.not_yet_valid"),
                row("wrong audience", () -> cluster.sign(cluster.kubernetes("ci", "builder", "someone-else")), "invalid_request",
                        "audience.mismatch"),
                row("missing sub", () -> cluster.sign(cluster.kubernetes("ci", "builder", "jeton").subject(null)), "invalid_request",
                        "token.no_subject"),
                row("no matching policy (subject)", () -> cluster.sign(cluster.kubernetes("prod", "builder", "jeton")), "invalid_request",
                        "policy.no_match"),
                row("no matching policy (claim)", () -> cluster.sign(cluster.kubernetes("ci", "builder", "jeton")
                        .claim("kubernetes.io", Map.of("namespace", "prod"))), "invalid_request", "policy.no_match"),
                row("older than the policy allows", () -> cluster.sign(cluster.kubernetes("ci", "builder", "jeton")
                        .issueTime(Date.from(clock.instant().minus(Duration.ofHours(3))))
                        .notBeforeTime(Date.from(clock.instant().minus(Duration.ofHours(3))))), "invalid_request", "token.too_old"),
                row("not a JWT", () -> "not-a-jwt", "invalid_request", "token.malformed"));
    }

    private static Arguments row(String name, java.util.function.Supplier<String> token, String error, String reason) {
        return Arguments.of(name, token, error, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void exchangeWhenTokenIsRefusedThenRfc8693ErrorAndAuditReason(String name, java.util.function.Supplier<String> token, String error,
                                                                 String reason) throws Exception {
        String presented = token.get();
        HttpResponse<String> res = exchange(presented, "", null);

        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_description").asText()).isNotBlank();
        assertThat(res.body()).doesNotContain(presented.length() > 20 ? presented.substring(presented.length() - 20) : "\u0000");
        AuditTrail.of(dir).await("event", "refused", "grant", "token_exchange", "reason", reason);
    }

    @Test
    void exchangeWhenSubjectTokenTypeIsUnknownThenInvalidRequestNamingTheTypes() throws Exception {
        HttpResponse<String> res = Http.postForm(jeton.wiring().baseUrl() + "/oidc/token", "grant_type=" + enc(EXCHANGE)
                + "&subject_token=x.y.z&subject_token_type=urn:ietf:params:oauth:token-type:saml2", null);

        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(res.body()).get("error_description").asText()).contains("token-type:jwt");
    }

    @Test
    void discoveryWhenReadThenAdvertisesTokenExchange() throws Exception {
        JsonNode discovery = JSON.readTree(Http.get(jeton.wiring().baseUrl() + "/.well-known/openid-configuration", null).body());
        assertThat(discovery.get("grant_types_supported").toString()).contains(EXCHANGE);
    }

    private static String foreignIssuerToken() {
        try (WorkloadIssuer stranger = WorkloadIssuer.start(clock)) {
            return stranger.sign(stranger.kubernetes("ci", "builder", "jeton"));
        }
    }

    private static String hmac(JWTClaimsSet.Builder claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(cluster.jwks().repeat(2).getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
