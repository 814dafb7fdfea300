package dev.jeton.http;

import dev.jeton.config.Setting;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Size and time limits of the listeners, each answered in the shape of the dialect whose path
 * was asked for: 413 (body), 431 (headers), 414 (request line), 408 (a request that trickles
 * in), idle keep-alive connections closed, and other clients served meanwhile.
 */
class RequestLimitsTest {
    static final String HEADERS_TOO_LARGE = "the request's headers are larger than 4096 bytes";
    static final String TOO_SLOW = "the request did not arrive in time";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir, Clock.systemUTC(), Map.of(Setting.MAX_REQUEST_BYTES, "2048", Setting.MAX_HEADER_BYTES, "4096",
                Setting.REQUEST_TIMEOUT, "500ms", Setting.IDLE_TIMEOUT, "1s"));
    }

    @AfterAll
    static void stop() { jeton.close(); }

    static int publicPort() { return jeton.wiring().port(); }

    static int portOf(String listener) { return listener.equals("imds") ? jeton.wiring().imdsPort() : publicPort(); }

    static Stream<Arguments> headersTooLarge() {
        return Stream.of(
                Arguments.of("oauth2", "public", "/oidc/token",
                        "{\"error\":\"invalid_request\",\"error_description\":\"" + HEADERS_TOO_LARGE + "\"}"),
                Arguments.of("occam", "public", "/auth/access-token", "{\"detail\":\"" + HEADERS_TOO_LARGE + "\"}"),
                Arguments.of("registry", "public", "/oauth2/token?service=x",
                        "{\"errors\":[{\"code\":\"INVALID_REQUEST\",\"message\":\"" + HEADERS_TOO_LARGE + "\"}]}"),
                Arguments.of("runai", "public", "/api/v1/token", "{\"code\":431,\"message\":\"" + HEADERS_TOO_LARGE + "\"}"),
                Arguments.of("imds", "imds", "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x",
                        "{\"error\":\"bad_request\",\"error_description\":\"" + HEADERS_TOO_LARGE + "\"}"),
                Arguments.of("no dialect", "public", "/health/live",
                        "{\"error\":\"request_header_fields_too_large\",\"error_description\":\"" + HEADERS_TOO_LARGE + "\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headersTooLarge")
    void headersWhenLargerThanLimitThen431InDialectShape(String dialect, String listener, String path, String body) {
        String answer = RawHttp.exchange(portOf(listener), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nMetadata: true\r\nX-Big: "
                + "a".repeat(5000) + "\r\n\r\n");
        assertThat(status(answer)).isEqualTo(431);
        assertThat(answer).containsIgnoringCase("content-type: application/json");
        assertThat(body(answer)).isEqualTo(body);
    }

    @Test
    void headerLimitWhenConfiguredHigherThenSameRequestServed(@TempDir Path other) {
        try (Jetons.Running roomy = Jetons.start(other, Clock.systemUTC(), Map.of(Setting.MAX_HEADER_BYTES, "16384"))) {
            String answer = RawHttp.exchange(roomy.wiring().port(), "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Big: "
                    + "a".repeat(5000) + "\r\n\r\n");
            assertThat(status(answer)).isEqualTo(200);
        }
    }

    @Test
    void requestLineWhenLongerThanLimitThen414InJson() {
        String answer = RawHttp.exchange(publicPort(), "GET /oidc/token?x=" + "a".repeat(9000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(status(answer)).isEqualTo(414);
        assertThat(body(answer)).isEqualTo("{\"error\":\"uri_too_long\",\"error_description\":\"the request line is longer than 8192 bytes\"}");
    }

    static Stream<Arguments> bodyTooLarge() {
        String big = "a".repeat(3000);
        String too = "request body is larger than 2048 bytes";
        return Stream.of(
                Arguments.of("oauth2", "/oidc/token", "application/x-www-form-urlencoded", "grant_type=" + big,
                        "{\"error\":\"invalid_request\",\"error_description\":\"" + too + "\"}"),
                Arguments.of("occam", "/auth/access-token", "application/x-www-form-urlencoded", "username=" + big,
                        "{\"detail\":\"" + too + "\"}"),
                Arguments.of("registry", "/oauth2/token", "application/x-www-form-urlencoded", "service=" + big,
                        "{\"errors\":[{\"code\":\"SIZE_INVALID\",\"message\":\"" + too + "\"}]}"),
                Arguments.of("runai", "/api/v1/token", "application/json", "{\"grantType\":\"" + big + "\"}",
                        "{\"code\":413,\"message\":\"" + too + "\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodyTooLarge")
    void bodyWhenLargerThanLimitThen413InDialectShape(String dialect, String path, String type, String body, String expected) {
        HttpResponse<String> res = Http.send(HttpRequest.newBuilder(URI.create(jeton.baseUrl() + path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(res.body()).isEqualTo(expected);
    }

    @Test
    void bodyWhenDeclaredFarLargerThanAnyLimitThenRefusedBeforeReadingIn413OfDialect() {
        String answer = RawHttp.exchange(publicPort(), "POST /auth/access-token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000000\r\n\r\n");
        assertThat(status(answer)).isEqualTo(413);
        assertThat(body(answer)).isEqualTo("{\"detail\":\"request body is too large\"}");
    }

    static Stream<Arguments> slowHeaders() {
        return Stream.of(
                Arguments.of("oauth2", "public", "POST /oidc/token", "{\"error\":\"invalid_request\",\"error_description\":\"" + TOO_SLOW + "\"}"),
                Arguments.of("occam", "public", "POST /auth/access-token", "{\"detail\":\"" + TOO_SLOW + "\"}"),
                Arguments.of("registry", "public", "GET /oauth2/token?service=x",
                        "{\"errors\":[{\"code\":\"INVALID_REQUEST\",\"message\":\"" + TOO_SLOW + "\"}]}"),
                Arguments.of("runai", "public", "POST /api/v1/token", "{\"code\":408,\"message\":\"" + TOO_SLOW + "\"}"),
                Arguments.of("imds", "imds", "GET /metadata/identity/oauth2/token",
                        "{\"error\":\"bad_request\",\"error_description\":\"" + TOO_SLOW + "\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("slowHeaders")
    void headersWhenTrickledPastRequestTimeoutThen408InDialectShapeAndClosed(String dialect, String listener, String line, String body) {
        String answer = RawHttp.trickle(portOf(listener), line + " HTTP/1.1\r\nHost: 127.0.0.1\r\n", "X-Slow: " + "a".repeat(200));
        assertThat(status(answer)).isEqualTo(408);
        assertThat(answer).contains("Connection: close");
        assertThat(body(answer)).isEqualTo(body);
    }

    @Test
    void bodyWhenTrickledPastRequestTimeoutThen408AndClosed() {
        String answer = RawHttp.trickle(publicPort(), "POST /auth/access-token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n", "username=" + "a".repeat(191));
        assertThat(status(answer)).isEqualTo(408);
        assertThat(body(answer)).isEqualTo("{\"detail\":\"" + TOO_SLOW + "\"}");
    }

    @Test
    void slowClientsWhenTricklingThenOtherClientsStillServed() {
        List<CompletableFuture<String>> slow = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            slow.add(CompletableFuture.supplyAsync(() -> RawHttp.trickle(publicPort(), "POST /oidc/token HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                    "X-Slow: " + "a".repeat(200))));
        }
        HttpResponse<String> token = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=client_credentials",
                Http.basic("demo", jeton.demoSecret()));
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(Http.get(jeton.baseUrl() + "/health/live", null).statusCode()).isEqualTo(200);
        for (CompletableFuture<String> s : slow) assertThat(status(s.join())).isEqualTo(408);
    }

    @Test
    void bodyWhenNoRouteReadsItThenAnsweredWithConnectionCloseInsteadOfDrainingATrickle() {
        String answer = RawHttp.trickle(publicPort(), "POST /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 200\r\n\r\n",
                "a".repeat(200));
        assertThat(status(answer)).isEqualTo(404);
        assertThat(answer).contains("Connection: close");
    }

    @Test
    void keepAliveConnectionWhenIdlePastIdleTimeoutThenClosedByServer() {
        assertThat(RawHttp.closedWhenIdle(publicPort(), "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")).isTrue();
    }

    @Test
    void keepAliveConnectionWhenIdleShorterThanIdleTimeoutThenServedAgain() {
        String request = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        List<String> answers = RawHttp.exchangeInTurn(publicPort(), request, request);
        assertThat(answers).hasSize(2).allSatisfy(a -> {
            assertThat(status(a)).isEqualTo(200);
            assertThat(body(a)).isEqualTo("{\"status\":\"UP\"}");
        });
    }

    static int status(String answer) {
        assertThat(answer).startsWith("HTTP/1.1 ");
        return Integer.parseInt(answer.substring(9, 12));
    }

    static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }
}
