package dev.jeton.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI documents in {@code src/main/resources/openapi}: the contract of each dialect,
 * served as they are, plus one combined document. Read on the first request, not at start:
 * parsing the YAML costs a third of a second that a starting token server should not wait for.
 */
public final class OpenApiDocs {
    /** The value of a document's {@code x-jeton-listener} whose paths are on the public listener. */
    static final String PUBLIC = "public";

    private final List<String> dialects;
    private final List<String> apart;
    private volatile Loaded loaded;

    public OpenApiDocs(List<String> dialects) {
        this(dialects, List.of());
    }

    /**
     * @param apart documents served on their own but left out of the combined one: the admin API
     *              is a different audience (operators' automation) from the token dialects' clients
     */
    public OpenApiDocs(List<String> dialects, List<String> apart) {
        this.dialects = List.copyOf(dialects);
        this.apart = List.copyOf(apart);
    }

    public byte[] document(String dialect) {
        byte[] doc = loaded().byDialect().get(dialect);
        return doc != null || !apart.contains(dialect) ? doc : resource("/openapi/" + dialect + ".yaml");
    }

    public byte[] combined() { return loaded().combined(); }

    private Loaded loaded() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (this) {
                if (loaded == null) loaded = Loaded.read(dialects);
                l = loaded;
            }
        }
        return l;
    }

    private record Loaded(Map<String, byte[]> byDialect, byte[] combined) {
        static Loaded read(List<String> dialects) {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            Map<String, byte[]> byDialect = new LinkedHashMap<>();
            Map<String, JsonNode> trees = new LinkedHashMap<>();
            for (String name : dialects) {
                byte[] doc = resource("/openapi/" + name + ".yaml");
                if (doc == null) continue;
                byDialect.put(name, doc);
                try {
                    trees.put(name, yaml.readTree(doc));
                } catch (IOException e) {
                    throw new UncheckedIOException("OpenAPI document " + name + ".yaml is not valid YAML", e);
                }
            }
            try {
                return new Loaded(byDialect, trees.isEmpty() ? new byte[0] : yaml.writeValueAsBytes(combine(trees)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * One document with every dialect's paths, tags and components. Two documents that define
     * the same component, path, tag or operationId differently are refused rather than one
     * silently replacing the other (a client generated from the combined document would get
     * the wrong model). Paths of a document on another listener than the public one (IMDS)
     * carry that document's servers, so that no client sends them to the public listener.
     */
    static ObjectNode combine(Map<String, JsonNode> documents) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode combined = json.objectNode();
        combined.set("openapi", documents.values().iterator().next().get("openapi"));
        combined.putObject("info").put("title", "Jeton (all dialects)").put("version", "1.0").put("description",
                "Every dialect's document in one. Paths are on Jeton's public listener, where this document is served,"
                        + " except those with servers of their own (IMDS: the node-local listener).");
        combined.putArray("servers").addObject().put("url", "/").put("description", "Jeton's public listener");
        Clashes clashes = new Clashes();
        for (Map.Entry<String, JsonNode> entry : documents.entrySet()) {
            String name = entry.getKey();
            JsonNode doc = entry.getValue();
            String listener = doc.path("x-jeton-listener").asText("");
            if (listener.isEmpty()) throw new IllegalStateException(name + ".yaml: x-jeton-listener is missing (public, or the side listener that serves it)");
            boolean onPublic = PUBLIC.equals(listener);
            if (!onPublic && !doc.path("servers").isArray()) throw new IllegalStateException(name + ".yaml: not on the public listener, so it needs servers");
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                ObjectNode item = path.getValue().deepCopy();
                if (!onPublic) item.set("servers", doc.get("servers"));
                if (clashes.isNew("paths", path.getKey(), item, name)) combined.withObjectProperty("paths").set(path.getKey(), item);
                for (JsonNode operation : item) {
                    if (operation.has("operationId")) clashes.claim("operationId", operation.get("operationId").asText(), name);
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> sections = doc.path("components").fields(); sections.hasNext(); ) {
                Map.Entry<String, JsonNode> section = sections.next();
                ObjectNode into = combined.withObjectProperty("components").withObjectProperty(section.getKey());
                section.getValue().fields().forEachRemaining(c -> {
                    if (clashes.isNew("components." + section.getKey(), c.getKey(), c.getValue(), name)) into.set(c.getKey(), c.getValue());
                });
            }
            ArrayNode tags = combined.withArrayProperty("tags");
            for (JsonNode tag : doc.path("tags")) {
                if (clashes.isNew("tags", tag.path("name").asText(), tag, name)) tags.add(tag);
            }
        }
        return combined;
    }

    /** Who defined what so far; refuses a second, different definition of the same name. */
    private static final class Clashes {
        private final Map<String, JsonNode> values = new HashMap<>();
        private final Map<String, String> owners = new HashMap<>();

        /** True the first time; false for the same definition again; a different one throws. */
        boolean isNew(String where, String key, JsonNode value, String document) {
            String id = where + "." + key;
            JsonNode existing = values.putIfAbsent(id, value);
            if (existing == null) {
                owners.put(id, document);
                return true;
            }
            if (!existing.equals(value)) {
                throw new IllegalStateException("OpenAPI documents clash: " + id + " of " + document + ".yaml differs from that of "
                        + owners.get(id) + ".yaml; rename one of them");
            }
            return false;
        }

        void claim(String where, String key, String document) {
            String owner = owners.putIfAbsent(where + "." + key, document);
            if (owner != null && !owner.equals(document)) {
                throw new IllegalStateException("OpenAPI documents clash: " + where + " " + key + " is in " + owner + ".yaml and "
                        + document + ".yaml; rename one of them");
            }
        }
    }

    private static byte[] resource(String path) {
        try (InputStream in = OpenApiDocs.class.getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
