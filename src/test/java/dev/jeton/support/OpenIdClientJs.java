package dev.jeton.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * openid-client, the OpenID-certified relying party library for Node.js, pinned by the lockfile
 * in src/test/resources/openid-client-js and installed into target/ (see {@link NodeProject}),
 * driven by probe.js in a child process.
 */
public final class OpenIdClientJs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenIdClientJs() {
    }

    /** What the probe printed (one JSON object per step) and how it ended. */
    public record Run(int exitCode, String output) {
        public JsonNode step(String name) {
            for (String line : output.lines().toList()) {
                if (!line.startsWith("{")) continue;
                try {
                    JsonNode node = JSON.readTree(line);
                    if (name.equals(node.path("step").asText())) return node;
                } catch (IOException e) {
                    // not one of the probe's lines
                }
            }
            throw new AssertionError("openid-client printed no step '" + name + "':\n" + output);
        }
    }

    /** Runs probe.js with {@code args} (ISSUER CLIENT_ID REDIRECT_URI USERNAME PASSWORD AUTH [ID_TOKEN_ALG]). */
    public static Run run(String... args) {
        Path dir = NodeProject.install("openid-client-js", List.of("package.json", "package-lock.json", "probe.js"),
                "node_modules/openid-client/package.json", 20);
        List<String> command = new ArrayList<>(List.of("node", "probe.js"));
        command.addAll(List.of(args));
        // Node's fetch may honour proxy variables: the requests must reach Jeton directly.
        NodeProject.Output out = NodeProject.run(dir, command, env -> env.keySet().removeIf(k ->
                List.of("http_proxy", "https_proxy", "all_proxy", "node_options").contains(k.toLowerCase(Locale.ROOT))), 120);
        return new Run(out.exitCode(), out.text());
    }
}
