package dev.jeton.model;

/**
 * Life of a signing key. NEXT is published but does not sign yet, so verifiers have it before
 * the first token; RETIRING no longer signs but stays published until its tokens expire.
 */
public enum KeyState {
    NEXT, ACTIVE, RETIRING, RETIRED;

    public boolean published() { return this != RETIRED; }
}
