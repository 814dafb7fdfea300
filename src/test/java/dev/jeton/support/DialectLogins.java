package dev.jeton.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A password login in each dialect's own wire form, optionally as if forwarded by a proxy for
 * {@code address} (X-Forwarded-For): how limit tests give each case an address of its own.
 */
public enum DialectLogins {
    OAUTH2 {
        @Override
        public HttpResponse<String> login(Jetons.Running jeton, String user, String password, String address) {
            return send(form(jeton.baseUrl() + "/oidc/token", "grant_type=password&username=" + enc(user) + "&password=" + enc(password),
                    address).header("Authorization", Http.basic("demo", jeton.demoSecret())));
        }
    },
    OCCAM {
        @Override
        public HttpResponse<String> login(Jetons.Running jeton, String user, String password, String address) {
            return send(form(jeton.baseUrl() + "/auth/access-token", "username=" + enc(user) + "&password=" + enc(password), address));
        }
    },
    REGISTRY {
        @Override
        public HttpResponse<String> login(Jetons.Running jeton, String user, String password, String address) {
            return send(with(HttpRequest.newBuilder(URI.create(jeton.baseUrl() + "/oauth2/token?service=registry.test")), address)
                    .header("Authorization", Http.basic(user, password)).GET());
        }
    },
    RUNAI {
        @Override
        public HttpResponse<String> login(Jetons.Running jeton, String user, String password, String address) {
            String json = "{\"grantType\":\"password\",\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
            return send(with(HttpRequest.newBuilder(URI.create(jeton.baseUrl() + "/api/v1/token")), address)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
        }
    };

    /** @param address sent as X-Forwarded-For, or null for none */
    public abstract HttpResponse<String> login(Jetons.Running jeton, String user, String password, String address);

    /** The status this dialect answers a wrong password with. */
    public int badCredentialsStatus() { return this == REGISTRY || this == RUNAI ? 401 : 400; }

    private static HttpRequest.Builder form(String url, String body, String address) {
        return with(HttpRequest.newBuilder(URI.create(url)), address).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpRequest.Builder with(HttpRequest.Builder b, String address) {
        return address == null ? b : b.header("X-Forwarded-For", address);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) { return Http.send(b.build()); }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
