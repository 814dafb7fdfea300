package dev.jeton.http;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Whole HTTP requests, byte for byte over a socket, to a running in-process Jeton (public and
 * IMDS listeners): any method, path, query, headers and body at any endpoint. Whatever comes
 * in, the answer is never a 5xx, never carries a stack trace or a secret, and where an
 * endpoint answers with JSON it is its dialect's error shape.
 */
class WholeRequestFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Route(boolean imds, String method, String path) {
    }

    private static final List<Route> ROUTES = List.of(
            new Route(false, "POST", "/oidc/token"), new Route(false, "POST", "/oidc/introspect"), new Route(false, "POST", "/oidc/revoke"),
            new Route(false, "GET", "/oidc/userinfo"), new Route(false, "GET", "/oidc/authorize"), new Route(false, "POST", "/oidc/authorize"),
            new Route(false, "GET", "/oauth2/token"), new Route(false, "POST", "/oauth2/token"), new Route(false, "POST", "/oauth2/exchange"),
            new Route(false, "POST", "/auth/access-token"), new Route(false, "GET", "/auth/access-token"),
            new Route(false, "POST", "/auth/refresh-token"), new Route(false, "POST", "/v1/k8s/auth/oauth/apptoken"),
            new Route(false, "POST", "/api/v1/token"), new Route(false, "GET", "/v1/k8s/auth/token/exchange"),
            new Route(false, "POST", "/v1/k8s/auth/oauth/tokens/refresh"), new Route(true, "GET", "/metadata/identity/oauth2/token"),
            new Route(true, "GET", "//metadata/identity/oauth2/token"));
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH");
    private static final List<String> CONTENT_TYPES = List.of("application/x-www-form-urlencoded", "application/json",
            "multipart/form-data; boundary=b", "multipart/form-data", "text/plain", "application/json; charset=latin1", ";;", "");
    private static final List<String> PARAMETERS = List.of("grant_type", "client_id", "client_secret", "scope", "username", "password",
            "refresh_token", "token", "service", "access_token", "code", "redirect_uri", "key", "api-version", "resource", "client_id",
            "grantType", "externalToken", "offline_token", "response_type", "state", "code_challenge");

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static int port;
    static int imdsPort;
    static String demoBasic;
    static String adminBasic;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        port = jeton.wiring().port();
        imdsPort = jeton.wiring().imdsPort();
        demoBasic = Http.basic("demo", jeton.demoSecret());
        adminBasic = Http.basic("admin", jeton.adminPassword());
    }

    @AfterAll
    static void stop() { jeton.close(); }

    @FuzzTest(maxDuration = "3m")
    void requestWhenAnythingThenNoServerErrorStackTraceOrSecret(FuzzedDataProvider data) throws IOException {
        Route route = data.pickValue(ROUTES);
        String method = data.consumeInt(0, 7) == 0 ? data.pickValue(METHODS) : route.method();
        StringBuilder query = new StringBuilder();
        for (int i = data.consumeInt(0, 4); i > 0; i--) {
            query.append(query.isEmpty() ? "?" : "&").append(data.pickValue(PARAMETERS)).append('=').append(token(data, 60));
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(route.path()).append(query).append(" HTTP/1.1\r\nHost: jeton\r\n");
        switch (data.consumeInt(0, 6)) {
            case 0 -> head.append("Authorization: ").append(demoBasic).append("\r\n");
            case 1 -> head.append("Authorization: ").append(adminBasic).append("\r\n");
            case 2 -> head.append("Authorization: Basic ").append(token(data, 200)).append("\r\n");
            case 3 -> head.append("Authorization: Bearer ").append(token(data, 400)).append("\r\n");
            case 4 -> head.append("Authorization: ").append(token(data, 200)).append("\r\n");
            default -> { }
        }
        String type = data.consumeInt(0, 9) == 0 ? token(data, 80) : data.pickValue(CONTENT_TYPES);
        if (!type.isEmpty()) head.append("Content-Type: ").append(type).append("\r\n");
        if (route.imds() && data.consumeInt(0, 5) != 0) head.append("Metadata: true\r\n");
        byte[] body = data.consumeRemainingAsBytes();
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");

        Answer answer;
        // Connections to the Jeton under test are the point here, not a server-side request forgery.
        try (SilentCloseable ignored = BugDetectors.allowNetworkConnections((host, p) -> host.equals("127.0.0.1"))) {
            answer = send(route.imds() ? imdsPort : port, head.toString().getBytes(StandardCharsets.ISO_8859_1), body);
        }

        assertThat(answer.status()).as(answer.text()).isBetween(200, 499);
        assertThat(answer.text()).doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain(jeton.demoSecret()).doesNotContain(jeton.adminPassword());
        if (answer.status() >= 400 && answer.json() && method.equals(route.method())) assertDialectShape(route, answer);
    }

    /** A header-safe string: no CR or LF, so the request stays one request. */
    private static String token(FuzzedDataProvider data, int max) {
        return data.consumeAsciiString(max).replace('\r', ' ').replace('\n', ' ');
    }

    private static void assertDialectShape(Route route, Answer answer) throws IOException {
        JsonNode body = JSON.readTree(answer.text());
        String path = route.path();
        if (route.imds() || path.startsWith("/oidc/")) {
            if (path.equals("/oidc/authorize")) return; // an HTML error page or a redirect, tested in AuthorizationCodeTest
            assertThat(body.path("error").isTextual()).as(answer.text()).isTrue();
        } else if (path.startsWith("/oauth2/")) {
            assertThat(body.path("errors").path(0).path("code").isTextual()).as(answer.text()).isTrue();
        } else if (path.startsWith("/auth/")) {
            assertThat(body.has("detail")).as(answer.text()).isTrue();
        } else {
            assertThat(body.path("code").asInt()).as(answer.text()).isEqualTo(answer.status());
        }
    }

    record Answer(int status, boolean json, String text) {
    }

    private static Answer send(int to, byte[] head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", to)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            try {
                out.write(body);
            } catch (IOException closedEarly) {
                // The server may answer (413, 400) and close before it has read the whole body.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream headers = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                headers.write(b);
                int n = headers.size();
                byte[] h = headers.toByteArray();
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
            }
            String text = headers.toString(StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 ")) fail("no HTTP answer: " + text);
            int status = Integer.parseInt(text.substring(9, 12));
            String lower = text.toLowerCase(Locale.ROOT);
            int at = lower.indexOf("\r\ncontent-length:");
            // Without a length the answer is chunked or ends with the connection: read it all (Connection: close).
            byte[] raw = at >= 0 ? in.readNBytes(Integer.parseInt(lower.substring(at + 17, lower.indexOf("\r\n", at + 2)).trim()))
                    : in.readAllBytes();
            String entity = new String(raw, StandardCharsets.UTF_8);
            return new Answer(status, lower.contains("\r\ncontent-type: application/json"), entity);
        }
    }
}
