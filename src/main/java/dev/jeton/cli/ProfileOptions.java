package dev.jeton.cli;

import dev.jeton.model.UserProfile;
import picocli.CommandLine.Option;

/** A user's OpenID Connect profile claims, as {@code user add} and {@code user update} take them. */
final class ProfileOptions {
    @Option(names = "--name", paramLabel = "NAME", description = "Full name, released as 'name' with the profile scope (\"\" clears it).")
    String name;
    @Option(names = "--given-name", paramLabel = "NAME", description = "Given name ('given_name', profile scope).")
    String givenName;
    @Option(names = "--family-name", paramLabel = "NAME", description = "Family name ('family_name', profile scope).")
    String familyName;
    @Option(names = "--email", paramLabel = "EMAIL", description = "Email address, released with the email scope; a new one is unverified unless --email-verified.")
    String email;
    @Option(names = "--email-verified", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "Whether the address was verified ('email_verified'): true or false.")
    Boolean emailVerified;

    boolean any() { return name != null || givenName != null || familyName != null || email != null || emailVerified != null; }

    UserProfile change() { return new UserProfile(name, givenName, familyName, email, false); }
}
