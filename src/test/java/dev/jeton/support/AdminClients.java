package dev.jeton.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.client.admin.ApiClient;
import dev.jeton.client.admin.ApiException;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callers of the admin API as an operator sets them up: a client registered with admin scopes
 * that gets its token by client_credentials, and the generated Java client sending it.
 */
public final class AdminClients {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jetons.Running jeton;

    public AdminClients(Jetons.Running jeton) { this.jeton = jeton; }

    /** A fresh access token of a new client {@code clientId} allowed (and asking for) exactly {@code scopes}. */
    public String token(String clientId, String... scopes) {
        return tokenOf(clientId, register(clientId, scopes), String.join(" ", scopes));
    }

    /** Registers a client for client_credentials with {@code scopes}; returns its secret. */
    public String register(String clientId, String... scopes) {
        return jeton.wiring().admin().accounts().addClient(new ClientSpec(clientId, Set.of(GrantType.CLIENT_CREDENTIALS),
                new LinkedHashSet<>(List.of(scopes)), List.of(), List.of(), null, null, RefreshPolicy.ROTATING, false)).secret().value();
    }

    /** client_credentials at the token endpoint; fails the test unless a token comes back. */
    public String tokenOf(String clientId, String secret, String scope) {
        HttpResponse<String> r = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=client_credentials&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8), Http.basic(clientId, secret));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body()).get("access_token").asText();
    }

    /** The generated client, sending {@code token} as Bearer (null: no Authorization header). */
    public ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(jeton.baseUrl());
        if (token != null) client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token));
        return client;
    }

    /** Runs {@code call}, which must be refused with {@code status}; returns the problem details. */
    public static JsonNode refused(int status, java.util.concurrent.Callable<?> call) {
        try {
            call.call();
        } catch (ApiException e) {
            assertThat(e.getCode()).as(e.getResponseBody()).isEqualTo(status);
            return problem(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected " + status);
    }

    /** The problem details of a refused call. */
    public static JsonNode problem(ApiException e) {
        assertThat(e.getResponseHeaders().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode body = json(e.getResponseBody());
        assertThat(body.get("status").asInt()).isEqualTo(e.getCode());
        return body;
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
