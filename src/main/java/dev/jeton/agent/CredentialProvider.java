package dev.jeton.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * A kubelet image credential provider (exec plugin, {@code credentialprovider.kubelet.k8s.io/v1}
 * and its v1beta1/v1alpha1 predecessors): the kubelet writes a {@code CredentialProviderRequest}
 * on stdin, in service-account-token mode with the pod's service-account token; this exchanges
 * that token at Jeton's {@code /oauth2/exchange} (where a trust policy maps it to a principal)
 * for a registry refresh token, and answers with it as the password of ACR's refresh-token user,
 * as ACR's own provider does. The answer carries the request's own apiVersion, which the kubelet
 * requires.
 */
public final class CredentialProvider {
    public static final String REFRESH_TOKEN_USER = "00000000-0000-0000-0000-000000000000";
    private static final Set<String> API_VERSIONS = Set.of("credentialprovider.kubelet.k8s.io/v1",
            "credentialprovider.kubelet.k8s.io/v1beta1", "credentialprovider.kubelet.k8s.io/v1alpha1");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final String service;
    private final HttpClient http;

    /** @param service the registry's service name (its auth.token.service); null: the image's registry host */
    public CredentialProvider(URI server, String service, HttpClient http) {
        this.server = server;
        this.service = service;
        this.http = http;
    }

    /** What went wrong, in words for the kubelet's log (it shows the plugin's stderr). */
    public static final class Refused extends Exception {
        public Refused(String message) { super(message, null, false, false); }
    }

    public String answer(String requestJson) throws Refused {
        JsonNode request;
        try {
            request = JSON.readTree(requestJson);
        } catch (IOException e) {
            throw new Refused("the kubelet's request on stdin is not JSON");
        }
        if (request == null || !request.isObject()) throw new Refused("the kubelet's request on stdin is not a JSON object");
        String apiVersion = request.path("apiVersion").asText("");
        if (!API_VERSIONS.contains(apiVersion)) throw new Refused("unsupported apiVersion '" + apiVersion + "': expected one of " + API_VERSIONS);
        if (!"CredentialProviderRequest".equals(request.path("kind").asText())) throw new Refused("kind must be CredentialProviderRequest");
        String image = request.path("image").asText("");
        if (image.isEmpty()) throw new Refused("the request names no image");
        String token = request.path("serviceAccountToken").asText("");
        if (token.isEmpty()) {
            throw new Refused("the request carries no serviceAccountToken: configure the provider with tokenAttributes "
                    + "(service-account-token mode) in the kubelet's CredentialProviderConfig");
        }
        String registry = registryOf(image);
        Exchanged exchanged = exchange(token, service != null ? service : registry);
        ObjectNode response = JSON.createObjectNode();
        response.put("apiVersion", apiVersion);
        response.put("kind", "CredentialProviderResponse");
        // Per registry: every image of it is pulled with the same principal's token.
        response.put("cacheKeyType", "Registry");
        response.put("cacheDuration", exchanged.cacheFor().toSeconds() + "s");
        ObjectNode auth = response.putObject("auth").putObject(registry);
        auth.put("username", REFRESH_TOKEN_USER);
        auth.put("password", exchanged.refreshToken());
        return response.toString();
    }

    /** The registry host of an image reference, as the kubelet matches it: Docker Hub's when the first part is no host. */
    static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) return "docker.io";
        String first = image.substring(0, slash);
        boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
        return host ? first : "docker.io";
    }

    private record Exchanged(String refreshToken, Duration cacheFor) {
    }

    private Exchanged exchange(String serviceAccountToken, String serviceName) throws Refused {
        String form = "grant_type=access_token&service=" + enc(serviceName) + "&access_token=" + enc(serviceAccountToken);
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/oauth2/exchange")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> res;
        try {
            res = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw new Refused("Jeton at " + server + " is not trusted: its TLS certificate does not verify (give its CA certificate "
                    + "with --cacert or JETON_CACERT)");
        } catch (IOException e) {
            throw new Refused("Jeton at " + server + " cannot be reached: " + (e.getMessage() == null ? "connection failed" : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted");
        }
        JsonNode body;
        try {
            body = JSON.readTree(res.body());
        } catch (IOException e) {
            throw new Refused("Jeton answered " + res.statusCode() + " with a body that is not JSON");
        }
        if (res.statusCode() != 200 || !body.path("refresh_token").isTextual()) {
            String message = body.path("errors").path(0).path("message").asText("no message");
            throw new Refused("Jeton refused the service-account token (" + res.statusCode() + "): " + message);
        }
        String refreshToken = body.get("refresh_token").asText();
        return new Exchanged(refreshToken, cacheFor(refreshToken));
    }

    /** Until a minute before the refresh token's own exp, so the kubelet never holds an expired one. */
    private static Duration cacheFor(String jwt) {
        try {
            String[] parts = jwt.split("\\.");
            JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
            long exp = claims.path("exp").asLong(0);
            long seconds = exp - java.time.Instant.now().getEpochSecond() - 60;
            return Duration.ofSeconds(Math.max(0, seconds));
        } catch (IOException | RuntimeException e) {
            return Duration.ZERO;
        }
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
