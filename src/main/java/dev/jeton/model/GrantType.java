package dev.jeton.model;

import java.util.Arrays;
import java.util.Optional;

/** Grant types a client may be allowed to use, by their RFC names. */
public enum GrantType {
    CLIENT_CREDENTIALS("client_credentials"),
    PASSWORD("password"),
    REFRESH_TOKEN("refresh_token"),
    AUTHORIZATION_CODE("authorization_code"),
    /** RFC 8628; {@code device_code} is accepted as its short name (for {@code jeton client add --grant}). */
    DEVICE_CODE("urn:ietf:params:oauth:grant-type:device_code");

    private final String wireName;

    GrantType(String wireName) { this.wireName = wireName; }

    public String wireName() { return wireName; }

    public static Optional<GrantType> fromWire(String name) {
        if ("device_code".equals(name)) return Optional.of(DEVICE_CODE);
        return Arrays.stream(values()).filter(g -> g.wireName.equals(name)).findFirst();
    }
}
