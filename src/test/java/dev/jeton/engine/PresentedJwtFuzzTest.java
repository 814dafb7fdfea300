package dev.jeton.engine;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jeton.engine.registry.RegistryPrincipals;
import dev.jeton.keys.KeyRing;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.Origin;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenInfo;
import dev.jeton.model.TokenRequest;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every engine path that reads a JWT a client presents (introspection, userinfo, revocation,
 * registry exchange and refresh, Run:ai's external token exchange), on a real Jeton, with
 * garbage, forged tokens (any header, any claims, {@code alg: none}, our kid with a wrong
 * signature, tampered copies) and tokens we signed over arbitrary claims. A refusal is a
 * {@link Failure} the dialects can word, never another exception; a token Jeton did not sign
 * is never accepted.
 */
class PresentedJwtFuzzTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final List<String> CLAIMS = List.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope",
            "preferred_username", "grant_type", "tid", "xms_mirid", "sub_kind", "sub_id");
    private static final List<String> ALGORITHMS = List.of("none", "None", "ES256", "RS256", "HS256", "EdDSA", "PS256", "ES384", "");
    private static final Set<Reason> REFUSALS = Set.of(Reason.INVALID_TOKEN, Reason.INVALID_GRANT, Reason.INVALID_CLIENT,
            Reason.INVALID_REQUEST, Reason.UNAUTHORIZED_CLIENT, Reason.ACCESS_DENIED);

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static Engine engine;
    static KeyRing keys;
    static String issuer;
    static String kid;
    static ClientAuth demo;
    static String adminId;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        engine = jeton.wiring().engine();
        keys = jeton.wiring().admin().keys();
        issuer = jeton.wiring().issuer();
        kid = keys.activeKid().orElseThrow();
        demo = new ClientAuth("demo", new Secret(jeton.demoSecret()), ClientAuth.Method.BASIC);
        adminId = jeton.wiring().admin().accounts().users().stream().filter(u -> u.name().equals("admin")).findFirst().orElseThrow().id();
    }

    @AfterAll
    static void stop() { jeton.close(); }

    @FuzzTest(maxDuration = "2m")
    void presentedWhenAnyTokenThenRefusalOrAcceptedOnlyIfWeSignedIt(FuzzedDataProvider data) {
        boolean ours;
        String token;
        switch (data.consumeInt(0, 3)) {
            case 0 -> {
                ours = false;
                token = data.consumeString(600);
            }
            case 1 -> {
                ours = false;
                ObjectNode header = NODES.objectNode().put("alg", data.pickValue(ALGORITHMS));
                if (data.consumeBoolean()) header.put("kid", data.consumeBoolean() ? kid : data.consumeString(20));
                if (data.consumeBoolean()) header.put("typ", data.consumeString(10));
                token = part(data.consumeBoolean() ? header.toString() : data.consumeString(80)) + "." + part(claims(data)) + "."
                        + B64.encodeToString(data.consumeBytes(data.consumeInt(0, 96)));
            }
            case 2 -> {
                ours = true;
                token = keys.sign(claims(data));
            }
            default -> {
                String signed = keys.sign(claims(data));
                char[] chars = signed.toCharArray();
                int at = data.consumeInt(0, chars.length - 1);
                char replacement = data.consumeChar();
                ours = chars[at] == replacement;
                chars[at] = replacement;
                token = new String(chars);
            }
        }

        TokenInfo info = engine.introspect(demo, token);
        if (!ours) assertThat(info.active()).as("introspection of a token we did not sign").isFalse();
        refusedUnlessOurs(ours, () -> engine.userInfo(token));
        refusedUnlessOurs(ours, () -> engine.issue(new TokenRequest.RegistryExchange("registry", ClientAuth.none("registry"),
                "access_token", "fuzz-registry", null, new Secret(token), null)));
        refusedUnlessOurs(ours, () -> engine.issue(new TokenRequest.RegistryExchange("registry", ClientAuth.none("registry"),
                "refresh_token", "fuzz-registry", null, null, new Secret(token))));
        refusedUnlessOurs(ours, () -> engine.issue(new TokenRequest.RegistryAccess("registry", ClientAuth.none("registry"),
                RegistryPrincipals.REFRESH_TOKEN_USER, new Secret(token), "fuzz-registry", List.of(), false, null)));
        refusedUnlessOurs(ours, () -> engine.issue(new TokenRequest.ExternalToken("runai", ClientAuth.none("runai"), new Secret(token))));
        // RFC 7009 2.2: revoking an invalid token is not an error; one of ours issued to another client is refused.
        if (ours) {
            refusedUnlessOurs(true, () -> {
                engine.revoke("oauth2", demo, token, Origin.LOCAL);
                return null;
            });
        } else {
            engine.revoke("oauth2", demo, token, Origin.LOCAL);
        }
    }

    private static void refusedUnlessOurs(boolean ours, Supplier<?> call) {
        try {
            call.get();
        } catch (Failure f) {
            assertThat(f.reason()).as(f.detail()).isIn(REFUSALS);
            return;
        }
        if (!ours) fail("accepted a token that Jeton did not sign");
    }

    /** Claims of any shape: ours and others' issuers, times around now, wrong types, or no JSON at all. */
    private static String claims(FuzzedDataProvider data) {
        if (data.consumeInt(0, 7) == 0) return data.consumeString(200);
        ObjectNode claims = NODES.objectNode();
        int count = data.consumeInt(0, 10);
        for (int i = 0; i < count; i++) claims.set(data.pickValue(CLAIMS), value(data));
        return claims.toString();
    }

    private static JsonNode value(FuzzedDataProvider data) {
        long now = System.currentTimeMillis() / 1000;
        return switch (data.consumeInt(0, 8)) {
            case 0 -> NODES.textNode(issuer);
            case 1 -> NODES.textNode(issuer + "/" + data.consumeString(12));
            case 2 -> NODES.numberNode(now + data.consumeLong(-100_000, 100_000));
            case 3 -> NODES.textNode(data.pickValue(List.of(adminId, "admin", "demo", "refresh_token", "registry", "runai")));
            case 4 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = data.consumeInt(0, 3); i > 0; i--) array.add(data.consumeString(12));
                yield array;
            }
            case 5 -> NODES.nullNode();
            case 6 -> NODES.objectNode().put(data.consumeString(6), data.consumeString(6));
            case 7 -> NODES.numberNode(data.consumeDouble());
            default -> NODES.textNode(data.consumeString(40));
        };
    }

    private static String part(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
