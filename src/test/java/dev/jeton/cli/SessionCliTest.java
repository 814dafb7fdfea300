package dev.jeton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.support.InProcessCli;
import dev.jeton.support.InProcessCli.Result;
import dev.jeton.support.Jetons;
import dev.jeton.support.LoginFlow;
import dev.jeton.support.WebSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jeton session list|revoke} and {@code jeton client update} beside a running server on the same database. */
class SessionCliTest {
    private static final String REDIRECT = "http://127.0.0.1:9/callback";

    @TempDir
    Path dir;

    private Result run(String stdin, String... args) {
        String[] withDir = new String[args.length + 2];
        System.arraycopy(args, 0, withDir, 0, args.length);
        withDir[args.length] = "--data-dir";
        withDir[args.length + 1] = dir.toString();
        return InProcessCli.run(stdin, withDir);
    }

    @Test
    void sessionWhenListedAndRevokedByTheCliThenTheServerAsksForALoginAgain() throws Exception {
        try (Jetons.Running server = Jetons.start(dir)) {
            assertThat(run("alice-password\n", "user", "add", "alice", "--password-stdin").code()).isZero();
            Result added = run(null, "client", "add", "web", "--grant", "authorization_code", "--scope", "openid",
                    "--redirect-uri", REDIRECT, "--post-logout-redirect-uri", "https://web.example/bye", "--json");
            assertThat(added.code()).as(added.err()).isZero();
            String url = LoginFlow.authorizeUrl(server.baseUrl(), "web", REDIRECT, "openid", "s", null);
            WebSession browser = new WebSession(server.baseUrl());
            assertThat(browser.login(browser.get(url), "alice", "alice-password").statusCode()).isEqualTo(302);

            JsonNode listed = run(null, "session", "list", "--user", "alice", "--json").json();
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("user").asText()).isEqualTo("alice");
            assertThat(listed.get(0).get("clients").get(0).asText()).isEqualTo("web");
            assertThat(listed.get(0).get("amr").get(0).asText()).isEqualTo("pwd");
            assertThat(run(null, "session", "list").out()).contains(listed.get(0).get("id").asText(), "alice");

            // Third-party from now on: the consent page instead of a code.
            Result updated = run(null, "client", "update", "web", "--no-first-party");
            assertThat(updated.out()).contains("third-party (consent)", "post-logout https://web.example/bye");
            // One update takes the ID token options and the session options together.
            Result both = run(null, "client", "update", "web", "--id-token-alg", "ES256", "--backchannel-logout-uri", "https://web.example/bc");
            assertThat(both.code()).as(both.err()).isZero();
            assertThat(both.out()).contains("third-party (consent)", "back-channel logout https://web.example/bc");
            assertThat(run(null, "client", "update", "--help").out()).contains("--id-token-alg", "--jwks-uri", "--[no-]first-party",
                    "--post-logout-redirect-uri", "--backchannel-logout-uri");
            assertThat(browser.get(url).body()).contains("Allow access?");

            Result revoked = run(null, "session", "revoke", listed.get(0).get("id").asText());
            assertThat(revoked.code()).as(revoked.err()).isZero();
            HttpResponse<String> silent = browser.get(url + "&prompt=none");
            assertThat(LoginFlow.param(silent, "error")).isEqualTo("login_required");

            assertThat(browser.login(browser.get(url), "alice", "alice-password").body()).contains("Allow access?");
            assertThat(run(null, "session", "revoke", "--user", "alice").out()).isEqualTo("revoked 1 session(s) of alice\n");
            assertThat(run(null, "session", "list", "--json").json()).isEmpty();
        }
    }

    @Test
    void sessionAndClientUpdateWhenOperatorMistakesThenOneClearLine() {
        run(null, "init");
        assertThat(run(null, "session", "revoke", "no-such-id").err()).isEqualTo("jeton: no active session 'no-such-id'\n");
        assertThat(run(null, "session", "revoke", "--user", "nobody").err()).isEqualTo("jeton: no user named 'nobody'\n");
        assertThat(run(null, "client", "update", "nobody", "--first-party").err()).isEqualTo("jeton: no client 'nobody'\n");
        Result nothing = run(null, "client", "update", "demo");
        assertThat(nothing.code()).isNotZero();
        assertThat(nothing.err()).contains("nothing to change");
        assertThat(run(null, "client", "update", "demo", "--post-logout-redirect-uri", "/relative").err())
                .contains("must be an absolute URI");
        assertThat(run(null, "client", "update", "demo", "--backchannel-logout-uri", "ftp://x.example/bc").err())
                .contains("must be http or https");
    }
}
