package dev.jeton.engine.session;

import dev.jeton.engine.code.Authorizations.Request;
import dev.jeton.engine.session.LoginSessions.Current;
import dev.jeton.model.User;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What the authorization endpoint does next for a valid request, given the browser's login
 * session (OIDC Core 3.1.2.1-3.1.2.6): show the login page, the account chooser or the consent
 * page, issue a code, or (with {@code prompt=none}, which never shows a page) refuse with
 * {@code login_required} or {@code consent_required}.
 */
public final class SignIn {
    private final Consents consents;
    private final Clock clock;

    public SignIn(Consents consents, Clock clock) {
        this.consents = consents;
        this.clock = clock;
    }

    public Step next(Request request, Prompts prompts, Optional<Current> session) {
        boolean silent = prompts.has("none");
        String prefill = prompts.loginHint();
        if (session.isEmpty()) return silent ? refuse("login_required", "the user is not logged in") : new Step.Login(prefill);
        Current current = session.get();
        User user = current.user();
        // 3.1.2.1 id_token_hint: the RP expects this user; with another one logged in, the user must log in as the right one.
        if (prompts.hint() != null && !prompts.hint().subject().equals(user.id())) {
            return silent ? refuse("login_required", "the logged-in user is not the one of id_token_hint") : new Step.Login(prefill);
        }
        if (prompts.loginHint() != null && !prompts.loginHint().equals(user.name())) {
            return silent ? refuse("login_required", "the logged-in user is not the one of login_hint") : new Step.Login(prefill);
        }
        if (prompts.has("login")) return new Step.Login(prefill == null ? user.name() : prefill);
        if (prompts.maxAge() != null && tooOld(current, prompts)) {
            return silent ? refuse("login_required", "the login is older than max_age") : new Step.Login(user.name());
        }
        if (prompts.has("select_account")) return new Step.ChooseAccount(user);
        if (prompts.has("consent") || consents.needed(user, request.target().client(), request.scope())) {
            return silent ? refuse("consent_required", "the user has not approved this application's access") : new Step.Consent(user);
        }
        return new Step.Issue(current);
    }

    private boolean tooOld(Current current, Prompts prompts) {
        Instant oldest = clock.instant().minus(prompts.maxAge());
        return current.session().authTime().isBefore(oldest);
    }

    private static Step refuse(String error, String description) { return new Step.Refuse(error, description); }

    /** One arm per outcome; a new page is a new record and the dialect's switch will not compile without it. */
    public sealed interface Step {
        record Login(String prefill) implements Step {
        }

        record ChooseAccount(User user) implements Step {
        }

        record Consent(User user) implements Step {
        }

        record Issue(Current session) implements Step {
        }

        /** An OpenID Connect error code (3.1.2.6) for the redirect URI. */
        record Refuse(String error, String description) implements Step {
        }
    }
}
