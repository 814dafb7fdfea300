package dev.jeton.tls;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the PEM files an operator gives for TLS: certificates in file order, and one
 * unencrypted private key as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY})
 * or SEC1 ({@code EC PRIVATE KEY}, with or without openssl's {@code EC PARAMETERS} block).
 * One file may hold both. Every mistake is one sentence naming the setting and the file.
 */
final class PemFiles {
    private PemFiles() {
    }

    static List<X509Certificate> certificates(Path file, String setting) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> chain = new ArrayList<>();
        for (Object o : objects(file, setting)) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException(setting + " " + file + ": certificate " + (chain.size() + 1)
                            + " is not a valid X.509 certificate (" + e.getMessage() + ")");
                }
            }
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(setting + " " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return List.copyOf(chain);
    }

    static PrivateKey privateKey(Path file, String setting) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        PrivateKey key = null;
        for (Object o : objects(file, setting)) {
            PrivateKeyInfo info = switch (o) {
                case PrivateKeyInfo pkcs8 -> pkcs8;
                case PEMKeyPair pair -> pair.getPrivateKeyInfo();
                case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted(file, setting);
                case PEMEncryptedKeyPair ignored -> throw encrypted(file, setting);
                default -> null; // certificates, EC PARAMETERS: not the key
            };
            if (info == null) continue;
            if (key != null) throw new IllegalArgumentException(setting + " " + file + " holds more than one private key");
            try {
                key = converter.getPrivateKey(info);
            } catch (IOException e) {
                throw new IllegalArgumentException(setting + " " + file + ": unsupported private key ("
                        + info.getPrivateKeyAlgorithm().getAlgorithm() + ")");
            }
        }
        if (key == null) {
            throw new IllegalArgumentException(setting + " " + file
                    + " holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
        return key;
    }

    private static IllegalArgumentException encrypted(Path file, String setting) {
        return new IllegalArgumentException(setting + " " + file
                + " is encrypted; give an unencrypted key (openssl pkey -in KEY -out KEY.plain) and protect the file (chmod 600)");
    }

    private static List<Object> objects(Path file, String setting) {
        List<Object> out = new ArrayList<>();
        byte[] bytes = read(file, setting);
        if (bytes.length > 0 && bytes[0] == 0x30) { // an ASN.1 SEQUENCE: binary DER, the other common encoding
            throw new IllegalArgumentException(setting + " " + file
                    + " is binary DER, not PEM (convert it: openssl x509 -inform der, or openssl pkey -inform der, -in FILE -out FILE.pem)");
        }
        try (PEMParser pem = new PEMParser(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)))) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (!(o instanceof ASN1ObjectIdentifier)) out.add(o);
            }
        } catch (IOException | RuntimeException e) {
            // BouncyCastle says what is wrong (bad base64, a block it cannot parse); no stack trace.
            throw new IllegalArgumentException(setting + " " + file + " is not valid PEM (" + firstLine(e) + ")");
        }
        return out;
    }

    private static byte[] read(Path file, String setting) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(setting + " " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(setting + " " + file + " is not readable by this user");
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + " " + file + " cannot be read (" + firstLine(e) + ")");
        }
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage();
        if (message == null) return e.getClass().getSimpleName();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
