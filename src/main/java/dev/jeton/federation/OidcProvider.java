package dev.jeton.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Jeton as a relying party of one upstream OpenID Connect provider: its discovery document
 * (cached for {@link #CACHE_FOR}, refetched when older), the authorization request, the code
 * exchange with {@code client_secret_basic}, the ID token validation ({@link IdTokenCheck}) and
 * the userinfo endpoint. Nothing here is kept that another instance would need.
 */
public final class OidcProvider {
    static final Duration CACHE_FOR = Duration.ofHours(1);
    private static final System.Logger LOG = System.getLogger(OidcProvider.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String issuer;
    private final Supplier<HttpClient> http;
    private final Clock clock;
    private final IssuerKeys keys;
    private volatile Endpoints endpoints;
    private volatile Instant discoveredAt = Instant.MIN;

    public OidcProvider(String issuer, Supplier<HttpClient> http, Clock clock) {
        this.issuer = issuer;
        this.http = http;
        this.clock = clock;
        this.keys = new IssuerKeys(issuer, null, http, clock, Duration.ofSeconds(5));
    }

    /** Where a provider's discovery document says its endpoints are. */
    public record Endpoints(String authorization, String token, String userinfo) {
    }

    /** The tokens of a code exchange: the ID token, and the access token for userinfo. */
    public record Tokens(String idToken, Secret accessToken) {
    }

    public String issuer() { return issuer; }

    /** The URL to send the browser to (OIDC Core 3.1.2.1, PKCE S256). */
    public String authorizationUrl(String clientId, String redirectUri, String scope, String state, String nonce, String challenge) {
        String endpoint = endpoints().authorization();
        return endpoint + (endpoint.contains("?") ? "&" : "?") + "response_type=code&client_id=" + enc(clientId)
                + "&redirect_uri=" + enc(redirectUri) + "&scope=" + enc(scope) + "&state=" + enc(state) + "&nonce=" + enc(nonce)
                + "&code_challenge=" + enc(challenge) + "&code_challenge_method=S256";
    }

    /** OIDC Core 3.1.3.1 with client_secret_basic (RFC 6749 2.3.1: id and secret form-encoded before base64). */
    public Tokens exchange(String clientId, Secret secret, String code, String redirectUri, String verifier) {
        String basic = Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(secret.value())).getBytes(StandardCharsets.UTF_8));
        String form = "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=" + enc(redirectUri) + "&code_verifier=" + enc(verifier);
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoints().token())).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> res = send(request, "upstream.token_unreachable");
        JsonNode body = json(res.body());
        if (res.statusCode() != 200) {
            LOG.log(System.Logger.Level.INFO, "token endpoint of {0} answered {1} {2}", issuer, res.statusCode(), body.path("error").asText(""));
            throw Failure.of(Reason.ACCESS_DENIED, "The identity provider did not accept the sign-in's code ("
                    + body.path("error").asText("HTTP " + res.statusCode()) + ").").because("upstream.token_refused");
        }
        String idToken = body.path("id_token").asText(null);
        if (idToken == null) throw Failure.of(Reason.ACCESS_DENIED, "The identity provider sent no ID token.").because("upstream.no_id_token");
        String access = body.path("access_token").asText(null);
        return new Tokens(idToken, access == null ? null : new Secret(access));
    }

    /** The verified claims of an ID token of this sign-in. */
    public JWTClaimsSet verify(String idToken, String clientId, String nonce) {
        return IdTokenCheck.verify(idToken, keys, issuer, clientId, nonce, clock.instant());
    }

    /** Claims from the userinfo endpoint, for the subject of the ID token only (OIDC Core 5.3.2); empty when it has none. */
    public Map<String, Object> userinfo(Secret accessToken, String subject) {
        String endpoint = endpoints().userinfo();
        if (endpoint == null || accessToken == null) return Map.of();
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + accessToken.value()).header("Accept", "application/json").GET().build();
        HttpResponse<String> res = send(request, "upstream.userinfo_unreachable");
        if (res.statusCode() != 200) {
            throw Failure.of(Reason.ACCESS_DENIED, "The identity provider's userinfo endpoint answered " + res.statusCode() + ".")
                    .because("upstream.userinfo_refused");
        }
        try {
            JWTClaimsSet claims = JWTClaimsSet.parse(res.body());
            if (!subject.equals(claims.getSubject())) {
                throw Failure.of(Reason.ACCESS_DENIED, "The identity provider's userinfo is about another subject.")
                        .because("upstream.userinfo_subject");
            }
            return claims.getClaims();
        } catch (java.text.ParseException e) {
            throw Failure.of(Reason.ACCESS_DENIED, "The identity provider's userinfo is not a JSON object.").because("upstream.userinfo_malformed");
        }
    }

    /** The discovery document, fetched again once it is older than an hour; a failed refetch keeps the one held. */
    Endpoints endpoints() {
        Instant now = clock.instant();
        Endpoints held = endpoints;
        if (held != null && now.isBefore(discoveredAt.plus(CACHE_FOR))) return held;
        try {
            Endpoints fresh = discover();
            endpoints = fresh;
            discoveredAt = now;
            return fresh;
        } catch (Failure f) {
            if (held != null) return held;
            throw f;
        }
    }

    private Endpoints discover() {
        String url = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
        HttpResponse<String> res = send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json").GET().build(), "upstream.discovery_unreachable");
        JsonNode doc = res.statusCode() == 200 ? json(res.body()) : JSON.createObjectNode();
        // OIDC Discovery 4.3: the document's issuer must be exactly the one it was fetched for.
        if (!issuer.equals(doc.path("issuer").asText(null)) || doc.path("authorization_endpoint").asText(null) == null
                || doc.path("token_endpoint").asText(null) == null) {
            LOG.log(System.Logger.Level.WARNING, "discovery of {0} answered {1} without a matching issuer and endpoints", issuer, res.statusCode());
            throw Failure.of(Reason.UNAVAILABLE, "The identity provider's configuration could not be read. Try again later.")
                    .because("upstream.discovery_invalid");
        }
        return new Endpoints(doc.path("authorization_endpoint").asText(), doc.path("token_endpoint").asText(),
                doc.path("userinfo_endpoint").asText(null));
    }

    private HttpResponse<String> send(HttpRequest request, String check) {
        try {
            return http.get().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "{0} unreachable: {1}", request.uri(), e.toString());
            throw Failure.of(Reason.UNAVAILABLE, "The identity provider cannot be reached. Try again later.").because(check);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.of(Reason.UNAVAILABLE, "The identity provider cannot be reached. Try again later.").because(check);
        }
    }

    private static JsonNode json(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
