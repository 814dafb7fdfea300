package dev.jeton.keys;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * A self-signed certificate per signing key, made once with the key and stored beside it: the
 * registry trusts Jeton's tokens through a bundle of them (Distribution's rootcertbundle),
 * and tokens carry theirs in {@code x5c}.
 */
final class Certificates {
    private Certificates() {
    }

    static String selfSigned(KeyPair pair, SigningAlgorithm algorithm, String kid, Instant now) {
        String sigAlg = switch (algorithm) {
            case ES256 -> "SHA256withECDSA";
            case RS256 -> "SHA256withRSA";
            case EdDSA -> "Ed25519";
        };
        X500Name name = new X500Name("CN=Jeton token signing " + kid.replace(":", ""));
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new java.security.SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic());
        try {
            // A CA certificate, so that verifiers accept it as the root its own x5c copy chains to.
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
            ContentSigner signer = new JcaContentSignerBuilder(sigAlg).build(pair.getPrivate());
            return pem(builder.build(signer).getEncoded());
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a certificate for key " + kid, e);
        }
    }

    static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    static byte[] der(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) CERTIFICATE-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
