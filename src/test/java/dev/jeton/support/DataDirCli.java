package dev.jeton.support;

import dev.jeton.support.InProcessCli.Result;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jeton ARGS --data-dir DIR} in this JVM, on a data directory of its own (a fresh PostgreSQL database in the postgres run). */
public final class DataDirCli {
    private DataDirCli() {
    }

    /** A new data directory under {@code root}, configured for the store of this run. */
    public static Path fresh(Path root, String name) {
        Path d = root.resolve(name);
        Jetons.config(d, Map.of()); // names a fresh PostgreSQL database in its jeton.conf in the postgres run
        return d;
    }

    /** @param stdin what the command reads from standard input, or null for nothing */
    public static Result run(Path dataDir, String stdin, String... args) {
        String[] withDir = Arrays.copyOf(args, args.length + 2);
        withDir[args.length] = "--data-dir";
        withDir[args.length + 1] = dataDir.toString();
        return InProcessCli.run(stdin, withDir);
    }

    /** As {@link #run}, failing the test unless the command exits 0. */
    public static Result ok(Path dataDir, String stdin, String... args) {
        Result r = run(dataDir, stdin, args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r;
    }
}
