package dev.jeton.cli;

import dev.jeton.Jeton;
import dev.jeton.credhelper.BrowserOpener;
import dev.jeton.credhelper.DeviceSignIn;
import dev.jeton.credhelper.DockerCredentialHelper;
import dev.jeton.credhelper.HelperDirectory;
import dev.jeton.credhelper.Refused;
import dev.jeton.credhelper.Registries;
import dev.jeton.credhelper.TokenFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "credential-helper", mixinStandardHelpOptions = true,
        description = {"docker-credential-jeton: a Docker credential helper (for docker, podman, buildah and skopeo through "
                + "credHelpers) that signs in to Jeton with the device flow (RFC 8628) and keeps the registry identity token it gets.",
                "Install it with 'jeton credential-helper install --dir DIR --server URL'; Docker then runs "
                        + "'docker-credential-jeton get|store|erase|list|version', which are these subcommands.",
                "Configuration and tokens live in $JETON_CONFIG_DIR, else $XDG_CONFIG_HOME/jeton, else ~/.config/jeton. "
                        + "README: 'Sign in from the command line (device flow and docker-credential-jeton)'."},
        subcommands = {CredentialHelperCommand.Install.class, CredentialHelperCommand.Get.class, CredentialHelperCommand.Store.class,
                CredentialHelperCommand.Erase.class, CredentialHelperCommand.ListCredentials.class, CredentialHelperCommand.Version.class})
