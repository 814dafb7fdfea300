package dev.jeton.model;

/** Client credentials as presented on the wire, not yet checked. */
public record ClientAuth(String clientId, Secret secret, Method method) {
    public enum Method { BASIC, POST, NONE }

    public static ClientAuth none(String clientId) { return new ClientAuth(clientId, null, Method.NONE); }
}
