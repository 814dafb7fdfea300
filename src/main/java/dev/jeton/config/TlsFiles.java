package dev.jeton.config;

import java.nio.file.Path;

/**
 * Where one listener's certificate chain and private key are, as PEM files. Both or neither:
 * a certificate without its key (or the reverse) is a mistake, refused at start.
 */
public record TlsFiles(Path certFile, Path keyFile, String certSetting, String keySetting) {

    /** The files named by a pair of settings, or null when both are empty (the listener stays plain HTTP). */
    static TlsFiles of(String cert, String key, Setting certSetting, Setting keySetting) {
        if (cert.isEmpty() && key.isEmpty()) return null;
        if (cert.isEmpty() || key.isEmpty()) {
            throw new IllegalArgumentException(certSetting.key() + " and " + keySetting.key()
                    + " go together: set both (PEM certificate chain and its private key) or neither");
        }
        return new TlsFiles(Path.of(cert), Path.of(key), certSetting.key(), keySetting.key());
    }
}
