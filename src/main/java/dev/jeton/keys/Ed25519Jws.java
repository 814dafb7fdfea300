package dev.jeton.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Set;

/**
 * EdDSA (Ed25519) JWS verification on the JDK's own provider. Nimbus's Ed25519 classes need
 * Google Tink; the JDK has done Ed25519 since 15 and its raw 64-byte signature is exactly the JWS one.
 */
final class Ed25519Jws {
    private static final Set<JWSAlgorithm> ALGS = Set.of(JWSAlgorithm.EdDSA);

    private Ed25519Jws() {
    }

    static final class Verifier implements com.nimbusds.jose.JWSVerifier {
        private final PublicKey key;
        private final JCAContext context = new JCAContext();

        Verifier(OctetKeyPair jwk) throws JOSEException {
            this.key = publicKey(jwk.getDecodedX());
        }

        @Override
        public boolean verify(JWSHeader header, byte[] input, Base64URL signature) throws JOSEException {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(input);
                return s.verify(signature.decode());
            } catch (java.security.SignatureException e) {
                return false;
            } catch (GeneralSecurityException e) {
                throw new JOSEException("Ed25519 verification failed", e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() { return ALGS; }

        @Override
        public JCAContext getJCAContext() { return context; }
    }

    /** RFC 8032 5.1.3: little-endian y with the sign of x in the top bit of the last byte. */
    static PublicKey publicKey(byte[] raw) throws JOSEException {
        if (raw.length != 32) throw new JOSEException("Ed25519 public key must be 32 bytes");
        byte[] le = raw.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7F;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) be[i] = le[31 - i];
        try {
            EdECPublicKeySpec spec = new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, be)));
            return KeyFactory.getInstance("Ed25519").generatePublic(spec);
        } catch (GeneralSecurityException e) {
            throw new JOSEException("not an Ed25519 public key", e);
        }
    }
}
