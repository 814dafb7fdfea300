package dev.jeton.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI documents in {@code src/main/resources/openapi}: the contract of each dialect,
 * served as they are, plus one combined document (paths, tags and components merged). Read on
 * the first request, not at start: parsing the YAML costs a third of a second that a starting
 * token server should not wait for.
 */
public final class OpenApiDocs {
    private final List<String> dialects;
    private volatile Loaded loaded;

    public OpenApiDocs(List<String> dialects) {
        this.dialects = List.copyOf(dialects);
    }

    public byte[] document(String dialect) { return loaded().byDialect().get(dialect); }

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
            ObjectNode merged = null;
            for (String name : dialects) {
                byte[] doc = resource("/openapi/" + name + ".yaml");
                if (doc == null) continue;
                byDialect.put(name, doc);
                try {
                    JsonNode tree = yaml.readTree(doc);
                    merged = merged == null ? combinedBase(tree) : merge(merged, tree);
                } catch (IOException e) {
                    throw new UncheckedIOException("OpenAPI document " + name + ".yaml is not valid YAML", e);
                }
            }
            try {
                return new Loaded(byDialect, merged == null ? new byte[0] : yaml.writeValueAsBytes(merged));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static ObjectNode combinedBase(JsonNode first) {
        ObjectNode base = first.deepCopy();
        ((ObjectNode) base.with("info")).put("title", "Jeton (all dialects)");
        return base;
    }

    private static ObjectNode merge(ObjectNode into, JsonNode doc) {
        mergeObject(into.with("paths"), doc.path("paths"));
        JsonNode components = doc.path("components");
        for (Iterator<String> it = components.fieldNames(); it.hasNext(); ) {
            String section = it.next();
            mergeObject(into.with("components").with(section), components.path(section));
        }
        if (doc.has("tags")) into.withArray("tags").addAll((com.fasterxml.jackson.databind.node.ArrayNode) doc.get("tags"));
        return into;
    }

    private static void mergeObject(ObjectNode into, JsonNode from) {
        from.fields().forEachRemaining(e -> into.set(e.getKey(), e.getValue()));
    }

    private static byte[] resource(String path) {
        try (InputStream in = OpenApiDocs.class.getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
