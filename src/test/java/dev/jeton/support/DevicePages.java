package dev.jeton.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The device verification page over plain HTTP, as a browser submits it: the CSRF cookie and field it sets, then the form. */
public final class DevicePages {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private DevicePages() {
    }

    /** Opens the verification_uri_complete for {@code userCode} and submits {@code action} (approve or deny) with these credentials. */
    public static HttpResponse<String> decide(String baseUrl, String userCode, String action, String username, String password) {
        HttpResponse<String> page = Http.get(baseUrl + "/oidc/device?user_code=" + enc(userCode), null);
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        Matcher csrf = CSRF_FIELD.matcher(page.body());
        if (!csrf.find()) throw new AssertionError("no CSRF field on the page:\n" + page.body());
        String form = "csrf=" + enc(csrf.group(1)) + "&user_code=" + enc(userCode) + "&action=" + action
                + (username == null ? "" : "&username=" + enc(username)) + (password == null ? "" : "&password=" + enc(password));
        return Http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/oidc/device"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
