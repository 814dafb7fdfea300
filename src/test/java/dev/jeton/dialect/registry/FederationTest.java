package dev.jeton.dialect.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.ForgedTokens;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /oauth2/exchange with an upstream issuer that is a real OIDC provider (a second Jeton, found
 * by discovery): trusted, audience-checked, subject mapped, provisioned where allowed; and every
 * forged, expired or misaddressed token in its name refused, at the registry and at Run:ai.
 */
class FederationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Jetons.Running upstream;
    static Jetons.Running registryJeton;
    static String upstreamAppSecret;

    @BeforeAll
    static void start() throws Exception {
        upstream = Jetons.start(dir.resolve("upstream"));
        upstream.wiring().admin().accounts().addUser("dave", new Secret("dave-password"), List.of());
        upstreamAppSecret = upstream.wiring().admin().accounts().addClient(new ClientSpec("other-audience", Set.of(GrantType.PASSWORD),
                Set.of(), List.of("https://not-the-registry"), List.of(), null, null, RefreshPolicy.ROTATING, false)).secret().value();
        Path registryData = Files.createDirectories(dir.resolve("registry"));
        Files.writeString(registryData.resolve("jeton.conf"), """
                federation.corp.issuer = %s
                federation.corp.audiences = %s
                federation.corp.subject-claim = preferred_username
                federation.corp.auto-provision = true
                """.formatted(upstream.baseUrl(), upstream.baseUrl()));
        registryJeton = Jetons.start(registryData);
        registryJeton.wiring().admin().rules().add("user:dave", "dave/*", Set.of("pull", "push"));
    }

    @AfterAll
    static void stop() {
        registryJeton.close();
        upstream.close();
    }

    private static AuditTrail audit() { return AuditTrail.of(dir.resolve("registry")); }

    private static String upstreamToken(String basic) throws Exception {
        return JSON.readTree(Http.postForm(upstream.baseUrl() + "/oidc/token", "grant_type=password&username=dave&password=dave-password",
                basic).body()).get("access_token").asText();
    }

    private static HttpResponse<String> exchange(String accessToken) {
        return Http.postForm(registryJeton.baseUrl() + "/oauth2/exchange",
                "grant_type=access_token&service=reg&access_token=" + accessToken, null);
    }

    @Test
    void exchangeWhenUpstreamTokenTrustedThenUserProvisionedAndGrantedByRules() throws Exception {
        HttpResponse<String> res = exchange(upstreamToken(Http.basic("demo", upstream.demoSecret())));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        String refresh = JSON.readTree(res.body()).get("refresh_token").asText();
        assertThat(registryJeton.wiring().admin().accounts().users()).anyMatch(u -> u.name().equals("dave") && u.passwordHash() == null);
        JsonNode provisioned = audit().await("event", "admin", "action", "user.provision", "target", "dave");
        assertThat(provisioned.get("dialect").asText()).isEqualTo("server");
        assertThat(provisioned.get("detail").asText()).isEqualTo("from trusted issuer corp");
        JsonNode exchanged = audit().await("event", "issued", "grant", "exchange_access_token", "subject", "dave");
        assertThat(exchanged.get("family_id").asText()).isEqualTo(JSON.readTree(Base64.getUrlDecoder().decode(refresh.split("\\.")[1]))
                .get("jti").asText());

        JsonNode token = JSON.readTree(Http.get(registryJeton.baseUrl() + "/oauth2/token?service=reg&scope=repository:dave/app:push",
                Http.basic("00000000-0000-0000-0000-000000000000", refresh)).body());
        String payload = token.get("access_token").asText().split("\\.")[1];
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(payload));
        assertThat(claims.get("sub").asText()).isEqualTo("dave");
        assertThat(claims.get("access").get(0).get("actions").get(0).asText()).isEqualTo("push");
    }

    @Test
    void exchangeWhenAudienceNotAllowedThenRefused() throws Exception {
        HttpResponse<String> res = exchange(upstreamToken(Http.basic("other-audience", upstreamAppSecret)));
        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.body()).contains("\"code\":\"UNAUTHORIZED\"").contains("not valid for this service");
        assertThat(audit().await("event", "refused", "dialect", "registry", "reason", "audience.mismatch").get("grant").asText())
                .isEqualTo("exchange_access_token");
    }

    /** Tokens in the trusted upstream's name that must not be exchanged, each signed (or not) against the real upstream. */
    static Stream<Arguments> badUpstreamTokens() {
        return Stream.of(
                Arguments.of("expired", (Function<ForgedTokens, String>) f -> f.expired(daveId(), "dave")),
                Arguments.of("not yet valid", (Function<ForgedTokens, String>) f -> f.notYetValid(daveId(), "dave")),
                Arguments.of("another audience", (Function<ForgedTokens, String>) f -> f.otherAudience(daveId(), "dave")),
                Arguments.of("another issuer, upstream's key", (Function<ForgedTokens, String>) f -> f.otherIssuer(daveId(), "dave")),
                Arguments.of("wrongly signed under upstream's kid", (Function<ForgedTokens, String>) f -> f.wronglySigned(daveId(), "dave")),
                Arguments.of("alg none", (Function<ForgedTokens, String>) f -> f.algNone(daveId(), "dave")),
                Arguments.of("HS256 keyed with upstream's JWKS", (Function<ForgedTokens, String>) f -> f.hmacWithPublicKeys(daveId(), "dave")),
                Arguments.of("encrypted JWT shape", (Function<ForgedTokens, String>) f -> ForgedTokens.encryptedShape()),
                Arguments.of("payload not JSON", (Function<ForgedTokens, String>) f -> ForgedTokens.malformed()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUpstreamTokens")
    void exchangeWhenUpstreamTokenIsBadThen401InTheRegistryShape(String name, Function<ForgedTokens, String> token) throws Exception {
        String forged = token.apply(new ForgedTokens(upstream.wiring().admin().keys(), upstream.wiring().issuer()));
        HttpResponse<String> res = exchange(forged);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(401);
        JsonNode error = JSON.readTree(res.body()).get("errors").get(0);
        assertThat(error.get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(error.get("message").asText()).doesNotContain("Exception").doesNotContain(forged);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUpstreamTokens")
    void externalTokenExchangeWhenUpstreamTokenIsBadThen401InRunaisShape(String name, Function<ForgedTokens, String> token) throws Exception {
        String forged = token.apply(new ForgedTokens(upstream.wiring().admin().keys(), upstream.wiring().issuer()));
        HttpResponse<String> res = Http.send(HttpRequest.newBuilder(URI.create(registryJeton.baseUrl() + "/api/v1/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grantType\":\"external_token_exchange\",\"externalToken\":\"" + forged + "\"}"))
                .build());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(401);
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("code").asInt()).isEqualTo(401);
        assertThat(body.get("message").asText()).doesNotContain("Exception").doesNotContain(forged);
    }

    private static String daveId() {
        return upstream.wiring().admin().accounts().users().stream().filter(u -> u.name().equals("dave")).findFirst().orElseThrow().id();
    }

    @Test
    void exchangeWhenIssuerUnknownThenRefused() throws Exception {
        try (Jetons.Running stranger = Jetons.start(dir.resolve("stranger"))) {
            String token = JSON.readTree(Http.postForm(stranger.baseUrl() + "/oidc/token", "grant_type=client_credentials",
                    Http.basic("demo", stranger.demoSecret())).body()).get("access_token").asText();
            HttpResponse<String> res = exchange(token);
            assertThat(res.statusCode()).isEqualTo(401);
            assertThat(res.body()).contains("issuer is not trusted");
            audit().await("event", "refused", "dialect", "registry", "reason", "issuer.untrusted");
        }
    }
}
