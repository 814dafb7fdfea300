package dev.jeton.tls;

import dev.jeton.config.Setting;
import dev.jeton.config.TlsFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --dev-tls}: a self-signed certificate made once and kept in the data directory, so a
 * developer trusts it once ({@code curl --cacert}) and it stays the same across restarts. It is
 * made again only when it expires within 30 days or does not name a host it must serve (the
 * configured host or issuer changed).
 */
public final class DevCertificate {
    public static final String CERT_FILE = "dev-tls-cert.pem";
    public static final String KEY_FILE = "dev-tls-key.pem";
    private static final System.Logger LOG = System.getLogger(DevCertificate.class.getName());
    private static final Duration VALIDITY = Duration.ofDays(397); // the most browsers accept for a server certificate
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private DevCertificate() {
    }

    /** The files of a certificate naming localhost, 127.0.0.1, ::1 and {@code hosts}, made now unless a fitting one exists. */
    public static TlsFiles ensure(Path dataDir, Collection<String> hosts, Instant now) {
        Path cert = dataDir.resolve(CERT_FILE);
        Path key = dataDir.resolve(KEY_FILE);
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        for (String h : hosts) {
            if (!h.isEmpty() && !h.equals("0.0.0.0") && !h.equals("::")) names.add(h);
        }
        TlsFiles files = new TlsFiles(cert, key, Setting.DEV_TLS.key() + " certificate", Setting.DEV_TLS.key() + " key");
        if (Files.exists(cert) && Files.exists(key)) {
            String why = unfit(ListenerCertificate.load(files, now).chain().getFirst(), names, now);
            if (why == null) return files;
            LOG.log(System.Logger.Level.WARNING, "making a new dev TLS certificate in {0}: the old one {1}", cert, why);
        }
        write(dataDir, names, now);
        return files;
    }

    private static String unfit(X509Certificate existing, Set<String> names, Instant now) {
        if (existing.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) return "expires at " + existing.getNotAfter().toInstant();
        Set<String> covered = new HashSet<>();
        try {
            if (existing.getSubjectAlternativeNames() != null) {
                for (List<?> san : existing.getSubjectAlternativeNames()) covered.add(canonical(String.valueOf(san.get(1))));
            }
        } catch (CertificateParsingException e) {
            return "has unreadable names";
        }
        for (String name : names) {
            if (!covered.contains(canonical(name))) return "does not name " + name;
        }
        return null;
    }

    private static void write(Path dataDir, Set<String> names, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=Jeton development certificate");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            // A server certificate, not a CA: browsers refuse a CA certificate used as a server's.
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.stream()
                    .map(n -> isAddress(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new)));
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())).getEncoded();
            Files.createDirectories(dataDir);
            writeAtomically(dataDir.resolve(KEY_FILE), pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            writeAtomically(dataDir.resolve(CERT_FILE), pem("CERTIFICATE", der), false);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a dev TLS certificate: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dev TLS certificate into " + dataDir, e);
        }
    }

    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (secret && temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(temp, content);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static boolean isAddress(String name) {
        return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** Addresses compare by value (::1 and 0:0:0:0:0:0:0:1 are one), names case-insensitively. */
    private static String canonical(String name) {
        if (!isAddress(name)) return name.toLowerCase(java.util.Locale.ROOT);
        try {
            return InetAddress.getByName(name).getHostAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return name;
        }
    }
}
