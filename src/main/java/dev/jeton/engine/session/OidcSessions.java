package dev.jeton.engine.session;

/** What the authorization and logout endpoints need of login sessions, built once in the wiring. */
public record OidcSessions(LoginSessions sessions, SignIn signIn, Consents consents, IdTokenHints hints, Logout logout) {
}
