package dev.jeton.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The combined {@code /openapi.yaml}: every dialect's paths and components exactly as in its own
 * document (a clash is refused, never resolved by one replacing the other), IMDS's path on the
 * node-local listener that serves it.
 */
class CombinedOpenApiTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> DIALECTS = List.of("oauth2", "occam", "registry", "runai", "imds");

    @TempDir
    static Path dir;
    static Jetons.Running jeton;

    @BeforeAll
    static void start() { jeton = Jetons.start(dir); }

    @AfterAll
    static void stop() { jeton.close(); }

    @Test
    void combinedWhenServedThenEveryDialectsComponentsAndPathsAsInItsOwnDocument() {
        JsonNode combined = served("/openapi.yaml");
        for (String dialect : DIALECTS) {
            JsonNode doc = served("/openapi/" + dialect + ".yaml");
            doc.path("components").fields().forEachRemaining(section -> section.getValue().fields().forEachRemaining(c ->
                    assertThat(combined.path("components").path(section.getKey()).get(c.getKey()))
                            .as(dialect + " components." + section.getKey() + "." + c.getKey()).isEqualTo(c.getValue())));
            doc.path("paths").fields().forEachRemaining(p -> {
                ObjectNode item = combined.path("paths").get(p.getKey()).deepCopy();
                item.remove("servers");
                assertThat(item).as(dialect + " " + p.getKey()).isEqualTo(p.getValue());
            });
        }
        // OAuth2's and Run:ai's token responses side by side, neither replacing the other
        assertThat(combined.at("/components/schemas/OAuth2TokenResponse/properties").has("access_token")).isTrue();
        assertThat(combined.at("/components/schemas/TokenResponse/properties").has("accessToken")).isTrue();
    }

    @Test
    void combinedWhenServedThenImdsPathOnTheNodeLocalListenerAndTheOthersOnThePublicOne() {
        JsonNode combined = served("/openapi.yaml");
        JsonNode imds = served("/openapi/imds.yaml");
        assertThat(combined.at("/servers/0/url").asText()).isEqualTo("/");
        assertThat(combined.at("/paths/~1identity~1oauth2~1token/servers")).isEqualTo(imds.get("servers"));
        assertThat(combined.at("/paths/~1identity~1oauth2~1token/servers/0/url").asText()).isEqualTo("http://169.254.169.254/metadata");
        List<String> onTheirOwnServers = new ArrayList<>();
        combined.path("paths").fields().forEachRemaining(p -> {
            if (p.getValue().has("servers")) onTheirOwnServers.add(p.getKey());
        });
        assertThat(onTheirOwnServers).containsExactly("/identity/oauth2/token");
    }

    @Test
    void combineWhenTwoDocumentsDefineASchemaDifferentlyThenRefused() {
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        docs.put("oauth2", yaml("{x-jeton-listener: public, components: {schemas: {TokenResponse: {properties: {access_token: {type: string}}}}}}"));
        docs.put("runai", yaml("{x-jeton-listener: public, components: {schemas: {TokenResponse: {properties: {accessToken: {type: string}}}}}}"));
        assertThatThrownBy(() -> OpenApiDocs.combine(docs)).isInstanceOf(IllegalStateException.class)
                .hasMessage("OpenAPI documents clash: components.schemas.TokenResponse of runai.yaml differs from that of oauth2.yaml;"
                        + " rename one of them");
    }

    @Test
    void combineWhenTwoDocumentsDefineASchemaAlikeThenOneCopy() {
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        docs.put("a", yaml("{x-jeton-listener: public, tags: [{name: T}], components: {schemas: {Error: {type: object}}}}"));
        docs.put("b", yaml("{x-jeton-listener: public, tags: [{name: T}], components: {schemas: {Error: {type: object}}}}"));
        JsonNode combined = OpenApiDocs.combine(docs);
        assertThat(combined.at("/components/schemas/Error")).isEqualTo(yaml("{type: object}"));
        assertThat(combined.get("tags")).hasSize(1);
    }

    @Test
    void combineWhenTwoDocumentsShareAPathOrOperationIdThenRefused() {
        Map<String, JsonNode> samePath = new LinkedHashMap<>();
        samePath.put("a", yaml("{x-jeton-listener: public, paths: {/token: {post: {operationId: a}}}}"));
        samePath.put("b", yaml("{x-jeton-listener: public, paths: {/token: {post: {operationId: b}}}}"));
        assertThatThrownBy(() -> OpenApiDocs.combine(samePath)).hasMessageContaining("paths./token of b.yaml differs");
        Map<String, JsonNode> sameId = new LinkedHashMap<>();
        sameId.put("a", yaml("{x-jeton-listener: public, paths: {/a: {post: {operationId: token}}}}"));
        sameId.put("b", yaml("{x-jeton-listener: public, paths: {/b: {post: {operationId: token}}}}"));
        assertThatThrownBy(() -> OpenApiDocs.combine(sameId)).hasMessage(
                "OpenAPI documents clash: operationId token is in a.yaml and b.yaml; rename one of them");
    }

    @Test
    void combineWhenADocumentDoesNotSayItsListenerOrIsOffThePublicOneWithoutServersThenRefused() {
        assertThatThrownBy(() -> OpenApiDocs.combine(Map.of("x", yaml("{paths: {}}")))).hasMessageStartingWith("x.yaml: x-jeton-listener is missing");
        assertThatThrownBy(() -> OpenApiDocs.combine(Map.of("imds", yaml("{x-jeton-listener: imds, paths: {}}"))))
                .hasMessage("imds.yaml: not on the public listener, so it needs servers");
    }

    private static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode served(String path) {
        HttpResponse<String> res = Http.get(jeton.baseUrl() + path, null);
        assertThat(res.statusCode()).as(path).isEqualTo(200);
        return yaml(res.body());
    }
}
