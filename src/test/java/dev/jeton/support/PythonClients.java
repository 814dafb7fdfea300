package dev.jeton.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.support.ClientApi.Method;
import dev.jeton.support.ClientApi.Param;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The API classes a Python client generator makes from an OpenAPI 3 document, by the rules of
 * the generators that made the seed clients (checked against their output for Jeton's
 * documents: openapi-generator 7.9.0 {@code -g python} and swagger-codegen 3.0.61
 * {@code -l python}):
 * <ul>
 * <li>class: each tag of an operation, camel-cased, plus {@code Api} (tag {@code AcrToken}
 * gives {@code AcrTokenApi}; an operation with two tags is in both classes);</li>
 * <li>method: the operationId in snake_case; openapi-generator 7.9.0 counts operationIds over
 * all classes, so an operation's copy under its second tag is named {@code <id>_0}
 * (7.10 and later count per class and drop the suffix);</li>
 * <li>parameters: names in snake_case ({@code Metadata} gives {@code metadata},
 * {@code api-version} {@code api_version}); a form body becomes one parameter per property,
 * a JSON body one parameter named by {@code x-codegen-request-body-name}, else the model's
 * name in snake_case (openapi-generator) or {@code body} (swagger-codegen); openapi-generator
 * lists the parameters in document order and the body last, swagger-codegen the body first;
 * then both move the required ones before the optional ones, keeping their order. A form
 * property is required when its schema lists it (openapi-generator) or when the request body
 * is (swagger-codegen);</li>
 * <li>base URL: the first server (openapi-generator fills in the variables' defaults,
 * swagger-codegen does not), a path's or operation's own servers first;</li>
 * <li>auth: the scheme names of the operation's security (else the document's), {@code {}}
 * adding none; content types: the request body's, and those of all responses.</li>
 * </ul>
 */
public final class PythonClients {
    public enum Generator { OPENAPI_GENERATOR, SWAGGER_CODEGEN }

    private static final List<String> HTTP_METHODS = List.of("get", "head", "put", "post", "delete", "patch", "options", "trace");
    private static final Pattern VARIABLE = Pattern.compile("\\{(\\w+)}");

    private PythonClients() {
    }

