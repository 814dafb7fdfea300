package dev.jeton.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the Debian packages a test needs, once, and fails the test loudly when it cannot:
 * a test that needs a tool never skips.
 */
public final class Packages {
    private Packages() {
    }

    /** Each pair is (executable path, Debian package). */
    public static synchronized void require(String... executableAndPackage) {
        install(Files::isExecutable, executableAndPackage);
    }

    /** Each pair is (a file the package installs, such as a module, Debian package). */
    public static synchronized void requireFiles(String... fileAndPackage) {
        install(Files::isRegularFile, fileAndPackage);
    }

    private static void install(java.util.function.Predicate<Path> present, String... executableAndPackage) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < executableAndPackage.length; i += 2) {
            if (!present.test(Path.of(executableAndPackage[i]))) missing.add(executableAndPackage[i + 1]);
        }
        if (missing.isEmpty()) return;
        run(List.of("apt-get", "update", "-qq"));
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
        install.addAll(missing);
        run(install);
        for (int i = 0; i < executableAndPackage.length; i += 2) {
            if (!present.test(Path.of(executableAndPackage[i]))) {
                throw new IllegalStateException("installing " + executableAndPackage[i + 1] + " did not provide " + executableAndPackage[i]);
            }
        }
    }

    private static void run(List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
