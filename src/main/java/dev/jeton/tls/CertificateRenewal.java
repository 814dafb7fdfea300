package dev.jeton.tls;

import dev.jeton.config.TlsFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * Notices when a listener's certificate or key file changes (certbot, cert-manager and the like
 * renew them in place) and hands the new pair to the listener, so a renewal needs no restart.
 * A pair that does not load (half-written, key and certificate out of step) is logged and the
 * listener keeps serving the old one; the next check tries again.
 */
public final class CertificateRenewal {
    private static final System.Logger LOG = System.getLogger(CertificateRenewal.class.getName());

    private final String listener;
    private final TlsFiles files;
    private final Consumer<ListenerCertificate> apply;
    private final Clock clock;
    private List<Object> seen;
    private List<Object> refused;

    public CertificateRenewal(String listener, TlsFiles files, Consumer<ListenerCertificate> apply, Clock clock) {
        this.listener = listener;
        this.files = files;
        this.apply = apply;
        this.clock = clock;
        this.seen = stamp();
    }

    /** Called from the reload thread (and a test's own); cheap when nothing changed (two file stats). */
    public synchronized void check() {
        List<Object> now = stamp();
        if (now.equals(seen) || now.equals(refused)) return;
        try {
            apply.accept(ListenerCertificate.load(files, clock.instant()));
            seen = now;
            refused = null;
            LOG.log(System.Logger.Level.INFO, "{0} listener: serving the renewed certificate from {1}", listener, files.certFile());
        } catch (RuntimeException e) {
            refused = now;
            LOG.log(System.Logger.Level.WARNING, "{0} listener: keeping the current certificate, the changed files do not load: {1}",
                    listener, e.getMessage());
        }
    }

    /** Modification time and size of both files: what changes when either is rewritten. */
    private List<Object> stamp() {
        return List.of(stamp(files.certFile()), stamp(files.keyFile()));
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
