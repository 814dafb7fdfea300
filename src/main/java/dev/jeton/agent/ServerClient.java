package dev.jeton.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.model.Failure;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.Issued;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.Reason;
import dev.jeton.model.TokenRequest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The agent's client of the fleet's servers. Each call goes to the server that answered last,
 * and on to the next when a server cannot be reached or answers 5xx; a 4xx is the fleet's
 * decision and is not asked again elsewhere. Every token call carries a fresh credential made
 * for that server's issuer, learnt once from its OIDC discovery.
 */
final class ServerClient {
    private static final System.Logger LOG = System.getLogger(ServerClient.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final List<URI> servers;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<URI, String> issuers = new ConcurrentHashMap<>();
    private volatile int preferred;

    ServerClient(List<URI> servers, Duration timeout) {
        if (servers.isEmpty()) throw new IllegalArgumentException("at least one server URL is needed");
        this.servers = List.copyOf(servers);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sends this node's public key with its one-time token. */
    void enrol(String node, String token, String publicJwk) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("node", node);
        form.put("enrol_token", token);
        form.put("public_key", publicJwk);
        call("/agent/v1/enrol", issuer -> form);
    }

    /** A token of one of this node's identities; {@code credential} makes the client assertion for a server's issuer. */
    IdentityToken token(TokenRequest.ManagedIdentity request, Function<String, String> credential) {
        JsonNode body = call("/agent/v1/token", issuer -> {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("client_assertion_type", JWT_BEARER);
            form.put("client_assertion", credential.apply(issuer));
            form.put("resource", request.resource());
            switch (request.selector().kind()) {
                case CLIENT_ID -> form.put("client_id", request.selector().value());
                case OBJECT_ID -> form.put("object_id", request.selector().value());
                case RESOURCE_ID -> form.put("msi_res_id", request.selector().value());
                case NONE -> { }
            }
            return form;
        });
        return identityToken(body);
    }

    /** Tries each server once, from the one that answered last. */
    private JsonNode call(String path, Function<String, Map<String, String>> form) {
        int start = preferred;
        for (int i = 0; i < servers.size(); i++) {
            int index = (start + i) % servers.size();
            URI server = servers.get(index);
            try {
                String issuer = issuer(server);
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.resolve(path)).timeout(timeout)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(encode(form.apply(issuer)))).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 500) {
                    LOG.log(System.Logger.Level.WARNING, "server {0} answered {1}; trying the next", server, response.statusCode());
                    continue;
                }
                preferred = index;
                JsonNode body = parse(response.body());
                if (response.statusCode() != 200) throw refusal(response.statusCode(), body);
                return body;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "server {0} is unreachable ({1}); trying the next", server, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Failure.of(Reason.UNAVAILABLE, "interrupted");
            }
        }
        throw Failure.of(Reason.UNAVAILABLE, "no Jeton server of this node's fleet is reachable");
    }

    /** The server's issuer, which assertions name as their audience; asked once per server. */
    private String issuer(URI server) throws IOException, InterruptedException {
        String known = issuers.get(server);
        if (known != null) return known;
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.resolve("/.well-known/openid-configuration")).timeout(timeout)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IOException("discovery answered " + response.statusCode());
        JsonNode issuer = parse(response.body()).path("issuer");
        if (!issuer.isTextual()) throw new IOException("discovery names no issuer");
        issuers.put(server, issuer.asText());
        return issuer.asText();
    }

    /** The fleet's refusal, as the managed-identity endpoints will answer it to the workload. */
    private static Failure refusal(int status, JsonNode body) {
        String error = body.path("error").asText("");
        String description = body.path("error_description").asText("the server refused (" + status + ")");
        Reason reason = switch (error) {
            case "invalid_request" -> Reason.INVALID_REQUEST;
            case "invalid_client" -> Reason.UNAUTHORIZED_CLIENT;
            case "invalid_grant" -> Reason.INVALID_GRANT;
            case "access_denied" -> Reason.ACCESS_DENIED;
            case "slow_down" -> Reason.RATE_LIMITED;
            case "not_found" -> Reason.NOT_FOUND;
            default -> Reason.INVALID_REQUEST;
        };
        return Failure.of(reason, description);
    }

    private static IdentityToken identityToken(JsonNode b) {
        ManagedIdentity identity = new ManagedIdentity(b.path("object_id").asText(), b.path("identity").asText(), b.path("client_id").asText(),
                b.path("object_id").asText(), b.path("msi_res_id").asText(), b.path("tenant_id").asText(),
                b.hasNonNull("system_node") ? b.get("system_node").asText() : null, List.of(), Instant.EPOCH);
        Issued issued = new Issued(b.path("access_token").asText(), b.path("jti").asText(), Instant.ofEpochSecond(b.path("issued_at").asLong()),
                Instant.ofEpochSecond(b.path("expires_on").asLong()), Set.of(), identity.subject(), identity.clientId(), null, null);
        if (issued.accessToken().isEmpty()) throw Failure.of(Reason.UNAVAILABLE, "the server's answer holds no token");
        return new IdentityToken(issued, identity, b.path("resource").asText());
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String encode(Map<String, String> form) {
        StringBuilder out = new StringBuilder();
        form.forEach((k, v) -> {
            if (v == null) return;
            if (!out.isEmpty()) out.append('&');
            out.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }
}
