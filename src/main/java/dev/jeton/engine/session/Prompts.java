package dev.jeton.engine.session;

import dev.jeton.engine.session.IdTokenHints.Hint;
import dev.jeton.model.Failure;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The authorization request's OpenID Connect parameters that steer the login (OIDC Core
 * 3.1.2.1): {@code prompt}, {@code max_age}, {@code login_hint}, {@code id_token_hint}.
 * {@code maxAge} and {@code hint} are null when absent.
 */
public record Prompts(Set<String> prompt, Duration maxAge, String loginHint, Hint hint) {
    public static final Set<String> KNOWN = Set.of("none", "login", "consent", "select_account");

    public Prompts {
        prompt = Set.copyOf(prompt);
    }

    public static Prompts none() { return new Prompts(Set.of(), null, null, null); }

    /** Checks each value in spec order; every failure is invalid_request, sent back to the client. */
    public static Prompts parse(String prompt, String maxAge, String loginHint, String idTokenHint, IdTokenHints hints) {
        Set<String> values = new LinkedHashSet<>();
        if (prompt != null) {
            for (String v : prompt.trim().split(" +")) {
                if (v.isEmpty()) continue;
                if (!KNOWN.contains(v)) throw Failure.invalidRequest("prompt", "prompt value '" + shorten(v) + "' is not supported").because("prompt.unknown");
                values.add(v);
            }
        }
        if (values.contains("none") && values.size() > 1) {
            throw Failure.invalidRequest("prompt", "prompt=none cannot be combined with other values").because("prompt.none_combined");
        }
        Duration age = null;
        if (maxAge != null) {
            if (!maxAge.matches("[0-9]{1,10}")) throw Failure.invalidRequest("max_age", "max_age must be a number of seconds").because("max_age.malformed");
            age = Duration.ofSeconds(Long.parseLong(maxAge));
        }
        if (loginHint != null && loginHint.length() > 256) throw Failure.invalidRequest("login_hint", "login_hint is too long").because("login_hint.long");
        Hint hint = idTokenHint == null || idTokenHint.isEmpty() ? null : hints.verify(idTokenHint);
        return new Prompts(values, age, loginHint == null || loginHint.isEmpty() ? null : loginHint, hint);
    }

    public boolean has(String value) { return prompt.contains(value); }

    /**
     * What is left to ask once the user has logged in (or chosen the account) on this request:
     * only consent. The hints are spent: whoever just logged in is the user.
     */
    public Prompts afterLogin() {
        Set<String> left = new LinkedHashSet<>(prompt);
        left.remove("login");
        left.remove("select_account");
        return new Prompts(left, null, null, null);
    }

    /** The prompt parameter as it is carried in the page's hidden fields; null when empty. */
    public String wire() { return prompt.isEmpty() ? null : String.join(" ", prompt); }

    private static String shorten(String v) { return v.length() > 40 ? v.substring(0, 40) + "..." : v; }
}
