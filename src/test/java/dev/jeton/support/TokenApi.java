package dev.jeton.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Password login and refresh as two real clients do them: the standard OAuth 2.0 token
 * endpoint with the demo client (rotating refresh tokens), and Occam's FastAPI login. Unlike
 * {@link Http}, a failed exchange surfaces as the {@link IOException} itself, so a caller can
 * tell a request that never left (connection refused) from one whose answer never came.
 */
public final class TokenApi {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public enum Dialect {
        OAUTH2("{\"error\":\"invalid_grant\",\"error_description\":\"refresh token was already used; its whole family is now revoked\"}"),
        OCCAM("{\"detail\":\"Refresh token already used\"}");

        /** The exact body a client reads when it presents a refresh token that was already used. */
        public final String reusedBody;

        Dialect(String reusedBody) { this.reusedBody = reusedBody; }
    }

    private final String user;
    private final String password;
    private final String demoBasic;

    public TokenApi(String user, String password, String demoSecret) {
        this.user = user;
        this.password = password;
        this.demoBasic = Http.basic("demo", demoSecret);
    }

    public HttpResponse<String> login(Dialect dialect, String baseUrl) throws IOException, InterruptedException {
        String credentials = "username=" + encoded(user) + "&password=" + encoded(password);
        return switch (dialect) {
            case OAUTH2 -> send(form(baseUrl + "/oidc/token", "grant_type=password&" + credentials).header("Authorization", demoBasic));
            case OCCAM -> send(form(baseUrl + "/auth/access-token", credentials));
        };
    }

    public HttpResponse<String> refresh(Dialect dialect, String baseUrl, String refreshToken) throws IOException, InterruptedException {
        return switch (dialect) {
            case OAUTH2 -> send(form(baseUrl + "/oidc/token", "grant_type=refresh_token&refresh_token=" + encoded(refreshToken))
                    .header("Authorization", demoBasic));
            case OCCAM -> send(HttpRequest.newBuilder(URI.create(baseUrl + "/auth/refresh-token"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + refreshToken + "\"}")));
        };
    }

    private static HttpRequest.Builder form(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encoded(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
