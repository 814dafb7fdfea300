package dev.jeton.model;

/** How a refresh family treats its tokens. */
public enum RefreshPolicy {
    /** Every use returns a new token; reuse of an old one revokes the family. */
    ROTATING,
    /**
     * Every use returns a new token; reuse of an old one is refused but leaves the family alive,
     * as the original Occam service does. Weaker than ROTATING (RFC 9700 4.14.2): opt-in only.
     */
    ROTATING_LENIENT,
    /** One token, usable until it expires or is revoked. */
    REUSABLE
}
