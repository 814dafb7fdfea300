package dev.jeton.support;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Server certificates made per run with the openssl command line, exactly as an operator would
 * (and as the README shows), in each private key format Jeton accepts.
 */
public final class OpenSsl {
    private static final String SUBJECT_ALT_NAMES = "subjectAltName=DNS:localhost,IP:127.0.0.1";

    private OpenSsl() {
    }

    public enum KeyFormat {
        /** {@code -----BEGIN PRIVATE KEY-----} holding an EC P-256 key: openssl 3's default. */
        EC_PKCS8,
        /** {@code EC PARAMETERS} then {@code EC PRIVATE KEY}, as {@code openssl ecparam -genkey} writes. */
        EC_SEC1,
        /** {@code -----BEGIN PRIVATE KEY-----} holding an RSA key. */
        RSA_PKCS8,
        /** {@code -----BEGIN RSA PRIVATE KEY-----}. */
        RSA_PKCS1,
        /** An Ed25519 key, PKCS#8. */
        ED25519
    }

    public record Pem(Path cert, Path key) {
        /** A client context trusting exactly this certificate, as {@code curl --cacert} does. */
        public SSLContext trustingIt() { return trusting(cert); }
    }

    public static Pem serverCertificate(Path dir, String name, KeyFormat format) {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        List<String> request = new ArrayList<>(List.of("/usr/bin/openssl", "req", "-x509", "-days", "30", "-subj", "/CN=localhost",
                "-addext", SUBJECT_ALT_NAMES, "-out", cert.toString()));
        switch (format) {
            case EC_PKCS8 -> request.addAll(List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString()));
            case RSA_PKCS8, RSA_PKCS1 -> request.addAll(List.of("-newkey", "rsa:2048", "-nodes", "-keyout", key.toString()));
            case ED25519 -> request.addAll(List.of("-newkey", "ed25519", "-nodes", "-keyout", key.toString()));
            case EC_SEC1 -> {
                run(List.of("/usr/bin/openssl", "ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString()));
                request.addAll(List.of("-key", key.toString()));
            }
        }
        run(request);
        if (format == KeyFormat.RSA_PKCS1) {
            run(List.of("/usr/bin/openssl", "rsa", "-in", key.toString(), "-traditional", "-out", key.toString()));
        }
        return new Pem(cert, key);
    }

    /** The same key, encrypted with a passphrase ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}). */
    public static Path encrypted(Path key, Path into) {
        run(List.of("/usr/bin/openssl", "pkcs8", "-topk8", "-v2", "aes256", "-in", key.toString(), "-passout", "pass:secret-passphrase",
                "-out", into.toString()));
        return into;
    }

    public static SSLContext trusting(Path certificatePem) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            int i = 0;
            for (var c : factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certificatePem)))) {
                trust.setCertificateEntry("trusted-" + i++, (X509Certificate) c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot trust " + certificatePem, e);
        }
    }

    /** A PKCS#12 trust store file holding the certificate, for a child JVM's {@code -Djavax.net.ssl.trustStore}. */
    public static Path trustStore(Path certificatePem, Path into, String password) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("jeton", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificatePem))));
            try (var out = Files.newOutputStream(into)) {
                trust.store(out, password.toCharArray());
            }
            return into;
        } catch (Exception e) {
            throw new IllegalStateException("cannot write a trust store for " + certificatePem, e);
        }
    }

    private static void run(List<String> command) {
        Packages.require("/usr/bin/openssl", "openssl");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
