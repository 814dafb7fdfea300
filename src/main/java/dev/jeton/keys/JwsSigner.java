package dev.jeton.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.impl.ECDSA;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;

/**
 * Signs a JWS signing input with one private key and returns the signature as JWS wants it.
 * The key is the provider's own object, converted once at load (see {@link SigningAlgorithm}).
 */
final class JwsSigner {
    private static final byte[] DOT = {'.'};

    private final String jcaName;
    private final PrivateKey key;
    private final Provider provider;
    private final int concatLength;

    /** {@code concatLength} is the R||S length an ECDSA DER signature is transcoded to; 0 keeps the signature as is. */
    JwsSigner(String jcaName, PrivateKey key, Provider provider, int concatLength) {
        this.jcaName = jcaName;
        this.key = key;
        this.provider = provider;
        this.concatLength = concatLength;
    }

    /** Signs {@code header '.' payload}, both already base64url, without joining them first. */
    byte[] sign(byte[] encodedHeader, byte[] encodedPayload) {
        try {
            // Signature objects are not thread-safe; a fresh one is a map lookup and a small object.
            Signature s = provider == null ? Signature.getInstance(jcaName) : Signature.getInstance(jcaName, provider);
            s.initSign(key);
            s.update(encodedHeader);
            s.update(DOT);
            s.update(encodedPayload);
            byte[] signature = s.sign();
            return concatLength == 0 ? signature : ECDSA.transcodeSignatureToConcat(signature, concatLength);
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException(jcaName + " signing failed", e);
        }
    }
}
