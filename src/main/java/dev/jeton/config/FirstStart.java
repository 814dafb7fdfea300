package dev.jeton.config;

import dev.jeton.config.ConfigLoader.Sourced;
import dev.jeton.model.Secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a server starts on an empty store. On a laptop it makes an admin and a demo client and
 * prints their secrets once. In a container or under systemd the output is collected into logs,
 * so there ({@code headless}, or a {@code first-admin-password-file} given) nothing secret is
 * printed: the admin's password comes from a mounted file, no demo client is made, and a
 * headless server refuses to invent a master key that would live only in its container.
 */
public record FirstStart(boolean headless, Path adminPasswordFile) {

    static FirstStart from(Map<Setting, Sourced> v) {
        String headless = v.get(Setting.HEADLESS).value().trim().toLowerCase(Locale.ROOT);
        if (!headless.equals("true") && !headless.equals("false")) {
            throw new IllegalArgumentException("headless must be true or false, not '" + headless + "'");
        }
        String file = v.get(Setting.FIRST_ADMIN_PASSWORD_FILE).value().trim();
        return new FirstStart(headless.equals("true"), file.isEmpty() ? null : Path.of(file));
    }

    /** True when the first start may print secrets and make the demo client (a laptop). */
    public boolean printsSecrets() {
        return !headless && adminPasswordFile == null;
    }

    /** True when the master key file may be created when it is missing. */
    public boolean makesMasterKey() {
        return !headless;
    }

    /** The admin's password from its file (one trailing newline dropped, as {@code echo} and secret mounts leave it). */
    public Optional<Secret> adminPassword() {
        if (adminPasswordFile == null) return Optional.empty();
        String text;
        try {
            text = Files.readString(adminPasswordFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read first-admin-password-file " + adminPasswordFile + ": " + e.getMessage());
        }
        String password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (password.isBlank()) throw new IllegalArgumentException("first-admin-password-file " + adminPasswordFile + " is empty");
        return Optional.of(new Secret(password));
    }
}
