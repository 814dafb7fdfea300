package dev.jeton.model;

/** A managed identity token, with the identity and resource it was minted for. */
public record IdentityToken(Issued issued, ManagedIdentity identity, String resource) {
}
