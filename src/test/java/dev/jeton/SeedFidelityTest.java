package dev.jeton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.jeton.support.ClientApi;
import dev.jeton.support.ClientApi.Method;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.PythonClients;
import dev.jeton.support.PythonClients.Generator;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Python client generated from the OpenAPI documents Jeton serves is the seed client: the same
 * classes, methods, HTTP requests, positional and keyword parameters in the same order, parameter
 * names, types and defaults, body and return models, content types, base URL and auth schemes.
 *
 * <p>The seeds in {@code src/test/resources/seeds/} are copies of the contract: the API
 * documents of the clients generated from the original services' OpenAPI documents. This test
 * parses them ({@link ClientApi#parse}) and compares each with what the generator that made it
 * derives from the document fetched from a running Jeton ({@link PythonClients}); any drift of a
 * served document fails the build.
 */
class SeedFidelityTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    static Path dir;
    static Jetons.Running jeton;

    @BeforeAll
    static void start() { jeton = Jetons.start(dir); }

    @AfterAll
    static void stop() { jeton.close(); }

    /** A seed, the dialect whose document must reproduce it, and the generator that made it. */
    record Seed(String file, String dialect, Generator generator, boolean publicListener) {
        @Override
        public String toString() { return file; }

        ClientApi client() { return ClientApi.parse(resource("/seeds/" + file)); }
    }

    static Stream<Seed> seeds() {
        return Stream.of(
                new Seed("acr-AcrTokenApi.md", "registry", Generator.OPENAPI_GENERATOR, true),
                new Seed("acr-RefreshTokenApi.md", "registry", Generator.OPENAPI_GENERATOR, true),
                new Seed("occam-AuthApi.md", "occam", Generator.OPENAPI_GENERATOR, true),
                new Seed("imds-GetTokenApi.md", "imds", Generator.OPENAPI_GENERATOR, false),
                // swagger_client, made by swagger-codegen 3 from Run:ai's 2.18 document
                new Seed("runai-TokensApi.md", "runai", Generator.SWAGGER_CODEGEN, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void dialectDocumentWhenServedThenItsGeneratedClientIsTheSeed(Seed seed) {
        assertSameClient(PythonClients.of(served("/openapi/" + seed.dialect() + ".yaml"), seed.generator()), seed.client());
    }

    @Test
    void dialectDocumentsWhenServedThenNoApiClassBeyondTheSeeds() {
        Map<String, Set<String>> seeded = seeds().collect(Collectors.groupingBy(Seed::dialect,
                Collectors.mapping(s -> s.client().className(), Collectors.toSet())));
        seeded.forEach((dialect, classes) -> assertThat(PythonClients.of(served("/openapi/" + dialect + ".yaml"),
                Generator.OPENAPI_GENERATOR).keySet()).as(dialect).containsExactlyInAnyOrderElementsOf(classes));
    }

    /**
     * The combined document gives the same clients; its paths are relative to the public
     * listener that serves it ("/"), except IMDS's, which keep the IMDS listener's base.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void combinedDocumentWhenServedThenItsGeneratedClientIsTheSeedOnItsListener(Seed seed) {
        ClientApi expected = seed.publicListener() ? seed.client().withBaseUrl("/") : seed.client();
        assertSameClient(PythonClients.of(served("/openapi.yaml"), seed.generator()), expected);
    }

    /** A model of a served document and its fields (JSON key: Python type) in the original service's document. */
    record Model(String dialect, String name, List<String> fields) {
        @Override
        public String toString() { return dialect + " " + name; }
    }

    /**
     * The originals: the ACR data-plane document (2019-08-15) for the registry, Azure's imds.json
     * for IMDS, the Run:ai 2.18 document for Run:ai (as its generated swagger_client models show),
     * and the occam service's FastAPI models (SPEC.md).
     */
    static Stream<Model> models() {
        return Stream.of(
                new Model("registry", "AccessToken", List.of("access_token: str")),
                new Model("registry", "RefreshToken", List.of("refresh_token: str")),
                new Model("imds", "IdentityTokenResponse", List.of("access_token: str", "expires_in: str", "expires_on: str",
                        "ext_expires_in: str", "not_before: str", "resource: str", "token_type: str", "client_id: str", "object_id: str",
                        "msi_res_id: str")),
                new Model("occam", "AccessAndRefreshTokenResponse", List.of("token_type: str", "access_token: str (required)",
                        "expires_at: int (required)", "refresh_token: str (required)", "refresh_token_expires_at: int (required)")),
                new Model("occam", "AccessTokenResponse", List.of("token_type: str", "access_token: str (required)",
                        "expires_at: int (required)")),
                new Model("occam", "RefreshTokenRequest", List.of("refresh_token: str (required)")),
                new Model("runai", "AppTokenRequest", List.of("id: str (required)", "name: str (required)", "secret: str (required)")),
                new Model("runai", "AppTokenResponse", List.of("access_token: str (required)", "id_token: str (required)")),
                new Model("runai", "TokenRequest", List.of("grantType: str", "appID: str", "appSecret: str", "code: str", "redirectUri: str",
                        "refreshToken: str", "username: str", "password: str", "clientID: str")),
                new Model("runai", "TokenResponse", List.of("accessToken: str", "idToken: str", "refreshToken: str", "externalToken: str")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void modelWhenServedThenTheOriginalsFields(Model model) {
        assertThat(PythonClients.fields(served("/openapi/" + model.dialect() + ".yaml"), model.name())).isEqualTo(model.fields());
        assertThat(PythonClients.fields(served("/openapi.yaml"), model.name())).isEqualTo(model.fields());
    }

    /** The seed's class among the generated ones, with the same methods, each the same in every part (all differences reported). */
    private static void assertSameClient(Map<String, ClientApi> generated, ClientApi seed) {
        assertThat(generated).as("generated API classes").containsKey(seed.className());
        ClientApi actual = generated.get(seed.className());
        assertThat(actual.methods()).extracting(Method::name).as(seed.className() + " methods")
                .containsExactlyElementsOf(seed.methods().stream().map(Method::name).toList());
        SoftAssertions soft = new SoftAssertions();
        for (int i = 0; i < seed.methods().size(); i++) {
            Method expected = seed.methods().get(i);
            soft.assertThat(actual.methods().get(i)).as(seed.className() + "." + expected.name()).usingRecursiveComparison().isEqualTo(expected);
        }
        soft.assertAll();
    }

    private static JsonNode served(String path) {
        HttpResponse<String> res = Http.get(jeton.baseUrl() + path, null);
        assertThat(res.statusCode()).as(path).isEqualTo(200);
        try {
            return YAML.readTree(res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String path) {
        try (InputStream in = SeedFidelityTest.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing test resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