public final class CredentialHelperCommand {
    static final String SCRIPT = "docker-credential-jeton";

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Writes the executable DIR/docker-credential-jeton (it runs this Jeton checkout's launcher, so keep the "
                    + "checkout where it is) and records which Jeton signs in which registries in credential-helper.properties.",
                    "Then put DIR on PATH and name the helper for your registry in ~/.docker/config.json or containers' auth.json: "
                            + "{\"credHelpers\": {\"registry.example:5000\": \"jeton\"}}."})
    static final class Install implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where to write docker-credential-jeton (a directory on PATH).")
        Path dir;
        @Option(names = "--server", required = true, paramLabel = "URL", description = "Jeton's public URL, e.g. https://jeton.example:8443.")
        String server;
        @Option(names = "--client-id", paramLabel = "ID", defaultValue = "docker-credential-jeton",
                description = "The public client registered for the helper with --grant device_code --scope registry (default: ${DEFAULT-VALUE}).")
        String clientId;
        @Option(names = "--registry", paramLabel = "HOST[:PORT]",
                description = "Use this Jeton for these registries only (repeatable); without it, for every registry the helper is asked about.")
        List<String> registries = new ArrayList<>();
        @Option(names = "--config-dir", paramLabel = "DIR", description = "Where the helper keeps its settings and tokens "
                + "(default: $JETON_CONFIG_DIR, $XDG_CONFIG_HOME/jeton or ~/.config/jeton; the helper itself always looks there).")
        Path configDir;
        @Option(names = "--launcher", paramLabel = "PATH", description = "The command the script runs (default: this checkout's ./jeton).")
        Path launcher;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            URI jeton = URI.create(server.strip().replaceAll("/+$", ""));
            if (!("http".equals(jeton.getScheme()) || "https".equals(jeton.getScheme())) || jeton.getHost() == null) {
                throw new IllegalArgumentException("--server must be Jeton's http:// or https:// URL; got '" + server + "'");
            }
            Path command = launcher != null ? launcher.toAbsolutePath() : defaultLauncher();
            Files.createDirectories(dir);
            Path script = dir.resolve(SCRIPT);
            Files.writeString(script, "#!/bin/sh\n"
                    + "# docker-credential-jeton: Docker credential helper signing in to Jeton with the device flow.\n"
                    + "# Written by 'jeton credential-helper install'; see 'jeton credential-helper --help'.\n"
                    + "exec " + shellQuoted(command.toString()) + " credential-helper \"$@\"\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path config = configDir != null ? configDir : HelperDirectory.of(System.getenv());
            Registries settings = Registries.load(config);
            Registries.Target target = new Registries.Target(jeton, clientId);
            if (registries.isEmpty()) settings = settings.with(null, target);
            for (String host : registries) settings = settings.with(Registries.hostOf(host), target);
            settings.save(config);
            out.println("wrote " + script);
            out.println("wrote " + config.resolve(Registries.FILE));
            String hosts = registries.isEmpty() ? "\"REGISTRY-HOST:PORT\": \"jeton\""
                    : String.join(", ", registries.stream().map(h -> "\"" + Registries.hostOf(h) + "\": \"jeton\"").toList());
            out.println("next: put " + dir.toAbsolutePath() + " on PATH, and add to ~/.docker/config.json (or auth.json): {\"credHelpers\": {"
                    + hosts + "}}");
            return 0;
        }

        /** The launcher beside the jar that runs this ({@code CHECKOUT/target/jeton.jar} -> {@code CHECKOUT/jeton}), or as it named itself. */
        private static Path defaultLauncher() {
            String named = System.getenv("JETON_LAUNCHER");
            if (named != null && !named.isBlank()) return Path.of(named).toAbsolutePath();
            try {
                Path code = Path.of(Jeton.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                Path candidate = code.toAbsolutePath().getParent().getParent().resolve("jeton");
                if (Files.isExecutable(candidate)) return candidate;
            } catch (Exception e) {
                // worded below
            }
            throw new IllegalArgumentException("cannot tell where Jeton's launcher is: pass --launcher /path/to/jeton");
        }

        private static String shellQuoted(String s) { return "'" + s.replace("'", "'\\''") + "'"; }
    }

    /** The protocol's commands: the answer on stdout, errors there too with exit code 1 (as Docker reads them), the sign-in prompt on stderr. */
    abstract static class ProtocolCommand implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path dir = HelperDirectory.of(System.getenv());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
            DockerCredentialHelper helper = new DockerCredentialHelper(Registries.load(dir), new TokenFile(dir),
                    new DeviceSignIn(http, new BrowserOpener(System.getenv()), err));
            try {
                String answer = answer(helper, new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip());
                if (answer != null) out.println(answer);
                out.flush();
                return 0;
            } catch (Refused e) {
                out.println(e.getMessage());
                out.flush();
                return 1;
            } catch (IOException e) {
                out.println("docker-credential-jeton: " + e.getMessage());
                out.flush();
                return 1;
            }
        }

        abstract String answer(DockerCredentialHelper helper, String stdin) throws Exception;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Reads a registry's server URL on stdin, prints its credentials "
            + "as {\"ServerURL\",\"Username\",\"Secret\"}; without any, signs in to Jeton with the device flow first.")
    static final class Get extends ProtocolCommand {
        @Override String answer(DockerCredentialHelper helper, String stdin) throws Exception { return helper.get(stdin); }
    }

    @Command(name = "store", mixinStandardHelpOptions = true, description = "Reads {\"ServerURL\",\"Username\",\"Secret\"} on stdin "
            + "(what docker login hands over) and keeps it.")
    static final class Store extends ProtocolCommand {
        @Override String answer(DockerCredentialHelper helper, String stdin) throws Exception {
            helper.store(stdin);
            return null;
        }
    }

    @Command(name = "erase", mixinStandardHelpOptions = true, description = "Reads a server URL on stdin, revokes its token at Jeton "
            + "(RFC 7009) and forgets it.")
    static final class Erase extends ProtocolCommand {
        @Override String answer(DockerCredentialHelper helper, String stdin) throws Exception {
            helper.erase(stdin);
            return null;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Prints {\"ServerURL\": \"Username\"} for every registry with credentials.")
    static final class ListCredentials extends ProtocolCommand {
        @Override String answer(DockerCredentialHelper helper, String stdin) throws Exception { return helper.list(); }
    }

    @Command(name = "version", mixinStandardHelpOptions = true, description = "Prints the helper's version.")
    static final class Version implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println("docker-credential-jeton (" + String.join(" ", spec.root().version()) + ")");
            return 0;
        }
    }
}
