package dev.jeton.model;

/** What kind of principal a token speaks for. */
public enum SubjectKind {
    USER, CLIENT, API_KEY, MANAGED_IDENTITY;

    public String wireName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
