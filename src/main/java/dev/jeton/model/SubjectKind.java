package dev.jeton.model;

/** What kind of principal a token speaks for. */
public enum SubjectKind {
    USER, CLIENT, API_KEY, MANAGED_IDENTITY,
    /** A workload known only by its platform token, mapped by a trust policy to a group's rights. */
    WORKLOAD;

    // Computed once: every minted token and every audit line asks for it.
    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    public String wireName() { return wireName; }
}
