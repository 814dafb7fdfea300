package dev.jeton.model;

/**
 * The OpenID Connect standard claims a user carries (OIDC Core 5.1): {@code name},
 * {@code given_name}, {@code family_name}, {@code email}, {@code email_verified}. Any may be null.
 */
public record UserProfile(String name, String givenName, String familyName, String email, boolean emailVerified) {
    public static final UserProfile EMPTY = new UserProfile(null, null, null, null, false);

    /** This profile with every non-null field of {@code change} applied; {@code ""} clears a field. */
    public UserProfile merge(UserProfile change, Boolean verified) {
        return new UserProfile(pick(change.name, name), pick(change.givenName, givenName), pick(change.familyName, familyName),
                pick(change.email, email), verified != null ? verified : change.email != null && !change.email.equals(email) ? false : emailVerified);
    }

    private static String pick(String next, String current) {
        if (next == null) return current;
        return next.isEmpty() ? null : next;
    }
}
