package dev.jeton.dialect.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /oauth2/exchange} with {@code grant_type=access_token_refresh_token}: the refresh token
 * is verified as the access token's issuer makes them, and must be its subject's. Jeton's own
 * (an OAuth refresh token, or a registry refresh token) against its refresh store; a trusted
 * upstream's (a second Jeton, found by discovery) as a JWT of that issuer.
 */
class ExchangeRefreshTokenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "registry.test";

    @TempDir
    static Path dir;
    static Jetons.Running upstream;
    static Jetons.Running jeton;

    @BeforeAll
    static void start() throws Exception {
        upstream = Jetons.start(dir.resolve("upstream"));
        upstream.wiring().admin().accounts().addUser("dave", new Secret("dave-password"), List.of());
        Path data = Files.createDirectories(dir.resolve("registry"));
        Files.writeString(data.resolve("jeton.conf"), """
                federation.corp.issuer = %s
                federation.corp.audiences = %s
                federation.corp.subject-claim = preferred_username
                federation.corp.auto-provision = true
                """.formatted(upstream.baseUrl(), upstream.baseUrl()));
        jeton = Jetons.start(data);
        jeton.wiring().admin().accounts().addUser("alice", new Secret("alice-password"), List.of());
        jeton.wiring().admin().accounts().addUser("bob", new Secret("bob-password"), List.of());
        jeton.wiring().admin().rules().add("user:alice", "alice/*", Set.of("pull"));
        jeton.wiring().admin().rules().add("user:dave", "dave/*", Set.of("pull"));
    }

    @AfterAll
    static void stop() {
        jeton.close();
        upstream.close();
    }

    /** access_token and refresh_token of a password login at {@code server}'s OAuth endpoint (the demo client may refresh). */
    private static JsonNode oidcLogin(Jetons.Running server, String user, String password) {
        HttpResponse<String> res = Http.postForm(server.baseUrl() + "/oidc/token", "grant_type=password&username=" + user + "&password=" + password,
                Http.basic("demo", server.demoSecret()));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        try {
            return JSON.readTree(res.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String access(String user) { return oidcLogin(jeton, user, user + "-password").get("access_token").asText(); }

    private static String refresh(String user) { return oidcLogin(jeton, user, user + "-password").get("refresh_token").asText(); }

    private static HttpResponse<String> exchange(String accessToken, String refreshToken) {
        return Http.postForm(jeton.baseUrl() + "/oauth2/exchange", "grant_type=access_token_refresh_token&service=" + SERVICE + "&tenant=t"
                + "&access_token=" + accessToken + "&refresh_token=" + refreshToken, null);
    }

    /** The exchanged registry refresh token logs in, as docker login with the zero GUID does, as {@code subject}. */
    private static void assertExchangedFor(HttpResponse<String> res, String subject) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        String refresh = JSON.readTree(res.body()).get("refresh_token").asText();
        HttpResponse<String> login = Http.get(jeton.baseUrl() + "/oauth2/token?service=" + SERVICE,
                Http.basic("00000000-0000-0000-0000-000000000000", refresh));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String payload = JSON.readTree(login.body()).get("access_token").asText().split("\\.")[1];
        assertThat(JSON.readTree(Base64.getUrlDecoder().decode(payload)).get("sub").asText()).isEqualTo(subject);
    }

    @Test
    void exchangeWhenJetonsOwnAccessAndRefreshTokenOfOneUserThenRegistryRefreshToken() throws Exception {
        JsonNode login = oidcLogin(jeton, "alice", "alice-password");
        assertExchangedFor(exchange(login.get("access_token").asText(), login.get("refresh_token").asText()), "alice");
    }

    @Test
    void exchangeWhenRefreshTokenIsARegistryIdentityTokenOfTheSameUserThenAccepted() throws Exception {
        String identity = JSON.readTree(Http.get(jeton.baseUrl() + "/oauth2/token?offline_token=true&service=" + SERVICE,
                Http.basic("alice", "alice-password")).body()).get("refresh_token").asText();
        assertExchangedFor(exchange(access("alice"), identity), "alice");
    }

    @Test
    void exchangeWhenUpstreamAccessAndRefreshTokenAreJwtsOfOneSubjectThenAccepted() throws Exception {
        ForgedTokens upstreamKeys = new ForgedTokens(upstream.wiring().admin().keys(), upstream.wiring().issuer());
        String access = oidcLogin(upstream, "dave", "dave-password").get("access_token").asText();
        // An upstream whose refresh tokens are JWTs signed with its published keys (as its access tokens are).
        String refresh = upstreamKeys.signed(upstreamKeys.claims(daveId(), "dave").claim("typ", "Refresh"));
        assertExchangedFor(exchange(access, refresh), "dave");
    }

    private static String daveId() {
        return upstream.wiring().admin().accounts().users().stream().filter(u -> u.name().equals("dave")).findFirst().orElseThrow().id();
    }

    /** A pair of tokens made against the running servers when the row runs. */
    record Pair(Supplier<String> access, Supplier<String> refresh) {
    }

    static Stream<Arguments> refusedPairs() {
        Supplier<String> daveAccess = () -> oidcLogin(upstream, "dave", "dave-password").get("access_token").asText();
        Supplier<ForgedTokens> upstreamKeys = () -> new ForgedTokens(upstream.wiring().admin().keys(), upstream.wiring().issuer());
        return Stream.of(
                Arguments.of("another user's refresh token", new Pair(() -> access("alice"), () -> refresh("bob")),
                        "the refresh_token does not belong to the subject of the access_token", "exchange.refresh_subject_mismatch"),
                Arguments.of("a rotated-away refresh token", new Pair(() -> access("alice"), () -> {
                    String first = refresh("alice");
                    Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=refresh_token&refresh_token=" + first,
                            Http.basic("demo", jeton.demoSecret()));
                    return first;
                }), "the refresh_token is not valid: refresh token has already been used", "refresh.superseded"),
                Arguments.of("a revoked refresh token", new Pair(() -> access("alice"), () -> {
                    String token = refresh("alice");
                    Http.postForm(jeton.baseUrl() + "/oidc/revoke", "token=" + token, Http.basic("demo", jeton.demoSecret()));
                    return token;
                }), "the refresh_token is not valid: refresh token has been revoked", "refresh.revoked"),
                Arguments.of("an access token as refresh token", new Pair(() -> access("alice"), () -> access("alice")),
                        "the refresh_token is not valid: refresh token is invalid", "refresh.unknown"),
                Arguments.of("an opaque string that no one issued", new Pair(() -> access("alice"), () -> "not-a-token"),
                        "the refresh_token is not valid: refresh token is invalid", "refresh.unknown"),
                Arguments.of("upstream: an opaque refresh token", new Pair(daveAccess,
                        () -> oidcLogin(upstream, "dave", "dave-password").get("refresh_token").asText()),
                        "the refresh_token is not valid: the token is not a JWT", "token.malformed"),
                Arguments.of("upstream: another subject's JWT", new Pair(daveAccess,
                        () -> upstreamKeys.get().signed(upstreamKeys.get().claims("someone", "eve"))),
                        "the refresh_token does not belong to the subject of the access_token", "exchange.refresh_subject_mismatch"),
                Arguments.of("upstream: a JWT for another audience", new Pair(daveAccess,
                        () -> upstreamKeys.get().otherAudience(daveId(), "dave")),
                        "the refresh_token is not valid: the token is not valid for this service", "audience.mismatch"),
                Arguments.of("upstream: an expired JWT", new Pair(daveAccess, () -> upstreamKeys.get().expired(daveId(), "dave")),
                        "the refresh_token is not valid: the token is not valid for this service", "token.expired"),
                Arguments.of("upstream access token, Jeton's own refresh token", new Pair(daveAccess, () -> refresh("alice")),
                        "the refresh_token is not valid: the token is not a JWT", "token.malformed"),
                Arguments.of("upstream access token, an access token of Jeton's own", new Pair(daveAccess, () -> access("alice")),
                        "the refresh_token is not valid: it is not from the issuer of the access_token", "exchange.refresh_issuer_mismatch"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedPairs")
    void exchangeWhenRefreshTokenIsNotTheAccessTokensSubjectsThen401InTheRegistryShape(String name, Pair pair, String message, String reason)
            throws Exception {
        String refresh = pair.refresh().get();
        HttpResponse<String> res = exchange(pair.access().get(), refresh);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(401);
        assertThat(res.body()).isEqualTo("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"" + message + "\"}]}");
        assertThat(res.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"" + jeton.baseUrl() + "/oauth2/token\"");
        JsonNode refused = AuditTrail.of(dir.resolve("registry")).await("event", "refused", "grant", "exchange_access_token_refresh_token",
                "reason", reason);
        assertThat(refused.get("dialect").asText()).isEqualTo("registry");
        AuditTrail.of(dir.resolve("registry")).assertContainsNone(List.of(refresh));
    }

}
