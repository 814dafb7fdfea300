package dev.jeton.model;

/** How a refresh family treats its tokens. */
public enum RefreshPolicy {
    /** Every use returns a new token; reuse of an old one revokes the family. */
    ROTATING,
    /** One token, usable until it expires or is revoked. */
    REUSABLE
}
