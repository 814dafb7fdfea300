package dev.jeton.cli;

import dev.jeton.model.Secret;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads one secret line from standard input, so it never appears in a process list or shell history. */
final class StdinSecret {
    private StdinSecret() {
    }

    static Secret read(String what) {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) throw new IllegalArgumentException("no " + what + " on standard input");
            return new Secret(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " from standard input", e);
        }
    }
}
