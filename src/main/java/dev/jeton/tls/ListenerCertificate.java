package dev.jeton.tls;

import dev.jeton.config.TlsFiles;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What one TLS listener presents: its private key and certificate chain (its own certificate
 * first), loaded from PEM files once at start and checked to belong together, so a wrong key
 * is a clear error at start rather than a handshake failure at every client.
 */
public record ListenerCertificate(PrivateKey key, List<X509Certificate> chain) {
    private static final System.Logger LOG = System.getLogger(ListenerCertificate.class.getName());
    private static final byte[] PROBE = "jeton: does this key belong to this certificate?".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public static ListenerCertificate load(TlsFiles files, Instant now) {
        List<X509Certificate> chain = PemFiles.certificates(files.certFile(), files.certSetting());
        PrivateKey key = PemFiles.privateKey(files.keyFile(), files.keySetting());
        X509Certificate own = chain.getFirst();
        if (!matches(key, own.getPublicKey())) {
            throw new IllegalArgumentException(files.keySetting() + " " + files.keyFile() + " is not the key of the first certificate in "
                    + files.certSetting() + " " + files.certFile() + " (the server's own certificate must come first)");
        }
        if (own.getNotAfter().toInstant().isBefore(now)) {
            // Still served: refusing to start would not help a client any more than an expired certificate does.
            LOG.log(System.Logger.Level.WARNING, "the certificate in {0} expired at {1}; clients will refuse it",
                    files.certFile(), own.getNotAfter().toInstant());
        }
        return new ListenerCertificate(key, chain);
    }

    private static boolean matches(PrivateKey key, PublicKey certified) {
        String family = family(key.getAlgorithm());
        if (!family.equals(family(certified.getAlgorithm()))) return false;
        String algorithm = switch (family) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) return true; // a key type we cannot probe: the handshake will tell
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String family(String algorithm) {
        return algorithm.startsWith("Ed") ? "EdDSA" : algorithm;
    }
}
