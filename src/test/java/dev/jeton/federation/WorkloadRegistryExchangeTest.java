package dev.jeton.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.PlainJWT;
import dev.jeton.config.Setting;
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
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kubernetes service-account tokens at the registry's {@code /oauth2/exchange}, as ACR's
 * credential helpers and Jeton's kubelet provider use it: the token becomes a registry refresh
 * token, and docker-style logins with it (the zero GUID as user name at {@code /oauth2/token})
 * get what the access rules give the principal a trust policy maps it to. A group-mapped
 * workload is re-resolved through its policy at every login, so removing the policy ends its
 * access at once.
 */
class WorkloadRegistryExchangeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZERO_GUID = "00000000-0000-0000-0000-000000000000";
    private static final String SERVICE = "registry.example";
    private static final String AUDIENCE = "jeton-registry";

    @TempDir
    static Path dir;
    static MutableClock clock = MutableClock.startingNow();
    static WorkloadIssuer cluster;
    static Jetons.Running jeton;
    static String jwks;

    @BeforeAll
    static void start() {
        cluster = WorkloadIssuer.start(clock);
        // Policies and rules come from the CLI, in effect another process: the server rereads them at every request.
        jeton = Jetons.start(dir, clock, Map.of(Setting.RECHECK_INTERVAL, "0s"));
        jwks = cluster.writeJwks(dir.resolve("cluster-jwks.json")).toString();
        cli("trust", "add", "k8s-batch", "--issuer", cluster.issuer(), "--audience", AUDIENCE, "--subject", "system:serviceaccount:batch:*",
                "--claim", "/kubernetes.io/namespace=batch", "--as", "group:batch-jobs", "--max-ttl", "30m", "--jwks-file", jwks);
        cli("rule", "add", "--subject", "group:batch-jobs", "--repo", "batch/*", "--actions", "pull,push");
        cli("rule", "add", "--subject", "group:batch-jobs", "--repo", "shared/*", "--actions", "pull");
        cli("identity", "add", "builder");
        cli("rule", "add", "--subject", "identity:builder", "--repo", "ci/*", "--actions", "pull");
    }

    @AfterAll
    static void stop() {
        jeton.close();
        cluster.close();
    }

    private static InProcessCli.Result cli(String... args) {
        String[] withDir = Stream.concat(Stream.of(args), Stream.of("--data-dir", dir.toString())).toArray(String[]::new);
        InProcessCli.Result result = InProcessCli.run("", withDir);
        assertThat(result.code()).as(result.err()).isZero();
        return result;
    }

    private static HttpResponse<String> exchange(String serviceAccountToken) {
        return Http.postForm(jeton.baseUrl() + "/oauth2/exchange", "grant_type=access_token&service=" + SERVICE + "&access_token="
                + enc(serviceAccountToken), null);
    }

    /** What docker login / containerd do with an ACR refresh token: Basic with the zero GUID at GET /oauth2/token. */
    private static HttpResponse<String> login(String refreshToken, String... scopes) {
        StringBuilder query = new StringBuilder("?service=" + SERVICE);
        for (String scope : scopes) query.append("&scope=").append(enc(scope));
        return Http.get(jeton.baseUrl() + "/oauth2/token" + query, Http.basic(ZERO_GUID, refreshToken));
    }

    private static String refreshTokenOf(HttpResponse<String> exchanged) throws Exception {
        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(exchanged.body());
        assertThat(body.size()).as("ACR's answer holds the refresh token only: %s", body).isEqualTo(1);
        return body.get("refresh_token").asText();
    }

    private static JsonNode payload(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static void assertUnauthorized(HttpResponse<String> res, String message) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(401);
        assertThat(JSON.readTree(res.body())).isEqualTo(JSON.readTree("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":"
                + JSON.writeValueAsString(message) + "}]}"));
        assertThat(res.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"" + jeton.baseUrl() + "/oauth2/token\"");
    }

    @Test
    void exchangeWhenGroupMappedWorkloadThenRefreshTokenWhoseLoginsGetTheGroupsRules() throws Exception {
        String refresh = refreshTokenOf(exchange(cluster.sign(cluster.kubernetes("batch", "etl", AUDIENCE))));
        JsonNode refreshClaims = payload(refresh);
        // The policy's --max-ttl (30m) caps whatever is issued for the workload, registry refresh tokens included.
        assertThat(refreshClaims.get("exp").asLong() - refreshClaims.get("iat").asLong()).isEqualTo(1800);

        HttpResponse<String> res = login(refresh, "repository:batch/etl:pull,push", "repository:shared/base:pull,push",
                "repository:other/x:pull");

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode token = payload(JSON.readTree(res.body()).get("access_token").asText());
        assertThat(token.get("aud").asText()).isEqualTo(SERVICE);
        assertThat(token.get("access")).isEqualTo(JSON.readTree("""
                [{"type":"repository","name":"batch/etl","actions":["pull","push"]},
                 {"type":"repository","name":"shared/base","actions":["pull"]},
                 {"type":"repository","name":"other/x","actions":[]}]"""));
        // containers/image (skopeo, podman) posts the refresh token as an identity token instead.
        HttpResponse<String> posted = Http.postForm(jeton.baseUrl() + "/oauth2/token", "grant_type=refresh_token&client_id=containers/image"
                + "&service=" + SERVICE + "&scope=" + enc("repository:shared/base:push,pull") + "&refresh_token=" + refresh, null);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(payload(JSON.readTree(posted.body()).get("access_token").asText()).get("access")).isEqualTo(JSON.readTree("""
                [{"type":"repository","name":"shared/base","actions":["pull"]}]"""));
        AuditTrail.of(dir).await("event", "issued", "dialect", "registry", "kind", "workload", "subject", "k8s-batch");
    }

    @Test
    void loginWhenTheGroupMappingPolicyWasRemovedThenTheWorkloadsRefreshTokenStopsAtOnce() throws Exception {
        cli("trust", "add", "k8s-nightly", "--issuer", cluster.issuer(), "--audience", AUDIENCE, "--subject",
                "system:serviceaccount:nightly:*", "--as", "group:batch-jobs", "--jwks-file", jwks);
        String refresh = refreshTokenOf(exchange(cluster.sign(cluster.kubernetes("nightly", "report", AUDIENCE))));
        assertThat(login(refresh, "repository:batch/report:pull").statusCode()).isEqualTo(200);

        cli("trust", "remove", "k8s-nightly");

        assertUnauthorized(login(refresh, "repository:batch/report:pull"),
                "trust policy k8s-nightly of the token is gone or maps elsewhere now");
        AuditTrail.of(dir).await("event", "refused", "dialect", "registry", "reason", "policy.principal_gone");
        // A new token of the same workload is not exchanged any more either.
        assertUnauthorized(exchange(cluster.sign(cluster.kubernetes("nightly", "report", AUDIENCE))),
                "no trust policy matches the token's subject and claims");
    }

    @Test
    void loginWhenIdentityMappedPolicyWasRemovedThenTheRefreshTokenLivesOnUntilRevoked() throws Exception {
        cli("trust", "add", "k8s-builder", "--issuer", cluster.issuer(), "--audience", AUDIENCE, "--subject",
                "system:serviceaccount:ci:builder", "--as", "identity:builder", "--jwks-file", jwks);
        String refresh = refreshTokenOf(exchange(cluster.sign(cluster.kubernetes("ci", "builder", AUDIENCE))));

        cli("trust", "remove", "k8s-builder");

        // The identity itself still exists: the refresh token speaks for it, not for the policy.
        HttpResponse<String> res = login(refresh, "repository:ci/app:pull");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(payload(JSON.readTree(res.body()).get("access_token").asText()).get("access").get(0).get("actions").toString())
                .isEqualTo("[\"pull\"]");
        // A registry refresh token's jti names its refresh family.
        cli("token", "revoke", "--family", payload(refresh).get("jti").asText());
        assertUnauthorized(login(refresh, "repository:ci/app:pull"), "refresh token has been revoked");
    }

    static Stream<Arguments> refusedWorkloadTokens() {
        return Stream.of(
                row("no policy for the subject", () -> cluster.sign(cluster.kubernetes("prod", "etl", AUDIENCE)),
                        "no trust policy matches the token's subject and claims", "policy.no_match"),
                row("claim does not hold", () -> cluster.sign(cluster.kubernetes("batch", "etl", AUDIENCE)
                        .claim("kubernetes.io", Map.of("namespace", "prod"))), "no trust policy matches the token's subject and claims",
                        "policy.no_match"),
                row("another audience", () -> cluster.sign(cluster.kubernetes("batch", "etl", "api://AzureADTokenExchange")),
                        "the token's audience is not one a trust policy of its issuer accepts", "audience.mismatch"),
                row("expired", () -> cluster.sign(cluster.kubernetes("batch", "etl", AUDIENCE)
                        .expirationTime(Date.from(clock.instant().minusSeconds(120)))), "the token has expired", "token.expired"),
                row("not yet valid", () -> cluster.sign(cluster.kubernetes("batch", "etl", AUDIENCE)
                        .notBeforeTime(Date.from(clock.instant().plusSeconds(600)))), "the token is not valid yet", "token.not_yet_valid"),
                row("signed by a key the cluster never published", () -> cluster.signWithForeignKey(cluster.kubernetes("batch", "etl", AUDIENCE)),
                        "the token's signature does not verify with its issuer's keys", "token.signature"),
                row("alg none", () -> new PlainJWT(cluster.kubernetes("batch", "etl", AUDIENCE).build()).serialize(),
                        "the token is unsigned (alg none)", "token.alg_none"),
                row("older than the policy's max-ttl", () -> cluster.sign(cluster.kubernetes("batch", "etl", AUDIENCE)
                        .issueTime(Date.from(clock.instant().minus(Duration.ofMinutes(45))))
                        .notBeforeTime(Date.from(clock.instant().minus(Duration.ofMinutes(45))))),
                        "the token is older than trust policy k8s-batch allows (1800 s)", "token.too_old"));
    }

    private static Arguments row(String name, Supplier<String> token, String message, String reason) {
        return Arguments.of(name, token, message, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedWorkloadTokens")
    void exchangeWhenWorkloadTokenIsRefusedThen401InTheRegistryShapeAndTheReasonAudited(String name, Supplier<String> token,
                                                                                      String message, String reason) throws Exception {
        assertUnauthorized(exchange(token.get()), message);
        AuditTrail.of(dir).await("event", "refused", "dialect", "registry", "reason", reason);
    }
}
