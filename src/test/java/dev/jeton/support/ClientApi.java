package dev.jeton.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One API class of a generated Python client, as its API document ({@code docs/<Class>.md},
 * written by openapi-generator's and swagger-codegen's python generators) describes it: what a
 * user of the client sees. {@link #parse} reads such a document; {@link PythonClients} derives
 * the same from an OpenAPI document, so the two can be compared.
 */
public record ClientApi(String className, List<Method> methods) {
    public ClientApi {
        methods = methods.stream().sorted(Comparator.comparing(Method::name)).toList();
    }

    /**
     * One method. {@code signature} is the line the document shows ({@code AccessToken
     * get_acr_access_token(grant_type, service, scope, refresh_token)}): its return type, name,
     * positional (required) parameters in order, then the keyword (optional) ones in order.
     * {@code baseUrl} is what its URIs are relative to.
     */
    public record Method(String name, String httpMethod, String path, String summary, String signature, List<Param> params,
                         String returnType, List<String> auth, String contentType, String accept, String baseUrl) {
        public Method withBaseUrl(String url) {
            return new Method(name, httpMethod, path, summary, signature, params, returnType, auth, contentType, accept, url);
        }
    }

    /** {@code type} is the Python type ({@code str}) or the model's name; {@code defaultValue} a Python literal or null. */
    public record Param(String name, String type, boolean required, String defaultValue) {
    }

    public ClientApi withBaseUrl(String url) {
        return new ClientApi(className, methods.stream().map(m -> m.withBaseUrl(url)).toList());
    }

    private static final Pattern CLASS = Pattern.compile("^# \\w+\\.(\\w+)$", Pattern.MULTILINE);
    private static final Pattern BASE = Pattern.compile("^All URIs are relative to \\*(.*)\\*$", Pattern.MULTILINE);
    private static final Pattern ROW = Pattern.compile("^\\[\\*\\*(\\w+)\\*\\*]\\([^)]*\\) \\| \\*\\*(\\w+)\\*\\* (\\S+) \\| (.*)$", Pattern.MULTILINE);
    private static final Pattern PARAM = Pattern.compile("^ \\*\\*(\\w+)\\*\\* \\| (?:\\*\\*([^*]+)\\*\\*|\\[\\*\\*(\\w+)\\*\\*]\\([^)]*\\))\\|(.*)$");
    private static final Pattern DEFAULT = Pattern.compile("\\[default to (.*?)]");
    private static final Pattern LINK_NAME = Pattern.compile("\\[(\\w+)]\\(");
    private static final Pattern MODEL = Pattern.compile("^\\[\\*\\*(\\w+)\\*\\*]\\(");

    /** Reads a generated client's API document; anything it cannot read fails loudly. */
    public static ClientApi parse(String markdown) {
        String className = group(CLASS, markdown, "the class heading");
        String base = group(BASE, markdown, "All URIs are relative to");
        List<Method> methods = new ArrayList<>();
        Matcher row = ROW.matcher(markdown);
        while (row.find()) {
            String name = row.group(1);
            String section = section(markdown, name);
            methods.add(new Method(name, row.group(2), row.group(3), row.group(4).strip(), signature(section, name), params(section),
                    returnType(section), auth(section), header(section, "Content-Type"), header(section, "Accept"), base));
        }
        if (methods.isEmpty()) throw new IllegalArgumentException("no method table in the document of " + className);
        return new ClientApi(className, methods);
    }

    /** The text from {@code # **name**} to the next method's heading. */
    private static String section(String markdown, String name) {
        int start = markdown.indexOf("\n# **" + name + "**\n");
        if (start < 0) throw new IllegalArgumentException("no section for " + name);
        int end = markdown.indexOf("\n# **", start + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    private static String signature(String section, String name) {
        String line = group(Pattern.compile("^> (.*)$", Pattern.MULTILINE), section, "the signature of " + name);
        if (!line.contains(" " + name + "(")) throw new IllegalArgumentException("signature of another method under " + name + ": " + line);
        return line;
    }

    private static List<Param> params(String section) {
        List<Param> params = new ArrayList<>();
        for (String line : block(section, "### Parameters")) {
            Matcher m = PARAM.matcher(line);
            if (!m.matches()) continue;
            String notes = m.group(4).substring(m.group(4).lastIndexOf(" | ") + 3);
            Matcher d = DEFAULT.matcher(notes);
            params.add(new Param(m.group(1), m.group(2) != null ? m.group(2) : m.group(3), !notes.contains("[optional]"),
                    d.find() ? unescape(d.group(1)) : null));
        }
        return params;
    }

    private static String returnType(String section) {
        String line = block(section, "### Return type").getFirst();
        Matcher m = MODEL.matcher(line);
        return m.find() ? m.group(1) : line;
    }

    private static List<String> auth(String section) {
        String line = block(section, "### Authorization").getFirst();
        if (line.equals("No authorization required")) return List.of();
        List<String> names = new ArrayList<>();
        Matcher m = LINK_NAME.matcher(line);
        while (m.find()) names.add(m.group(1));
        if (names.isEmpty()) throw new IllegalArgumentException("unreadable authorization: " + line);
        return names;
    }

    private static String header(String section, String name) {
        String prefix = " - **" + name + "**: ";
        return block(section, "### HTTP request headers").stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + name + " header")).substring(prefix.length()).strip();
    }

    /** The non-blank lines under a {@code ###} heading, up to the next heading. */
    private static List<String> block(String section, String heading) {
        int start = section.indexOf("\n" + heading + "\n");
        if (start < 0) throw new IllegalArgumentException("no " + heading);
        List<String> lines = new ArrayList<>();
        for (String line : section.substring(start + heading.length() + 2).split("\n")) {
            if (line.startsWith("#") || line.startsWith("[[Back to top]]")) break;
            if (!line.isBlank()) lines.add(line);
        }
        if (lines.isEmpty()) throw new IllegalArgumentException("nothing under " + heading);
        return lines;
    }

    private static String group(Pattern pattern, String text, String what) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) throw new IllegalArgumentException("no " + what);
        return m.group(1);
    }

    private static String unescape(String html) {
        return html.replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
