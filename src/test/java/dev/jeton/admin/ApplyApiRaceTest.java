package dev.jeton.admin;

import dev.jeton.client.admin.ApiClient;
import dev.jeton.client.admin.ApiException;
import dev.jeton.client.admin.api.ClientsApi;
import dev.jeton.client.admin.api.UsersApi;
import dev.jeton.client.admin.model.Client;
import dev.jeton.client.admin.model.ClientPatch;
import dev.jeton.client.admin.model.NewClient;
import dev.jeton.client.admin.model.NewUser;
import dev.jeton.client.admin.model.User;
import dev.jeton.client.admin.model.UserPatch;
import dev.jeton.support.AdminClients;
import dev.jeton.support.InProcessCli;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.jeton.admin.AdminApiTest.etag;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jeton apply} (the CLI, in this JVM, on its own connection to the server's store, as an
 * operator runs it beside a serving Jeton) and admin API changes over HTTP, at the same time on
 * the same resources, round after round: afterwards both sets of changes are there. An API caller
 * whose If-Match went stale meanwhile got a 412, read again and retried; nothing is lost silently.
 * Runs on SQLite and, in the postgres run, on PostgreSQL.
 */
class ApplyApiRaceTest {
    private static final int ROUNDS = 12;

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static ApiClient ops;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        AdminClients admins = new AdminClients(jeton);
        ops = admins.client(admins.token("ops", "jeton:admin:clients", "jeton:admin:users"));
    }

    @AfterAll
    static void stop() { jeton.close(); }

    @Test
    void applyAndApiChangesWhenConcurrentOnTheSameResourcesThenNeitherIsLost() throws Exception {
        ClientsApi clients = new ClientsApi(ops);
        UsersApi users = new UsersApi(ops);
        clients.createClient(new NewClient().clientId("shared").grantTypes(List.of("client_credentials")).scopes(List.of("start")));
        users.createUser(new NewUser().name("racer").password("racer-password").groups(List.of("start")));
        Path file = dir.resolve("jeton.yaml");
        int stale = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < ROUNDS; round++) {
                // apply owns the client's scopes and the user's groups; the API its redirect URIs and whether the user is disabled.
                Files.writeString(file, "clients:\n- clientId: shared\n  scopes: [apply-" + round + "]\n"
                        + "users:\n- name: racer\n  groups: [apply-" + round + "]\n");
                Future<InProcessCli.Result> apply = pool.submit(() -> InProcessCli.run(null, "apply", "-f", file.toString(),
                        "--data-dir", dir.toString()));
                List<String> redirects = new ArrayList<>();
                boolean disabled = false;
                // At least once, then for as long as apply runs: every change has a chance to land inside apply's work.
                for (int change = 0; change == 0 || !apply.isDone(); change++) {
                    redirects = List.of("https://app.example/cb-" + round + "-" + change);
                    List<String> uris = redirects;
                    stale += untilNotStale(() -> etag(clients.getClientWithHttpInfo("shared")),
                            tag -> clients.updateClient("shared", new ClientPatch().redirectUris(uris), tag));
                    disabled = change % 2 == 0;
                    boolean off = disabled;
                    stale += untilNotStale(() -> etag(users.getUserWithHttpInfo("racer")),
                            tag -> users.updateUser("racer", new UserPatch().disabled(off), tag));
                }
                InProcessCli.Result applied = apply.get();
                assertThat(applied.code()).as(applied.err()).isZero();

                Client client = clients.getClient("shared");
                assertThat(client.getScopes()).as("round %d: apply's scopes", round).containsExactly("apply-" + round);
                assertThat(client.getRedirectUris()).as("round %d: the API's redirect URIs", round).isEqualTo(redirects);
                User user = users.getUser("racer");
                assertThat(user.getGroups()).as("round %d: apply's groups", round).containsExactly("apply-" + round);
                assertThat(user.getDisabled()).as("round %d: the API's disabled", round).isEqualTo(disabled);
            }
        }
        // Reported, not asserted: how often a caller had to read again depends on the machine's timing.
        System.out.println("ApplyApiRaceTest: " + stale + " stale If-Match answered 412 and retried over " + ROUNDS + " rounds");
    }

    interface Read {
        String etag() throws ApiException;
    }

    interface Change {
        void with(String ifMatch) throws ApiException;
    }

    /** Reads the ETag, changes with it, and again on 412 (someone changed it in between); returns how many 412s it took. */
    private static int untilNotStale(Read read, Change change) throws ApiException {
        for (int stale = 0; ; stale++) {
            try {
                change.with(read.etag());
                return stale;
            } catch (ApiException e) {
                if (e.getCode() != 412) throw e;
            }
        }
    }
}
