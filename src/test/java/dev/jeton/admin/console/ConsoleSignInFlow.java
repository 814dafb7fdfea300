package dev.jeton.admin.console;

import dev.jeton.support.Http;
import dev.jeton.support.LoginFlow;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Signs in to the console over plain HTTP, as a browser would: /console/signin, the login page, the callback. */
final class ConsoleSignInFlow {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    /** A signed-in console session: its cookie and the CSRF token of its forms. */
    record Signed(String base, String cookie, String csrf) {
        HttpResponse<String> get(String path) {
            return Http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).GET().build());
        }

        HttpResponse<String> post(String path, String form) {
            return Http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
        }
    }

    private ConsoleSignInFlow() {
    }

    static Signed signIn(String base, String user, String password) {
        HttpResponse<String> start = Http.get(base + "/console/signin", null);
        assertThat(start.statusCode()).isEqualTo(302);
        String stateCookie = start.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> login = LoginFlow.login(start.headers().firstValue("Location").orElseThrow(), user, password);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
        HttpResponse<String> callback = Http.send(HttpRequest.newBuilder(URI.create(login.headers().firstValue("Location").orElseThrow()))
                .header("Cookie", stateCookie).GET().build());
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(200);
        String cookie = callback.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> page = Http.send(HttpRequest.newBuilder(URI.create(base + "/console/clients")).header("Cookie", cookie).GET().build());
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return new Signed(base, cookie, m.group(1));
    }
}
