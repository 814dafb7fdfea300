package dev.jeton.model;

import java.util.Locale;
import java.util.Optional;

/** How a client authenticates at the token endpoint (OIDC Core 9, RFC 7591 2): its registered {@code token_endpoint_auth_method}. */
public enum TokenAuthMethod {
    CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, CLIENT_SECRET_JWT, PRIVATE_KEY_JWT, NONE;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<TokenAuthMethod> fromWire(String name) {
        for (TokenAuthMethod m : values()) {
            if (m.wireName().equals(name)) return Optional.of(m);
        }
        return Optional.empty();
    }
}
