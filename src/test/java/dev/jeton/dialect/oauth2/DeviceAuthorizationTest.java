package dev.jeton.dialect.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.config.Setting;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.DevicePages;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8628 over real HTTP: /oidc/device_authorization, the verification page, and polling at
 * /oidc/token with the RFC's errors; the time comes from a MutableClock, so intervals and
 * expiry are exact.
 */
class DeviceAuthorizationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static MutableClock clock;
    static Jetons.Running jeton;
    static String confidentialSecret;

    @BeforeAll
    static void start() {
        clock = MutableClock.startingNow();
        jeton = Jetons.start(dir, clock, Map.of(Setting.JANITOR_INTERVAL, "3650d"));
        var accounts = jeton.wiring().admin().accounts();
        accounts.addUser("dora", new Secret("dora-password"), List.of("team-a"));
        accounts.addClient(device("cli", Set.of("openid", "read")));
        accounts.addClient(device("other-cli", Set.of("read")));
        accounts.addClient(new ClientSpec("docker-helper", Set.of(GrantType.DEVICE_CODE), Set.of("registry"), List.of("jeton-registry"),
                List.of(), null, null, RefreshPolicy.REUSABLE, true));
        accounts.addClient(new ClientSpec("web", Set.of(GrantType.AUTHORIZATION_CODE), Set.of("read"), List.of(),
                List.of("http://127.0.0.1:9/cb"), null, null, RefreshPolicy.ROTATING, true));
        confidentialSecret = accounts.addClient(new ClientSpec("tv", Set.of(GrantType.DEVICE_CODE), Set.of("read"), List.of(), List.of(),
                null, null, RefreshPolicy.ROTATING, false)).secret().value();
    }

    private static ClientSpec device(String id, Set<String> scopes) {
        return new ClientSpec(id, Set.of(GrantType.DEVICE_CODE, GrantType.REFRESH_TOKEN), scopes, List.of(), List.of(), null, null,
                RefreshPolicy.ROTATING, true);
    }

    @AfterAll
    static void stop() { jeton.close(); }

    static HttpResponse<String> authorize(String body, String authorization) {
        return Http.postForm(jeton.baseUrl() + "/oidc/device_authorization", body, authorization);
    }

    /** A started device authorization of {@code client}: its device_code and user_code. */
    static JsonNode started(String client, String scope) throws Exception {
        HttpResponse<String> res = authorize("client_id=" + client + (scope == null ? "" : "&scope=" + enc(scope)), null);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    static HttpResponse<String> poll(String client, String deviceCode) {
        return Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=" + enc("urn:ietf:params:oauth:grant-type:device_code")
                + "&client_id=" + client + "&device_code=" + enc(deviceCode), null);
    }

    static String error(HttpResponse<String> res) throws Exception {
        return JSON.readTree(res.body()).path("error").asText();
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @Test
    void discoveryWhenReadThenNamesTheDeviceEndpointAndGrant() throws Exception {
        JsonNode d = JSON.readTree(Http.get(jeton.baseUrl() + "/.well-known/openid-configuration", null).body());
        assertThat(d.get("device_authorization_endpoint").asText()).isEqualTo(jeton.baseUrl() + "/oidc/device_authorization");
        assertThat(d.get("grant_types_supported").toString()).contains("\"urn:ietf:params:oauth:grant-type:device_code\"");
    }

    @Test
    void deviceFlowWhenUserApprovesThenOnePollGetsTokensAndTheNextIsRefused() throws Exception {
        JsonNode s = started("cli", "openid read");
        String userCode = s.get("user_code").asText();
        assertThat(userCode).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
        assertThat(s.get("verification_uri").asText()).isEqualTo(jeton.baseUrl() + "/oidc/device");
        assertThat(s.get("verification_uri_complete").asText()).isEqualTo(jeton.baseUrl() + "/oidc/device?user_code=" + userCode);
        assertThat(s.get("expires_in").asLong()).isEqualTo(600);
        assertThat(s.get("interval").asLong()).isEqualTo(5);
        String deviceCode = s.get("device_code").asText();

        HttpResponse<String> pending = poll("cli", deviceCode);
        assertThat(pending.statusCode()).isEqualTo(400);
        assertThat(error(pending)).isEqualTo("authorization_pending");

        // Typed in lower case without the hyphen: still the same code.
        HttpResponse<String> approved = DevicePages.decide(jeton.baseUrl(), userCode.replace("-", "").toLowerCase(), "approve", "dora",
                "dora-password");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(approved.body()).contains("Device approved").contains("<strong>cli</strong> is signed in");

        clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> tokens = poll("cli", deviceCode);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        JsonNode t = JSON.readTree(tokens.body());
        assertThat(t.get("scope").asText()).isEqualTo("openid read");
        assertThat(t.get("refresh_token").asText()).isNotBlank();
        assertThat(t.get("id_token").asText()).isNotBlank();
        HttpResponse<String> me = Http.get(jeton.baseUrl() + "/oidc/userinfo", "Bearer " + t.get("access_token").asText());
        assertThat(JSON.readTree(me.body()).get("preferred_username").asText()).isEqualTo("dora");

        clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> again = poll("cli", deviceCode);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(error(again)).isEqualTo("invalid_grant");
        AuditTrail.of(dir).await("event", "issued", "grant", "device_code", "subject", "dora", "client_id", "cli");
    }

    @Test
    void pollingWhenTooEarlyThenSlowDownRaisesTheIntervalMeasuredFromTheLastAcceptedPoll() throws Exception {
        String deviceCode = started("cli", "read").get("device_code").asText();
        assertThat(error(poll("cli", deviceCode))).isEqualTo("authorization_pending");
        HttpResponse<String> early = poll("cli", deviceCode);
        assertThat(early.statusCode()).isEqualTo(400);
        assertThat(error(early)).isEqualTo("slow_down");
        assertThat(JSON.readTree(early.body()).get("error_description").asText()).contains("10 seconds");
        clock.advance(Duration.ofSeconds(9));
        assertThat(error(poll("cli", deviceCode))).isEqualTo("slow_down");
        // Interval now 15 s, counted from the last accepted poll (not from the early ones).
        clock.advance(Duration.ofSeconds(6));
        assertThat(error(poll("cli", deviceCode))).isEqualTo("authorization_pending");
    }

    @Test
    void registryScopeWhenApprovedThenTheRefreshTokenIsAReusableRegistryIdentityTokenThatTheClientCanRevoke() throws Exception {
        JsonNode s = started("docker-helper", "registry");
        assertThat(DevicePages.decide(jeton.baseUrl(), s.get("user_code").asText(), "approve", "dora", "dora-password").statusCode())
                .isEqualTo(200);
        JsonNode t = JSON.readTree(poll("docker-helper", s.get("device_code").asText()).body());
        String identity = t.get("refresh_token").asText();
        String registryForm = "grant_type=refresh_token&client_id=containers%2Fimage&service=jeton-registry&scope="
                + enc("repository:team-a/app:pull") + "&refresh_token=" + identity;
        for (int use = 0; use < 2; use++) {
            HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oauth2/token", registryForm, null);
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        }
        HttpResponse<String> revoked = Http.postForm(jeton.baseUrl() + "/oidc/revoke", "client_id=docker-helper&token=" + identity, null);
        assertThat(revoked.statusCode()).isEqualTo(200);
        HttpResponse<String> after = Http.postForm(jeton.baseUrl() + "/oauth2/token", registryForm, null);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.body()).contains("refresh token has been revoked");
    }

    @Test
    void verificationPageWhenUserCodeIsWrongThenTheFormSaysSoAndTheAuditSaysWhy() throws Exception {
        HttpResponse<String> malformed = Http.get(jeton.baseUrl() + "/oidc/device?user_code=AEIO-1234", null);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("That is not a code from a device");
        HttpResponse<String> unknown = Http.get(jeton.baseUrl() + "/oidc/device?user_code=BBBB-BBBB", null);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("That code is not valid");
        AuditTrail audit = AuditTrail.of(dir);
        audit.await("event", "refused", "grant", "device_verification", "reason", "device.user_code_malformed");
        audit.await("event", "refused", "grant", "device_verification", "reason", "device.user_code_unknown");

        HttpResponse<String> forged = Http.postForm(jeton.baseUrl() + "/oidc/device", "csrf=x&action=deny&user_code="
                + enc(started("cli", "read").get("user_code").asText()), null);
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("This form has expired or did not come from this site.");

        JsonNode s = started("cli", "read");
        HttpResponse<String> wrongPassword = DevicePages.decide(jeton.baseUrl(), s.get("user_code").asText(), "approve", "dora", "nope");
        assertThat(wrongPassword.statusCode()).isEqualTo(400);
        assertThat(wrongPassword.body()).contains("Incorrect username or password.").contains("Approve device");
        audit.await("event", "refused", "grant", "device_verification", "subject", "dora", "reason", "user.password_mismatch");
        assertThat(error(poll("cli", s.get("device_code").asText()))).isEqualTo("authorization_pending");
    }

    @Test
    void userCodesWhenGuessedFromOneAddressThenThrottled() throws Exception {
        try {
            int status = 0;
            for (int guess = 0; guess < 21 && status != 429; guess++) {
                status = Http.get(jeton.baseUrl() + "/oidc/device?user_code=BBBB-BBB" + "BCDFGHJKLMNPQRSTVWXZ".charAt(guess % 20), null)
                        .statusCode();
            }
            assertThat(status).isEqualTo(429);
            // Even a right code waits now: the guesser cannot tell.
            HttpResponse<String> right = Http.get(jeton.baseUrl() + "/oidc/device?user_code=" + started("cli", "read").get("user_code").asText(), null);
            assertThat(right.statusCode()).isEqualTo(429);
            assertThat(right.headers().firstValue("Retry-After")).isPresent();
            AuditTrail.of(dir).await("event", "refused", "grant", "device_verification", "reason", "login.throttled");
        } finally {
            clock.advance(Duration.ofMinutes(11));
        }
    }

    /** One bad request against the device endpoints: what to send (given a started authorization of client "cli"), what comes back. */
    static Stream<Arguments> badInput() {
        return Stream.of(
                row("unknown client", s -> authorize("client_id=nobody&scope=read", null), 401, "invalid_client", "device_authorization", "client.unknown"),
                row("client without the device grant", s -> authorize("client_id=web&scope=read", null), 400, "unauthorized_client",
                        "device_authorization", "client.grant_not_allowed"),
                row("confidential client without its secret", s -> authorize("client_id=tv", null), 401, "invalid_client",
                        "device_authorization", "client.secret_missing"),
                row("confidential client with a wrong secret", s -> authorize("scope=read", Http.basic("tv", "wrong")), 401, "invalid_client",
                        "device_authorization", "client.secret_mismatch"),
                row("scope the client may not have", s -> authorize("client_id=cli&scope=admin", null), 400, "invalid_scope",
                        "device_authorization", "scope.not_allowed"),
                row("unknown device code", s -> poll("cli", "not-a-device-code"), 400, "invalid_grant", "device_code", "device.unknown"),
                row("device code of another client", s -> poll("other-cli", s.get("device_code").asText()), 400, "invalid_grant",
                        "device_code", "device.wrong_client"),
                row("client without the device grant polls", s -> poll("web", s.get("device_code").asText()), 400, "unauthorized_client",
                        "device_code", "client.grant_not_allowed"),
                row("no device_code", s -> Http.postForm(jeton.baseUrl() + "/oidc/token",
                        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=cli", null), 400, "invalid_request",
                        "device_code", "invalid_request.device_code"),
                row("still pending", s -> poll("cli", s.get("device_code").asText()), 400, "authorization_pending", "device_code", "device.pending"),
                row("polling too fast", s -> {
                    poll("cli", s.get("device_code").asText());
                    return poll("cli", s.get("device_code").asText());
                }, 400, "slow_down", "device_code", "device.slow_down"),
                row("expired", s -> {
                    clock.advance(Duration.ofMinutes(10));
                    return poll("cli", s.get("device_code").asText());
                }, 400, "expired_token", "device_code", "device.expired"),
                row("denied by the user", s -> {
                    assertThat(DevicePages.decide(jeton.baseUrl(), s.get("user_code").asText(), "deny", null, null).body()).contains("Request denied");
                    return poll("cli", s.get("device_code").asText());
                }, 400, "access_denied", "device_code", "device.denied"),
                row("reused after redemption", s -> {
                    DevicePages.decide(jeton.baseUrl(), s.get("user_code").asText(), "approve", "dora", "dora-password");
                    assertThat(poll("cli", s.get("device_code").asText()).statusCode()).isEqualTo(200);
                    clock.advance(Duration.ofSeconds(5));
                    return poll("cli", s.get("device_code").asText());
                }, 400, "invalid_grant", "device_code", "device.redeemed"));
    }

    private static Arguments row(String name, Function<JsonNode, HttpResponse<String>> send, int status, String error, String grant,
                                 String reason) {
        return Arguments.of(name, send, status, error, grant, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void deviceEndpointsWhenInputIsBadThenTheRfcErrorAndAnAuditedReason(String name, Function<JsonNode, HttpResponse<String>> send,
                                                                       int status, String error, String grant, String reason) throws Exception {
        long before = AuditTrail.of(dir).lines().size();
        HttpResponse<String> res = send.apply(started("cli", "read"));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(error(res)).isEqualTo(error);
        assertThat(res.headers().firstValue("Cache-Control")).hasValue("no-store");
        AuditTrail audit = AuditTrail.of(dir);
        audit.await(line -> audit.lines().indexOf(line) >= before && AuditTrail.has(line, "event", "refused", "grant", grant, "reason", reason));
    }
}
