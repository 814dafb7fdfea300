package dev.jeton.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Locale;

/** The JWS algorithms Jeton signs with, and how each makes keys, JWKs, signers and verifiers. */
public enum SigningAlgorithm {
    ES256(JWSAlgorithm.ES256, "EC") {
        KeyPair generate() throws GeneralSecurityException {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        }

        JWK publicJwk(String kid, PublicKey key) {
            return new ECKey.Builder(Curve.P_256, (ECPublicKey) key).keyID(kid).keyUse(KeyUse.SIGNATURE)
                    .algorithm(jws()).build();
        }

        JwsSigner signer(PrivateKey key, CryptoProvider provider) throws JOSEException {
            // JWS wants R||S, 32 bytes each: the P1363 form, not the DER one of plain SHA256withECDSA.
            return new JwsSigner("SHA256withECDSAinP1363Format", (PrivateKey) providerKey(key, "EC", provider), provider.provider());
        }

        JWSVerifier verifier(JWK jwk, CryptoProvider provider) throws JOSEException {
            ECDSAVerifier v = new ECDSAVerifier((ECPublicKey) providerKey(jwk.toECKey().toECPublicKey(), "EC", provider));
            if (provider.provider() != null) v.getJCAContext().setProvider(provider.provider());
            return v;
        }
    },
    RS256(JWSAlgorithm.RS256, "RSA") {
        KeyPair generate() throws GeneralSecurityException {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        }

        JWK publicJwk(String kid, PublicKey key) {
            return new RSAKey.Builder((RSAPublicKey) key).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(jws()).build();
        }

        JwsSigner signer(PrivateKey key, CryptoProvider provider) throws JOSEException {
            return new JwsSigner("SHA256withRSA", (PrivateKey) providerKey(key, "RSA", provider), provider.provider());
        }

        JWSVerifier verifier(JWK jwk, CryptoProvider provider) throws JOSEException {
            RSASSAVerifier v = new RSASSAVerifier((RSAPublicKey) providerKey(jwk.toRSAKey().toRSAPublicKey(), "RSA", provider));
            if (provider.provider() != null) v.getJCAContext().setProvider(provider.provider());
            return v;
        }
    },
    EdDSA(JWSAlgorithm.EdDSA, "Ed25519") {
        KeyPair generate() throws GeneralSecurityException {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }

        JWK publicJwk(String kid, PublicKey key) {
            byte[] x509 = key.getEncoded();
            // The X.509 encoding of an Ed25519 key ends with its 32 raw bytes (RFC 8410).
            byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw)).keyID(kid).keyUse(KeyUse.SIGNATURE)
                    .algorithm(jws()).build();
        }

        JwsSigner signer(PrivateKey key, CryptoProvider provider) {
            // The JDK's own provider: its raw 64-byte signature is exactly the JWS one.
            return new JwsSigner("Ed25519", key, null);
        }

        JWSVerifier verifier(JWK jwk, CryptoProvider provider) throws JOSEException {
            return new Ed25519Jws.Verifier(jwk.toOctetKeyPair());
        }
    };

    private final JWSAlgorithm jws;
    private final String keyAlgorithm;

    SigningAlgorithm(JWSAlgorithm jws, String keyAlgorithm) {
        this.jws = jws;
        this.keyAlgorithm = keyAlgorithm;
    }

    public JWSAlgorithm jws() { return jws; }

    abstract KeyPair generate() throws GeneralSecurityException;

    abstract JWK publicJwk(String kid, PublicKey key);

    abstract JwsSigner signer(PrivateKey key, CryptoProvider provider) throws JOSEException;

    abstract JWSVerifier verifier(JWK jwk, CryptoProvider provider) throws JOSEException;

    /**
     * The key as the provider's own object. Handed a JDK key, ACCP converts it to a native key
     * on every initSign, which doubled the cost of each ES256 signature; converted once, the
     * native key is reused for every token.
     */
    private static Key providerKey(Key key, String keyAlgorithm, CryptoProvider provider) throws JOSEException {
        if (provider.provider() == null) return key;
        try {
            return KeyFactory.getInstance(keyAlgorithm, provider.provider()).translateKey(key);
        } catch (GeneralSecurityException e) {
            throw new JOSEException("cannot hand key to " + provider.description(), e);
        }
    }

    PrivateKey privateFromPkcs8(byte[] pkcs8) throws GeneralSecurityException {
        return KeyFactory.getInstance(keyAlgorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    public static SigningAlgorithm parse(String name) {
        for (SigningAlgorithm a : values()) {
            if (a.name().equalsIgnoreCase(name.trim())) return a;
        }
        throw new IllegalArgumentException("unknown signing algorithm '" + name + "' (ES256, RS256 or EdDSA)");
    }

    public String lowerName() { return name().toLowerCase(Locale.ROOT); }
}
