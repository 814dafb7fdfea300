package dev.jeton.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.keys.SigningAlgorithm;
import dev.jeton.model.Secret;
import dev.jeton.store.jdbc.Database;
import dev.jeton.store.jdbc.StoreCopy;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import dev.jeton.support.ResourceServer;
import dev.jeton.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three Jeton instances, stateless, on one real PostgreSQL, as behind a load balancer. They
 * share one clock that stands still unless a test moves it: "within the bound" is the clock
 * moved by the bound, not a wait.
 */
class MultiInstanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The default bound: the instances below run with it. */
    private static final Duration RECHECK = dev.jeton.config.Durations.parse(dev.jeton.config.Setting.RECHECK_INTERVAL.defaultValue());
    private static final MutableClock CLOCK = MutableClock.startingNow();

    @TempDir
    static Path dir;
    static List<Jetons.Running> instances = new ArrayList<>();
    static String demoBasic;
    static String adminPassword;

    @BeforeAll
    static void start() throws Exception {
        String url = TestPostgres.newDatabase();
        Path masterKey = dir.resolve("shared-master.key");
        for (String name : List.of("a", "b", "c")) {
            Path data = Files.createDirectories(dir.resolve(name));
            Files.writeString(data.resolve("jeton.conf"), """
                    issuer = https://jeton.example
                    store = %s
                    master-key-file = %s
                    key-reload-interval = 1h
                    """.formatted(url, masterKey));
            instances.add(Jetons.start(data, CLOCK, Map.of()));
        }
        assertThat(instances.get(1).credentials()).as("only the first instance seeds").isNull();
        demoBasic = Http.basic("demo", instances.get(0).demoSecret());
        adminPassword = instances.get(0).adminPassword();
    }

    @AfterAll
    static void stop() {
        instances.forEach(Jetons.Running::close);
    }

    private static String base(int i) { return instances.get(i).baseUrl(); }

    private static JsonNode login(int instance) throws Exception {
        return JSON.readTree(Http.postForm(base(instance) + "/oidc/token", "grant_type=password&username=admin&password=" + adminPassword,
                demoBasic).body());
    }

    @Test
    void refreshRaceWhen64UsesSpreadOverThreeInstancesThenExactlyOneWinsAndTheFamilyIsRevoked() throws Exception {
        String token = login(0).get("refresh_token").asText();
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int instance = i % 3;
            calls.add(() -> {
                go.await();
                return Http.postForm(base(instance) + "/oidc/token", "grant_type=refresh_token&refresh_token=" + token, demoBasic);
            });
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(64)) {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (Callable<HttpResponse<String>> c : calls) futures.add(pool.submit(c));
            go.countDown();
            for (Future<HttpResponse<String>> f : futures) responses.add(f.get());
        }
        List<HttpResponse<String>> wins = responses.stream().filter(r -> r.statusCode() == 200).toList();
        assertThat(wins).hasSize(1);
        assertThat(responses).allMatch(r -> r.statusCode() == 200 || r.body().contains("invalid_grant"));
        String next = JSON.readTree(wins.getFirst().body()).get("refresh_token").asText();
        assertThat(Http.postForm(base(2) + "/oidc/token", "grant_type=refresh_token&refresh_token=" + next, demoBasic).body())
                .contains("refresh token has been revoked");
    }

    @Test
    void deviceCodeWhenApprovedOnBAndPolled64TimesOverThreeInstancesThenExactlyOnePollGetsTokens() throws Exception {
        instances.get(0).wiring().admin().accounts().addUser("dev", new dev.jeton.model.Secret("dev-password"), List.of());
        instances.get(0).wiring().admin().accounts().addClient(new dev.jeton.engine.Accounts.ClientSpec("tv", Set.of(
                dev.jeton.model.GrantType.DEVICE_CODE), Set.of("read"), List.of(), List.of(), null, null, dev.jeton.model.RefreshPolicy.ROTATING, true));
        JsonNode started = JSON.readTree(Http.postForm(base(0) + "/oidc/device_authorization", "client_id=tv", null).body());
        assertThat(dev.jeton.support.DevicePages.decide(base(1), started.get("user_code").asText(), "approve", "dev", "dev-password")
                .statusCode()).isEqualTo(200);
        String form = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=tv&device_code="
                + java.net.URLEncoder.encode(started.get("device_code").asText(), java.nio.charset.StandardCharsets.UTF_8);
        CountDownLatch go = new CountDownLatch(1);
        List<HttpResponse<String>> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(64)) {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int instance = i % 3;
                futures.add(pool.submit(() -> {
                    go.await();
                    return Http.postForm(base(instance) + "/oidc/token", form, null);
                }));
            }
            go.countDown();
            for (Future<HttpResponse<String>> f : futures) responses.add(f.get());
        }
        assertThat(responses.stream().filter(r -> r.statusCode() == 200)).hasSize(1);
        assertThat(responses).allMatch(r -> r.statusCode() == 200 || r.body().contains("\"invalid_grant\""));
    }

    @Test
    void tokenMintedOnAWhenVerifiedAndIntrospectedOnBAndCThenValid() throws Exception {
        String access = login(0).get("access_token").asText();
        for (int i = 1; i < 3; i++) {
            ResourceServer rs = new ResourceServer(base(i) + "/oidc/jwks", "https://jeton.example", "https://jeton.example");
            assertThat(rs.verify(access).getStringClaim("preferred_username")).isEqualTo("admin");
            JsonNode introspection = JSON.readTree(Http.postForm(base(i) + "/oidc/introspect", "token=" + access, demoBasic).body());
            assertThat(introspection.get("active").asBoolean()).isTrue();
            assertThat(introspection.get("username").asText()).isEqualTo("admin");
        }
        // Revoked through B, inactive on C at once: the deny list is in the shared store.
        Http.postForm(base(1) + "/oidc/revoke", "token=" + access, demoBasic);
        assertThat(Http.postForm(base(2) + "/oidc/introspect", "token=" + access, demoBasic).body()).isEqualTo("{\"active\":false}");
    }

    @Test
    void ruleChangedThroughAWhenAskedOnCThenEnforcedWithinTheBound() throws Exception {
        instances.get(0).wiring().admin().accounts().addUser("olga", new Secret("olga-password"), List.of());
        String url = base(2) + "/oauth2/token?service=reg&scope=repository:olga/app:push";
        BooleanSupplier granted = () -> {
            try {
                String jwt = JSON.readTree(Http.get(url, Http.basic("olga", "olga-password")).body()).get("token").asText();
                return JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1])).get("access").get(0).get("actions").size() == 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(granted.getAsBoolean()).isFalse();
        instances.get(0).wiring().admin().rules().add("user:olga", "olga/*", Set.of("push"));
        CLOCK.advance(RECHECK);
        assertThat(granted.getAsBoolean()).isTrue();
    }

    private static int clientCredentials(int instance, String clientId, String secret) throws Exception {
        return Http.postForm(base(instance) + "/oidc/token", "grant_type=client_credentials", Http.basic(clientId, secret)).statusCode();
    }

    private static String addClient(String clientId) {
        return instances.get(0).wiring().admin().accounts().addClient(new dev.jeton.engine.Accounts.ClientSpec(clientId,
                Set.of(dev.jeton.model.GrantType.CLIENT_CREDENTIALS), Set.of(), List.of(), List.of(), null, null,
                dev.jeton.model.RefreshPolicy.ROTATING, false)).secret().value();
    }

    @Test
    void clientAddedOnAWhenFirstUsedOnBThenItGetsATokenAtOnce() throws Exception {
        String secret = addClient("fresh-app");
        // The clock stands still: B has never held this id, so it asks the store on first use.
        assertThat(clientCredentials(1, "fresh-app", secret)).isEqualTo(200);
        assertThat(clientCredentials(2, "fresh-app", secret)).isEqualTo(200);
    }

    @Test
    void clientChangedOnAWhileBHoldsItThenBFollowsWithinTheDefaultRecheckIntervalOfUnderASecond() throws Exception {
        assertThat(RECHECK).isLessThan(Duration.ofSeconds(1));
        String first = addClient("moving-app");
        assertThat(clientCredentials(1, "moving-app", first)).as("B now holds the client in memory").isEqualTo(200);

        String second = instances.get(0).wiring().admin().accounts().rotateClientSecret("moving-app").value();
        CLOCK.advance(RECHECK);
        assertThat(clientCredentials(1, "moving-app", first)).as("the replaced secret on B").isEqualTo(401);
        assertThat(clientCredentials(1, "moving-app", second)).isEqualTo(200);

        instances.get(0).wiring().admin().accounts().deleteClient("moving-app");
        CLOCK.advance(RECHECK);
        assertThat(clientCredentials(1, "moving-app", second)).as("the deleted client on B").isEqualTo(401);
    }

    /** Each instance reloads its keys every key-reload-interval (an hour here): the test runs that reload itself. */
    @Test
    void keyRotationOnAWhenDoneThenBAndCPublishAndSignWithTheSameKeysAfterTheirNextReload() throws Exception {
        String active = instances.get(0).wiring().admin().keys().rotate(SigningAlgorithm.ES256);
        String next = instances.get(0).wiring().admin().keys().describe().stream()
                .filter(k -> k.state() == dev.jeton.model.KeyState.NEXT).findFirst().orElseThrow().kid();
        for (int i = 1; i < 3; i++) {
            instances.get(i).wiring().admin().keys().reload();
            JWKSet jwks = JWKSet.parse(Http.get(base(i) + "/oidc/jwks", null).body());
            assertThat(jwks.getKeyByKeyId(next)).isNotNull();
            assertThat(SignedJWT.parse(login(i).get("access_token").asText()).getHeader().getKeyID()).isEqualTo(active);
        }
    }

    @Test
    void sqliteStoreWhenCopiedToPostgresThenItsRefreshTokensStillWork() throws Exception {
        Path sqliteDir = dir.resolve("sqlite-origin");
        String refresh;
        String access;
        String secret;
        String password;
        try (Jetons.Running origin = Jetons.start(sqliteDir, Clock.systemUTC(), Map.of(dev.jeton.config.Setting.STORE, ""))) {
            secret = origin.demoSecret();
            password = origin.adminPassword();
            JsonNode tokens = JSON.readTree(Http.postForm(origin.baseUrl() + "/oidc/token", "grant_type=password&username=admin&password="
                    + password, Http.basic("demo", secret)).body());
            refresh = tokens.get("refresh_token").asText();
            access = tokens.get("access_token").asText();
        }
        String target = TestPostgres.newDatabase();
        try (Database from = Databases.open("sqlite:" + sqliteDir.resolve("jeton.db"), null, 2, null);
             Database to = Databases.open(target, null, 2, null)) {
            Map<String, Integer> copied = StoreCopy.copy(from, to);
            assertThat(copied.get("refresh_tokens")).isEqualTo(1);
            assertThat(copied.get("signing_keys")).as("ES256 and RS256, each active and next").isEqualTo(4);
        }
        Path movedDir = Files.createDirectories(dir.resolve("moved"));
        Files.writeString(movedDir.resolve("jeton.conf"), "store = " + target + "\nmaster-key-file = " + sqliteDir.resolve("master.key") + "\n");
        try (Jetons.Running moved = Jetons.start(movedDir)) {
            assertThat(moved.credentials()).isNull();
            assertThat(moved.wiring().admin().keys().verifySignature(SignedJWT.parse(access))).isTrue();
            HttpResponse<String> res = Http.postForm(moved.baseUrl() + "/oidc/token", "grant_type=refresh_token&refresh_token=" + refresh,
                    Http.basic("demo", secret));
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        }
    }
}
