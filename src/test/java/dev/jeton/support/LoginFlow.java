package dev.jeton.support;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Walks the authorization code flow over plain HTTP, as a browser without JavaScript would. */
public final class LoginFlow {
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private LoginFlow() {
    }

    public static String verifier() { return "v".repeat(20) + "-verifier-for-pkce-tests-0123456789"; }

    public static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    public static String authorizeUrl(String base, String clientId, String redirectUri, String scope, String state, String challenge) {
        StringBuilder url = new StringBuilder(base + "/oidc/authorize?response_type=code&client_id=" + enc(clientId)
                + "&redirect_uri=" + enc(redirectUri) + "&state=" + enc(state));
        if (scope != null) url.append("&scope=").append(enc(scope)).append("&nonce=n-0S6_WzA2Mj");
        if (challenge != null) url.append("&code_challenge=").append(challenge).append("&code_challenge_method=S256");
        return url.toString();
    }

    /** The login page, then the form post; returns the final response (302 on success). */
    public static HttpResponse<String> login(String authorizeUrl, String username, String password) {
        HttpResponse<String> page = Http.get(authorizeUrl, null);
        if (page.statusCode() != 200) return page;
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        Map<String, String> form = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(page.body());
        while (m.find()) form.put(m.group(1), m.group(2).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&lt;", "<").replace("&gt;", ">"));
        form.put("username", username);
        form.put("password", password);
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        URI base = URI.create(authorizeUrl);
        return Http.send(HttpRequest.newBuilder(base.resolve("/oidc/authorize")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    /** A query parameter of a redirect's Location. */
    public static String param(HttpResponse<String> redirect, String name) {
        String location = redirect.headers().firstValue("Location").orElseThrow();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (pair.substring(0, eq).equals(name)) return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
        return null;
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
