package dev.jeton.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One browser without JavaScript against Jeton's pages: keeps the cookies it is given (by
 * name; {@code Max-Age=0} deletes), follows no redirect, and submits a page's form with its
 * hidden fields, as a user clicking a button would.
 */
public final class WebSession {
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final String base;

    public WebSession(String base) { this.base = base; }

    public HttpResponse<String> get(String url) {
        return keep(Http.send(withCookies(HttpRequest.newBuilder(URI.create(url))).GET().build()));
    }

    public HttpResponse<String> post(String path, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return keep(Http.send(withCookies(HttpRequest.newBuilder(URI.create(base + path)))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build()));
    }

    /** Posts the page's form: its hidden fields plus {@code fields} (a button's name and value, a password...). */
    public HttpResponse<String> submit(HttpResponse<String> page, Map<String, String> fields) {
        Map<String, String> form = hiddenFields(page.body());
        form.putAll(fields);
        return post("/oidc/authorize", form);
    }

    /** Logs in on a login page. */
    public HttpResponse<String> login(HttpResponse<String> page, String username, String password) {
        return submit(page, Map.of("username", username, "password", password));
    }

    public String cookie(String name) { return cookies.get(name); }

    public void forget(String name) { cookies.remove(name); }

    public static Map<String, String> hiddenFields(String html) {
        Map<String, String> form = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) form.put(m.group(1), m.group(2).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&"));
        return form;
    }

    private HttpRequest.Builder withCookies(HttpRequest.Builder b) {
        if (!cookies.isEmpty()) {
            StringBuilder header = new StringBuilder();
            cookies.forEach((k, v) -> header.append(header.isEmpty() ? "" : "; ").append(k).append('=').append(v));
            b.header("Cookie", header.toString());
        }
        return b;
    }

    private HttpResponse<String> keep(HttpResponse<String> res) {
        List<String> set = res.headers().allValues("Set-Cookie");
        for (String c : set) {
            String pair = c.split(";")[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (c.contains("Max-Age=0") || value.isEmpty()) cookies.remove(name);
            else cookies.put(name, value);
        }
        return res;
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
