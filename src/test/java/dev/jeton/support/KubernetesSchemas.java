package dev.jeton.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.google.gson.JsonParser;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders kustomizations with {@code kubectl kustomize} (kubectl ships with this machine's image;
 * no cluster is needed) and checks each object against the Kubernetes API's OpenAPI models from
 * the official Java client: each {@code V1<Kind>.validateJsonElement} rejects unknown fields,
 * missing required fields and wrong types, recursively.
 */
public final class KubernetesSchemas {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private KubernetesSchemas() {
    }

    /** The objects {@code kubectl kustomize dir} renders. */
    public static List<JsonNode> render(Path dir) throws Exception {
        Path kubectl = Path.of("/usr/bin/kubectl");
        if (!java.nio.file.Files.isExecutable(kubectl)) {
            throw new IllegalStateException("kubectl (with its built-in kustomize) is needed to render deploy/kubernetes: "
                    + "it comes with this machine's image; elsewhere install kubectl 1.27 or newer");
        }
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("kubectl kustomize " + dir + ":\n" + err);
        return documents(out);
    }

    public static List<JsonNode> documents(String yaml) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(yaml)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) docs.add(doc);
            }
        }
        return docs;
    }

    /** Checks one object against its kind's model; throws with the API's own words when it does not fit. */
    public static void validate(JsonNode object) throws Exception {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        String model = "io.kubernetes.client.openapi.models." + Character.toUpperCase(version.charAt(0)) + version.substring(1) + kind;
        Class<?> type;
        try {
            type = Class.forName(model);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no Kubernetes API model for " + apiVersion + " " + kind);
        }
        Method validate = type.getMethod("validateJsonElement", com.google.gson.JsonElement.class);
        try {
            validate.invoke(null, JsonParser.parseString(JSON.writeValueAsString(object)));
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(kind + " " + object.path("metadata").path("name").asText() + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }
}
