package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.engine.desired.Change;
import dev.jeton.model.Failure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * {@code serve --watch FILE}: applies the file at start and again whenever its content changes.
 * It watches the file's directory (editors and Kubernetes ConfigMaps replace files rather than
 * write them in place) and applies only when the content's hash differs from the last one seen,
 * so a burst of events for one save applies once. A file that fails (invalid YAML, a refused
 * entry) changes nothing: the running configuration stays and the error is logged.
 */
public final class ConfigWatcher implements AutoCloseable {
    private final AdminWiring wiring;
    private final Path file;
    private final Consumer<String> log;
    private final WatchService watch;
    private final Thread thread;
    private String lastHash;

    public ConfigWatcher(AdminWiring wiring, Path file, Consumer<String> log) {
        this.wiring = wiring;
        this.file = file.toAbsolutePath();
        this.log = log;
        try {
            this.watch = this.file.getFileSystem().newWatchService();
            this.file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot watch " + file + ": " + e.getMessage());
        }
        applyIfChanged();
        this.thread = Thread.ofPlatform().name("jeton-config-watch").daemon(true).start(this::loop);
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = watch.take();
                key.pollEvents();
                applyIfChanged();
                if (!key.reset()) {
                    log.accept("config watch: " + file.getParent() + " can no longer be watched; changes to " + file + " are not applied");
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: the server is stopping
        }
    }

    /** Applies the file when its content differs from the last seen; any event in the directory brings us here. */
    synchronized void applyIfChanged() {
        byte[] content;
        try {
            if (!Files.isRegularFile(file)) return;
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            log.accept("config watch: cannot read " + file + ": " + e.getMessage());
            return;
        }
        String hash = sha256(content);
        if (hash.equals(lastHash)) return;
        lastHash = hash;
        try {
            ConfigApplier.Applied applied = ConfigApplier.apply(wiring,
                    ConfigYaml.parse(new String(content, StandardCharsets.UTF_8), file.toString()), false);
            if (applied.plan().isEmpty()) {
                log.accept("config watch: " + file + " applied, no changes");
                return;
            }
            applied.plan().changes().stream().map(Change::describe).forEach(c -> log.accept("config watch: " + c));
            // A new client's secret is never logged: the operator rotates it to get one.
            applied.newClientSecrets().keySet().forEach(id -> log.accept("config watch: client " + id
                    + " created; get its secret with 'jeton client rotate-secret " + id + "'"));
            applied.newNodeTokens().keySet().forEach(n -> log.accept("config watch: node " + n
                    + " created; its enrolment token is not logged: remove the node and add it with 'jeton node add " + n + "'"));
            applied.newApiKeys().keySet().forEach(k -> log.accept("config watch: api key " + k
                    + " created with a value nobody has seen: give it secretFile or secretEnv in the file to set one"));
            log.accept("config watch: " + file + " applied, " + applied.plan().changes().size() + " change(s)");
        } catch (Failure e) {
            log.accept("config watch: " + file + " refused, nothing changed: " + e.detail());
        } catch (IllegalArgumentException e) {
            log.accept("config watch: " + file + " refused, nothing changed: " + e.getMessage());
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (IOException ignored) {
            // closing a watch service releases its keys; nothing to do when that fails
        }
        thread.interrupt();
    }
}