    /** Every class the generator would make from {@code doc}, by class name. */
    public static Map<String, ClientApi> of(JsonNode doc, Generator generator) {
        Map<String, List<Method>> byClass = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Map.Entry<String, JsonNode> path : fields(doc.path("paths"))) {
            for (String httpMethod : HTTP_METHODS) {
                JsonNode op = path.getValue().get(httpMethod);
                if (op == null) continue;
                String id = snake(op.path("operationId").asText());
                String base = baseUrl(op.has("servers") ? op : path.getValue().has("servers") ? path.getValue() : doc, generator);
                for (JsonNode tag : op.path("tags")) {
                    String className = camel(tag.asText()) + "Api";
                    List<Method> inClass = byClass.computeIfAbsent(className, k -> new ArrayList<>());
                    String name = uniqueName(id, generator == Generator.OPENAPI_GENERATOR ? seen : perClass(inClass));
                    inClass.add(method(doc, path.getKey(), httpMethod, op, name, base, generator));
                }
            }
        }
        Map<String, ClientApi> apis = new LinkedHashMap<>();
        byClass.forEach((name, methods) -> apis.put(name, new ClientApi(name, methods)));
        return apis;
    }

    /** openapi-generator 7.9.0: the n-th use of an id (n from 2) is {@code id_(n-2)}. */
    private static String uniqueName(String id, Map<String, Integer> seen) {
        int uses = seen.merge(id, 1, Integer::sum);
        return uses == 1 ? id : id + "_" + (uses - 2);
    }

    private static Map<String, Integer> perClass(List<Method> inClass) {
        Map<String, Integer> seen = new HashMap<>();
        inClass.forEach(m -> seen.merge(m.name(), 1, Integer::sum));
        return seen;
    }

    private static Method method(JsonNode doc, String path, String httpMethod, JsonNode op, String name, String base, Generator generator) {
        List<Param> params = params(doc, op, generator);
        String returnType = returnType(doc, op);
        String args = params.stream().map(p -> p.required() ? p.name() : p.name() + "=" + p.name()).collect(Collectors.joining(", "));
        String signature = (returnType == null ? "" : returnType + " ") + name + "(" + args + ")";
        JsonNode body = resolve(doc, op.path("requestBody"));
        String contentType = body.path("content").isObject() ? String.join(", ", names(body.path("content"))) : "Not defined";
        Set<String> produces = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> response : fields(op.path("responses"))) {
            produces.addAll(names(resolve(doc, response.getValue()).path("content")));
        }
        return new Method(name, httpMethod.toUpperCase(Locale.ROOT), path, op.path("summary").asText(""), signature, params,
                returnType == null ? "void (empty response body)" : returnType, auth(doc, op), contentType,
                produces.isEmpty() ? "Not defined" : String.join(", ", produces), base);
    }

    private static List<Param> params(JsonNode doc, JsonNode op, Generator generator) {
        List<Param> declared = new ArrayList<>();
        for (JsonNode p : op.path("parameters")) {
            JsonNode param = resolve(doc, p);
            JsonNode schema = resolve(doc, param.path("schema"));
            declared.add(new Param(snake(param.path("name").asText()), type(param.path("schema")), param.path("required").asBoolean(false),
                    literal(schema.get("default"))));
        }
        List<Param> body = bodyParams(doc, op, generator);
        List<Param> all = new ArrayList<>(generator == Generator.OPENAPI_GENERATOR ? declared : body);
        all.addAll(generator == Generator.OPENAPI_GENERATOR ? body : declared);
        all.sort(Comparator.comparing(p -> !p.required())); // stable: required first, each in its order
        return all;
    }

    private static List<Param> bodyParams(JsonNode doc, JsonNode op, Generator generator) {
        JsonNode body = resolve(doc, op.path("requestBody"));
        if (!body.path("content").isObject()) return List.of();
        boolean bodyRequired = body.path("required").asBoolean(false);
        String contentType = names(body.path("content")).getFirst();
        JsonNode schemaRef = body.path("content").path(contentType).path("schema");
        JsonNode schema = resolve(doc, schemaRef);
        if (contentType.equals("application/x-www-form-urlencoded") || contentType.equals("multipart/form-data")) {
            Set<String> required = new LinkedHashSet<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            List<Param> form = new ArrayList<>();
            for (Map.Entry<String, JsonNode> property : fields(schema.path("properties"))) {
                boolean isRequired = generator == Generator.OPENAPI_GENERATOR ? required.contains(property.getKey()) : bodyRequired;
                form.add(new Param(snake(property.getKey()), type(property.getValue()), isRequired,
                        literal(resolve(doc, property.getValue()).get("default"))));
            }
            return form;
        }
        String name = op.has("x-codegen-request-body-name") ? op.get("x-codegen-request-body-name").asText()
                : generator == Generator.SWAGGER_CODEGEN ? "body" : snake(type(schemaRef));
        return List.of(new Param(name, type(schemaRef), bodyRequired, null));
    }

    /**
     * A model's fields as {@code name: type}, {@code (required)} added to the required ones:
     * the JSON keys (a generated model's attributes are their snake_case) and Python types.
     */
    public static List<String> fields(JsonNode doc, String model) {
        JsonNode schema = doc.path("components").path("schemas").path(model);
        if (schema.isMissingNode()) throw new IllegalArgumentException("no model " + model);
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        List<String> fields = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : fields(schema.path("properties"))) {
            fields.add(property.getKey() + ": " + type(property.getValue()) + (required.contains(property.getKey()) ? " (required)" : ""));
        }
        return fields;
    }

    /** The 2xx response's model: what the method returns. */
    private static String returnType(JsonNode doc, JsonNode op) {
        for (Map.Entry<String, JsonNode> response : fields(op.path("responses"))) {
            if (!response.getKey().startsWith("2")) continue;
            JsonNode content = resolve(doc, response.getValue()).path("content");
            for (Map.Entry<String, JsonNode> media : fields(content)) {
                if (media.getValue().has("schema")) return type(media.getValue().get("schema"));
            }
        }
        return null;
    }

    private static List<String> auth(JsonNode doc, JsonNode op) {
        JsonNode security = op.has("security") ? op.get("security") : doc.path("security");
        Set<String> schemes = new LinkedHashSet<>();
        for (JsonNode requirement : security) schemes.addAll(names(requirement));
        return List.copyOf(schemes);
    }

    private static String baseUrl(JsonNode holder, Generator generator) {
        JsonNode server = holder.path("servers").path(0);
        if (server.isMissingNode()) return "http://localhost";
        String url = server.path("url").asText();
        if (generator == Generator.SWAGGER_CODEGEN) return url;
        Matcher m = VARIABLE.matcher(url);
        return m.replaceAll(v -> Matcher.quoteReplacement(server.path("variables").path(v.group(1)).path("default").asText()));
    }

    /** A schema's Python type: a model's name, or the primitive. Anything else fails, so an unexpected schema is noticed. */
    private static String type(JsonNode schema) {
        if (schema.has("$ref")) return refName(schema);
        return switch (schema.path("type").asText()) {
            case "string" -> "str";
            case "integer" -> "int";
            case "boolean" -> "bool";
            case "number" -> "float";
            default -> throw new IllegalArgumentException("no Python type for " + schema);
        };
    }

    private static String literal(JsonNode value) {
        if (value == null) return null;
        return value.isTextual() ? "'" + value.asText() + "'" : value.toString();
    }

    /** Follows a local {@code $ref} ({@code #/components/...}). */
    static JsonNode resolve(JsonNode doc, JsonNode node) {
        if (!node.has("$ref")) return node;
        return doc.at(node.get("$ref").asText().substring(1));
    }

    private static String refName(JsonNode node) {
        String ref = node.get("$ref").asText();
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    /** snake_case as the Python generators write names: {@code api-version} gives {@code api_version}. */
    public static String snake(String name) {
        String s = name.replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2").replaceAll("([a-z\\d])([A-Z])", "$1_$2");
        return s.replaceAll("[^A-Za-z0-9]+", "_").toLowerCase(Locale.ROOT);
    }

    /** CamelCase of a tag, as the generators name classes: {@code get token} gives {@code GetToken}. */
    public static String camel(String tag) {
        StringBuilder out = new StringBuilder();
        for (String part : tag.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode object) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        object.fields().forEachRemaining(fields::add);
        return fields;
    }
}
