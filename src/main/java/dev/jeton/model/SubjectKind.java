package dev.jeton.model;

/** What kind of principal a token speaks for. */
public enum SubjectKind {
    USER, CLIENT, API_KEY, MANAGED_IDENTITY;

    // Computed once: every minted token and every audit line asks for it.
    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    public String wireName() { return wireName; }
}
