package dev.jeton.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's podman as it works on this machine (shared VERIFIED.md): the runc runtime (crun cannot
 * set its rlimits here), a containers.conf without default ulimits, and the host network.
 */
public final class Podman {
    private static final Path CONF = Path.of(System.getProperty("java.io.tmpdir"), "jeton-test-containers.conf");

    private Podman() {
    }

    public record Result(int code, String output) {
        public boolean ok() { return code == 0; }

        public Result orFail(String what) {
            if (!ok()) throw new IllegalStateException(what + " failed (" + code + "):\n" + output);
            return this;
        }
    }

    /** Installs podman and runc once and writes the containers.conf (idempotent). */
    public static synchronized void require() throws IOException {
        Packages.require("/usr/bin/podman", "podman", "/usr/sbin/runc", "runc");
        String conf = "[containers]\ndefault_ulimits = []\n";
        if (!Files.exists(CONF) || !Files.readString(CONF).equals(conf)) Files.writeString(CONF, conf);
    }

    public static Result run(String... args) throws Exception {
        return run(600, List.of(args));
    }

    public static Result run(int timeoutSeconds, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/podman", "--runtime", "/usr/sbin/runc"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("CONTAINERS_CONF", CONF.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("podman " + args + " timed out:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }
}
