package dev.jeton;

import dev.jeton.audit.AdminAudit;
import dev.jeton.config.JetonConfig;
import dev.jeton.engine.Janitor;
import dev.jeton.keys.CryptoProvider;
import dev.jeton.keys.KeyRing;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import dev.jeton.tls.CertificateRenewal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a server runs beside its listeners, and only a server: at start, a warm-up signature and
 * the switch to Amazon Corretto Crypto Provider; then, on their schedules, the janitor, the
 * signing key reload (with scheduled rotation) and the check for renewed TLS files. Each
 * scheduled job has a thread of its own, so a slow sweep never delays a key reload.
 * {@link #close} stops them all.
 */
final class Background implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Background.class.getName());

    private final JetonConfig config;
    private final KeyRing keys;
    private final Janitor janitor;
    private final AdminAudit serverAudit;
    private final List<ScheduledExecutorService> schedules = new ArrayList<>();
    private volatile boolean closed;

    Background(JetonConfig config, KeyRing keys, Janitor janitor, AdminAudit serverAudit) {
        this.config = config;
        this.keys = keys;
        this.janitor = janitor;
        this.serverAudit = serverAudit;
    }

    /**
     * Before the listeners start. The first signature runs in the interpreter (the start-up cache
     * holds classes, not compiled code); made here on the idle core while the listeners start,
     * it is not made by the first client.
     */
    void warmUp() {
        Thread.ofPlatform().name("jeton-warm-up").daemon(true).start(keys::warmUp);
    }

    /** Once the listeners answer; {@code renewals} are the TLS files to watch. */
    void start(List<CertificateRenewal> renewals) {
        Thread.ofVirtual().name("jeton-accp").start(this::switchToNativeProvider);
        // Renewed certificate files are served without a restart; no thread at all without TLS files.
        if (!renewals.isEmpty() && !config.tlsReloadInterval().isZero()) {
            every("jeton-tls-reload", config.tlsReloadInterval(), () -> renewals.forEach(CertificateRenewal::check),
                    "checking TLS files failed");
        }
        every("jeton-janitor", config.janitorInterval(), janitor::sweep, "janitor sweep failed");
        every("jeton-key-reload", config.keyReloadInterval(), this::reloadKeys, "reloading signing keys failed");
    }

    /** A job on a thread of its own; one that fails is retried at the next interval (the scheduler must not die of it). */
    private void every(String thread, Duration interval, Runnable job, String failed) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name(thread).daemon(true).unstarted(r));
        schedules.add(scheduler);
        long every = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                job.run();
            } catch (Failure f) {
                // The database away for a moment (it says so itself, once): one line per missed run, no stack trace.
                if (f.reason() == Reason.UNAVAILABLE) LOG.log(System.Logger.Level.WARNING, failed + ": " + f.detail());
                else LOG.log(System.Logger.Level.WARNING, failed, f);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, failed, e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Other processes (the CLI, other instances) rotate keys; with key-rotation-interval set, every instance may rotate, one wins. */
    private void reloadKeys() {
        if (!config.keyRotationInterval().isZero() && keys.rotateIfDue(config.keyRotationInterval(), config.signingAlgorithm())) {
            serverAudit.changed("key.rotate", keys.activeKid().orElse(null), "scheduled rotation");
        }
        // Keep signing with what we have when this fails; the next interval tries again.
        keys.reload();
    }

    /** ACCP takes a third of a second to load, so it arrives after the listeners are up. */
    private void switchToNativeProvider() {
        CryptoProvider detected = CryptoProvider.detect();
        try {
            if (detected.provider() != null && !closed) keys.useProvider(detected);
            LOG.log(System.Logger.Level.INFO, "signing provider: {0}", detected.description());
        } catch (RuntimeException e) {
            // A server closed within those 0.3 s has closed its store too: nothing is left to switch.
            if (!closed) LOG.log(System.Logger.Level.WARNING, "signing stays on the JDK provider: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        schedules.forEach(ScheduledExecutorService::shutdownNow);
    }
}
