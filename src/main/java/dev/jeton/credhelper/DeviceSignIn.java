package dev.jeton.credhelper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.credhelper.Registries.Target;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The device side of RFC 8628 against Jeton, as a public client: ask for the registry scope,
 * tell the user where to go (on the terminal, and in a browser where one is available), poll at
 * the interval Jeton gives (5 s more after each {@code slow_down}), and return the refresh
 * token, which for the {@code registry} scope is the user's registry identity token. Also
 * revokes such a token (RFC 7009).
 */
public final class DeviceSignIn {
    static final String SCOPE = "registry";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final BrowserOpener browser;
    private final PrintWriter terminal;

    public DeviceSignIn(HttpClient http, BrowserOpener browser, PrintWriter terminal) {
        this.http = http;
        this.browser = browser;
        this.terminal = terminal;
    }

    /** The identity token of the user who approves, once they have; Refused when they deny, or the code expires. */
    public String signIn(Target target, String registry) throws Refused, IOException, InterruptedException {
        JsonNode started = post(target.server().resolve("/oidc/device_authorization"), "client_id=" + enc(target.clientId())
                + "&scope=" + SCOPE);
        if (started.has("error")) throw refused("Jeton refused to start the sign-in", started);
        String complete = started.path("verification_uri_complete").asText(null);
        String userCode = started.path("user_code").asText();
        terminal.printf("To let this computer use %s, sign in at Jeton:%n  %s%nor open %s and enter the code %s%n",
                registry, complete != null ? complete : started.path("verification_uri").asText(), started.path("verification_uri").asText(),
                userCode);
        terminal.flush();
        if (complete != null) browser.open(complete);
        long interval = Math.max(1, started.path("interval").asLong(5));
        String form = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:device_code") + "&client_id=" + enc(target.clientId())
                + "&device_code=" + enc(started.path("device_code").asText());
        while (true) {
            Thread.sleep(Duration.ofSeconds(interval));
            JsonNode answer = post(target.server().resolve("/oidc/token"), form);
            String error = answer.path("error").asText("");
            switch (error) {
                case "" -> {
                    String token = answer.path("refresh_token").asText(null);
                    if (token == null) throw new Refused("Jeton issued no refresh token: is client " + target.clientId() + " allowed the scope "
                            + SCOPE + "?");
                    terminal.printf("Signed in to %s.%n", registry);
                    terminal.flush();
                    return token;
                }
                case "authorization_pending" -> { }
                case "slow_down" -> interval += 5;
                case "access_denied" -> throw new Refused("sign-in to " + registry + " was denied at Jeton");
                case "expired_token" -> throw new Refused("sign-in to " + registry + " expired before it was approved; try again");
                default -> throw refused("sign-in to " + registry + " failed", answer);
            }
        }
    }

    /** RFC 7009 at Jeton: true when Jeton answered 200 (also for a token it no longer knows). */
    public void revoke(Target target, String token) throws Refused, IOException, InterruptedException {
        HttpResponse<String> res = send(target.server().resolve("/oidc/revoke"), "client_id=" + enc(target.clientId()) + "&token=" + enc(token));
        if (res.statusCode() != 200) throw refused("Jeton did not revoke the token (HTTP " + res.statusCode() + ")", parse(res));
    }

    private JsonNode post(URI uri, String form) throws IOException, InterruptedException, Refused {
        return parse(send(uri, form));
    }

    private HttpResponse<String> send(URI uri, String form) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode parse(HttpResponse<String> res) throws Refused {
        try {
            return JSON.readTree(res.body());
        } catch (IOException e) {
            throw new Refused("Jeton at " + res.uri() + " answered HTTP " + res.statusCode() + " with a body that is not JSON: is this Jeton's URL?");
        }
    }

    private static Refused refused(String what, JsonNode error) {
        return new Refused(what + ": " + error.path("error").asText("?") + " (" + error.path("error_description").asText("") + ")");
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
