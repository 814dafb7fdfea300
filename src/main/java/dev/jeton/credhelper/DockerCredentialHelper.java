package dev.jeton.credhelper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jeton.credhelper.Registries.Target;
import dev.jeton.credhelper.TokenFile.Entry;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Docker's credential-helper protocol ({@code docker-credential-jeton get|store|erase|list}),
 * over the helper's token file. {@code get} for a registry without credentials signs in with
 * the device flow when a Jeton is configured for it; the identity token it gets is returned
 * with the username {@code <token>}, which tells Docker and containers/image to send it as a
 * refresh token.
 */
public final class DockerCredentialHelper {
    public static final String TOKEN_USER = "<token>";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Registries registries;
    private final TokenFile tokens;
    private final DeviceSignIn signIn;

    public DockerCredentialHelper(Registries registries, TokenFile tokens, DeviceSignIn signIn) {
        this.registries = registries;
        this.tokens = tokens;
        this.signIn = signIn;
    }

    /** stdin: the server URL; stdout: {@code {"ServerURL","Username","Secret"}}. */
    public String get(String serverUrl) throws Refused, IOException, InterruptedException {
        String host = host(serverUrl);
        Map<String, Entry> all = tokens.read();
        Entry entry = all.get(host);
        if (entry == null) {
            Target target = registries.forRegistry(host).orElseThrow(Refused::notFound);
            String token = signIn.signIn(target, host);
            entry = new Entry(TOKEN_USER, token, target.server().toString(), target.clientId());
            // Read again: another helper may have written meanwhile (one sign-in per registry still wins here).
            all = tokens.read();
            all.put(host, entry);
            tokens.write(all);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("ServerURL", serverUrl.strip());
        out.put("Username", entry.username());
        out.put("Secret", entry.secret());
        return JSON.writeValueAsString(out);
    }

    /** stdin: {@code {"ServerURL","Username","Secret"}} as {@code docker login} hands it over; kept as given. */
    public void store(String json) throws Refused, IOException {
        JsonNode in;
        try {
            in = JSON.readTree(json);
        } catch (IOException e) {
            throw new Refused("store expects {\"ServerURL\",\"Username\",\"Secret\"} as JSON on stdin");
        }
        String url = in.path("ServerURL").asText("");
        if (url.isBlank() || !in.path("Secret").isTextual()) throw new Refused("store expects {\"ServerURL\",\"Username\",\"Secret\"} as JSON on stdin");
        Map<String, Entry> all = tokens.read();
        all.put(host(url), new Entry(in.path("Username").asText(""), in.path("Secret").asText(), null, null));
        tokens.write(all);
    }

    /** Revokes a token from Jeton's sign-in at Jeton, then forgets it; kept when Jeton cannot be told, so erase can be retried. */
    public void erase(String serverUrl) throws Refused, IOException, InterruptedException {
        String host = host(serverUrl);
        Map<String, Entry> all = tokens.read();
        Entry entry = Optional.ofNullable(all.get(host)).orElseThrow(Refused::notFound);
        if (entry.server() != null) signIn.revoke(new Target(URI.create(entry.server()), entry.clientId()), entry.secret());
        all = tokens.read();
        all.remove(host);
        tokens.write(all);
    }

    /** {@code {"ServerURL": "Username"}} for every registry with credentials. */
    public String list() throws IOException {
        ObjectNode out = JSON.createObjectNode();
        tokens.read().forEach((host, entry) -> out.put(host, entry.username()));
        return JSON.writeValueAsString(out);
    }

    private static String host(String serverUrl) throws Refused {
        if (serverUrl == null || serverUrl.isBlank()) throw new Refused("no server URL on stdin");
        return Registries.hostOf(serverUrl);
    }
}
