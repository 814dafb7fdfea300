package dev.jeton.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.jeton.config.Setting;
import dev.jeton.support.AzureIdentityProbe;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.OpenSsl;
import dev.jeton.support.OpenSsl.KeyFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real TLS handshakes against Jeton's listeners: clients that trust the certificate get and
 * verify tokens over HTTPS, everything else fails to connect.
 */
class TlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    @TempDir
    static Path dir;
    static OpenSsl.Pem pem;
    static Jetons.Running jeton;
    static HttpClient trusting;

    @BeforeAll
    static void start() {
        pem = OpenSsl.serverCertificate(dir, "server", KeyFormat.EC_PKCS8);
        jeton = Jetons.start(dir.resolve("jeton"), Clock.systemUTC(), Map.of(
                Setting.TLS_CERT_FILE, pem.cert().toString(), Setting.TLS_KEY_FILE, pem.key().toString(),
                Setting.IMDS_TLS_CERT_FILE, pem.cert().toString(), Setting.IMDS_TLS_KEY_FILE, pem.key().toString()));
        jeton.wiring().admin().identities().add("vm", TENANT, null, "test-node");
        trusting = client(pem.trustingIt());
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static HttpClient client(SSLContext context) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context).build();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest tokenRequest(String tokenEndpoint, String secret) {
        return HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .header("Authorization", Http.basic("demo", secret))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
    }

    @Test
    void tokenWhenClientTrustsTheCertificateThenIssuedOverHttpsAndVerifiedThroughTheHttpsJwks() throws Exception {
        assertThat(jeton.baseUrl()).startsWith("https://127.0.0.1:");
        JsonNode discovery = JSON.readTree(send(trusting, HttpRequest.newBuilder(
                URI.create(jeton.baseUrl() + "/.well-known/openid-configuration")).build()).body());
        assertThat(discovery.get("issuer").asText()).isEqualTo(jeton.baseUrl());
        assertThat(discovery.get("token_endpoint").asText()).isEqualTo(jeton.baseUrl() + "/oidc/token");
        assertThat(discovery.get("jwks_uri").asText()).isEqualTo(jeton.baseUrl() + "/oidc/jwks");

        HttpResponse<String> token = send(trusting, tokenRequest(discovery.get("token_endpoint").asText(), jeton.demoSecret()));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        String accessToken = JSON.readTree(token.body()).get("access_token").asText();

        // A resource server fetching the JWKS over HTTPS, trusting only this certificate.
        DefaultJWTProcessor<SecurityContext> verifier = new DefaultJWTProcessor<>();
        verifier.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, JWKSourceBuilder.create(
                URI.create(discovery.get("jwks_uri").asText()).toURL(),
                new DefaultResourceRetriever(30_000, 30_000, 0, true, pem.trustingIt().getSocketFactory())).build()));
        verifier.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(jeton.baseUrl()).subject("demo").build(), Set.of("exp")));
        assertThat(verifier.process(accessToken, null).getIssuer()).isEqualTo(jeton.baseUrl());
    }

    @Test
    void plainHttpWhenSentToATlsListenerThenNoAnswer() {
        String plainPublic = jeton.baseUrl().replace("https://", "http://");
        String plainImds = jeton.imdsUrl().replace("https://", "http://");
        assertThatThrownBy(() -> Http.get(plainPublic + "/health/live", null)).hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> Http.get(plainImds + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x", null))
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void httpsWhenClientDoesNotTrustTheCertificateThenTheHandshakeFails() throws Exception {
        HttpClient defaultTrust = client(SSLContext.getDefault());
        assertThatThrownBy(() -> send(defaultTrust, HttpRequest.newBuilder(URI.create(jeton.baseUrl() + "/health/live")).build()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void hstsWhenTlsThenOnEveryResponseOfBothListeners() throws Exception {
        List<HttpResponse<String>> responses = List.of(
                send(trusting, HttpRequest.newBuilder(URI.create(jeton.baseUrl() + "/.well-known/openid-configuration")).build()),
                send(trusting, tokenRequest(jeton.baseUrl() + "/oidc/token", "wrong-secret")),
                send(trusting, HttpRequest.newBuilder(URI.create(jeton.baseUrl() + "/no/such/path")).build()),
                send(trusting, HttpRequest.newBuilder(URI.create(jeton.imdsUrl()
                        + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=api://x")).header("Metadata", "true").build()));
        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 401, 404, 200);
        for (HttpResponse<String> r : responses) {
            assertThat(r.headers().allValues("Strict-Transport-Security")).as(r.uri().toString()).containsExactly("max-age=31536000");
        }
    }

    @Test
    void hstsWhenPlainHttpThenAbsent() throws Exception {
        try (Jetons.Running plain = Jetons.start(dir.resolve("plain"))) {
            assertThat(plain.baseUrl()).startsWith("http://");
            HttpResponse<String> discovery = Http.get(plain.baseUrl() + "/.well-known/openid-configuration", null);
            assertThat(discovery.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(discovery.body()).get("issuer").asText()).isEqualTo(plain.baseUrl());
            assertThat(discovery.headers().firstValue("Strict-Transport-Security")).isEmpty();
            HttpResponse<String> missing = Http.get(plain.baseUrl() + "/no/such/path", null);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Strict-Transport-Security")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void keyWhenInAnyFormatOpensslWritesThenTheListenerServesIt(KeyFormat format) throws Exception {
        Path certs = Files.createDirectories(dir.resolve("formats"));
        OpenSsl.Pem made = OpenSsl.serverCertificate(certs, format.name(), format);
        try (Jetons.Running server = Jetons.start(dir.resolve("format-" + format), Clock.systemUTC(), Map.of(
                Setting.TLS_CERT_FILE, made.cert().toString(), Setting.TLS_KEY_FILE, made.key().toString(), Setting.IMDS_PORT, "-1"))) {
            HttpResponse<String> ready = send(client(made.trustingIt()),
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health/ready")).build());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void certificateAndKeyWhenInOneFileThenServed() throws Exception {
        Path combined = dir.resolve("combined.pem");
        Files.writeString(combined, Files.readString(pem.key()) + Files.readString(pem.cert()));
        try (Jetons.Running server = Jetons.start(dir.resolve("combined"), Clock.systemUTC(), Map.of(
                Setting.TLS_CERT_FILE, combined.toString(), Setting.TLS_KEY_FILE, combined.toString(), Setting.IMDS_PORT, "-1"))) {
            assertThat(send(trusting, HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health/live")).build()).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void imdsWhenTlsConfiguredThenTheAzureSdkGetsATokenOverHttps() throws Exception {
        assertThat(jeton.imdsUrl()).startsWith("https://127.0.0.1:");
        Path trustStore = OpenSsl.trustStore(pem.cert(), dir.resolve("truststore.p12"), "changeit");
        AzureIdentityProbe.Run run = AzureIdentityProbe.run(jeton.imdsUrl(), List.of("-Djavax.net.ssl.trustStore=" + trustStore,
                "-Djavax.net.ssl.trustStorePassword=changeit", "-Djavax.net.ssl.trustStoreType=PKCS12"),
                "system", "https://vault.azure.net/.default");
        assertThat(run.exitCode()).as(run.output()).isZero();

        DefaultJWTProcessor<SecurityContext> verifier = new DefaultJWTProcessor<>();
        verifier.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, JWKSourceBuilder.create(
                URI.create(jeton.baseUrl() + "/oidc/jwks").toURL(),
                new DefaultResourceRetriever(30_000, 30_000, 0, true, pem.trustingIt().getSocketFactory())).build()));
        verifier.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>("https://vault.azure.net",
                new JWTClaimsSet.Builder().issuer(jeton.baseUrl() + "/" + TENANT).claim("tid", TENANT).build(), Set.of("oid", "exp")));
        assertThat(verifier.process(run.token(), null).getAudience()).containsExactly("https://vault.azure.net");
    }

    @Test
    void certificateWhenRenewedInPlaceThenServedWithoutARestartAndAHalfDoneRenewalKeepsTheOld() throws Exception {
        Path live = Files.createDirectories(dir.resolve("live"));
        OpenSsl.Pem before = OpenSsl.serverCertificate(Files.createDirectories(dir.resolve("before")), "before", KeyFormat.EC_PKCS8);
        OpenSsl.Pem after = OpenSsl.serverCertificate(Files.createDirectories(dir.resolve("after")), "after", KeyFormat.RSA_PKCS8);
        Path cert = Files.copy(before.cert(), live.resolve("cert.pem"));
        Path key = Files.copy(before.key(), live.resolve("key.pem"));
        // The reload thread would look every hour; the test looks itself, right after each change.
        try (Jetons.Running server = Jetons.start(dir.resolve("renewal"), Clock.systemUTC(), Map.of(Setting.TLS_CERT_FILE, cert.toString(),
                Setting.TLS_KEY_FILE, key.toString(), Setting.IMDS_PORT, "-1", Setting.TLS_RELOAD_INTERVAL, "1h"))) {
            HttpRequest live200 = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health/live")).build();
            assertThat(send(client(before.trustingIt()), live200).statusCode()).isEqualTo(200);

            // A half-done renewal (new key, old certificate) does not load: the old pair stays in service, however often it is looked at.
            Files.copy(after.key(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            for (int i = 0; i < 3; i++) {
                server.wiring().checkCertificates();
                assertThat(send(client(before.trustingIt()), live200).statusCode()).isEqualTo(200);
            }

            // As certbot does: the key, then the certificate, rewritten in place.
            Files.copy(after.key(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(after.cert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            server.wiring().checkCertificates();

            assertThat(send(client(after.trustingIt()), live200).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> send(client(before.trustingIt()), live200)).isInstanceOf(SSLHandshakeException.class);
        }
    }
}
