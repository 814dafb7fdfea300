package dev.jeton.store.postgres;

import dev.jeton.model.Secret;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a PostgreSQL store is: {@code postgresql://user:password@host:port/db?params} or a
 * {@code jdbc:postgresql:} URL. The password may instead come from elsewhere (env or file);
 * {@link #toString()} never shows it.
 */
public record StoreUrl(String jdbcUrl, String user, Secret password) {

    public static boolean isPostgres(String url) {
        return url != null && (url.startsWith("postgresql://") || url.startsWith("postgres://") || url.startsWith("jdbc:postgresql:"));
    }

    /** @param fallbackPassword used when the URL carries none; may be null */
    public static StoreUrl parse(String url, Secret fallbackPassword) {
        if (url.startsWith("jdbc:postgresql:")) return new StoreUrl(url, null, fallbackPassword);
        URI uri = URI.create(url.replaceFirst("^postgres(ql)?://", "http://"));
        String user = null;
        Secret password = fallbackPassword;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            if (parts.length == 2) password = new Secret(URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String jdbc = "jdbc:postgresql://" + hostPort + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new StoreUrl(jdbc, user, password);
    }

    /** The URL with any password masked, for logs and {@code jeton config}. */
    public static String masked(String url) {
        return url == null ? null : url.replaceAll("(://[^:/@]+:)[^@]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return masked(jdbcUrl) + (user == null ? "" : " as " + user);
    }
}
