package dev.jeton.engine.desired;

import dev.jeton.model.Failure;
import dev.jeton.model.Secret;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reads a secret a configuration file names by reference (an environment variable or a file),
 * so the file itself never holds one. Only apply reads them; export never writes them.
 */
public final class SecretReferences {
    private final Function<String, String> env;

    /** {@code env}: the environment a {@code ...Env} reference is read from. */
    public SecretReferences(Function<String, String> env) { this.env = env; }

    /** The referenced secret, or null when neither reference is given. {@code what}: "user alice: password", for errors. */
    public Secret read(String what, String envName, String file) {
        String field = what.substring(what.lastIndexOf(' ') + 1);
        if (envName != null && file != null) throw Failure.invalidRequest(what + "Env and " + field + "File cannot both be given");
        if (envName != null) {
            String value = env.apply(envName);
            if (value == null || value.isEmpty()) throw Failure.invalidRequest(what + "Env: environment variable " + envName + " is not set");
            return new Secret(value);
        }
        if (file == null) return null;
        try {
            String value = Files.readString(Path.of(file)).strip();
            if (value.isEmpty()) throw Failure.invalidRequest(what + "File: " + file + " is empty");
            return new Secret(value);
        } catch (IOException | RuntimeException e) {
            if (e instanceof Failure f) throw f;
            throw Failure.invalidRequest(what + "File: cannot read " + file);
        }
    }

    /** How a plan names the referenced secret without showing it. */
    static String describe(String envName, String file) {
        return envName != null ? "the value of $" + envName : "the content of " + file;
    }
}
