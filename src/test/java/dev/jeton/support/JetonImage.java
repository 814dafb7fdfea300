package dev.jeton.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The image that {@code mvn -Pimage package} builds, loaded into podman. Building it costs
 * minutes (jlink, the start-up cache), so it is built once per set of inputs: the project's
 * main sources, pom, launcher and image scripts are hashed, and the image is kept as
 * {@code ~/.cache/jeton/jeton-image-HASH.tar} and in podman as {@code localhost/jeton-test:HASH}.
 * The build runs in a copy of the project under target/, never in the target/ the tests run from.
 */
public final class JetonImage {
    private static final List<String> INPUTS = List.of("pom.xml", "jeton", "src/main", "patches", "deploy/image");
    private static String loaded;
    private static Path loadedTar;

    private JetonImage() {
    }

    /** The podman name of the image for the current sources, built and loaded when needed. */
    public static synchronized String load() throws Exception {
        if (loaded != null) return loaded;
        Podman.require();
        Path project = Path.of("").toAbsolutePath();
        String hash = inputHash(project);
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "jeton");
        Path tar = cache.resolve("jeton-image-" + hash + ".tar");
        if (!Files.exists(tar)) {
            Files.createDirectories(cache);
            Path built = build(project);
            try (Stream<Path> old = Files.list(cache)) {
                for (Path p : old.filter(p -> p.getFileName().toString().startsWith("jeton-image-")).toList()) Files.delete(p);
            }
            Files.copy(built, tar, StandardCopyOption.REPLACE_EXISTING);
        }
        String name = "localhost/jeton-test:" + hash;
        if (!Podman.run("image", "exists", name).ok()) {
            removeOlderImages(name);
            String out = Podman.run("load", "-i", tar.toString()).orFail("podman load").output();
            String loadedName = out.lines().filter(l -> l.startsWith("Loaded image")).map(l -> l.substring(l.lastIndexOf(' ') + 1).trim())
                    .findFirst().orElseThrow(() -> new IllegalStateException("podman load named no image:\n" + out));
            Podman.run("tag", loadedName, name).orFail("podman tag");
        }
        loadedTar = tar;
        return loaded = name;
    }

    /** Images of earlier sources: each is 160 MB of podman's storage. */
    private static void removeOlderImages(String current) throws Exception {
        String listed = Podman.run("images", "--filter", "reference=localhost/jeton-test", "--format", "{{.Repository}}:{{.Tag}}").output();
        for (String image : listed.lines().map(String::trim).filter(l -> l.startsWith("localhost/jeton-test:")).toList()) {
            if (!image.equals(current)) Podman.run("rmi", "--force", image);
        }
    }

    /** The image as {@code mvn -Pimage package} wrote it (a docker-archive tar), for {@link #load()}'s image. */
    public static synchronized Path tar() throws Exception {
        load();
        return loadedTar;
    }

    /** {@code mvn -Pimage package} in a copy of the project's inputs, as a user would run it. */
    private static Path build(Path project) throws Exception {
        Path copy = project.resolve("target/image-build");
        deleteTree(copy);
        for (String input : INPUTS) copyTree(project.resolve(input), copy.resolve(input));
        Path log = copy.resolve("build.log");
        Process p = new ProcessBuilder("mvn", "-B", "-q", "-Pimage", "-Dmaven.test.skip=true", "package")
                .directory(copy.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("mvn -Pimage package took over 20 minutes; log: " + log);
        }
        Path tar = copy.resolve("target/jeton-image.tar");
        if (p.exitValue() != 0 || !Files.exists(tar)) {
            throw new IllegalStateException("mvn -Pimage package failed:\n" + Files.readString(log));
        }
        return tar;
    }

    static String inputHash(Path project) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String input : INPUTS) {
            Path root = project.resolve(input);
            if (!Files.exists(root)) continue;
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    sha.update(project.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                    sha.update(Files.readAllBytes(f));
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.exists(from)) return;
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
