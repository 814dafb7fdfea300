package dev.jeton.model;

/**
 * Client credentials as presented on the wire, not yet checked. For {@link Method#JWT}
 * ({@code private_key_jwt}, RFC 7523) {@code secret} holds the client assertion and
 * {@code clientId} is the request's {@code client_id} or else the assertion's claimed {@code sub}.
 */
public record ClientAuth(String clientId, Secret secret, Method method) {
    public enum Method { BASIC, POST, JWT, NONE }

    public static ClientAuth none(String clientId) { return new ClientAuth(clientId, null, Method.NONE); }
}
