package dev.jeton.keys;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Signs a JWS signing input with one private key and returns the signature as JWS wants it.
 * The key is the provider's own object, converted once at load (see {@link SigningAlgorithm}).
 * The JCA algorithm name is one whose output is already the JWS form: for ECDSA the
 * {@code inP1363Format} variant, R||S as fixed-length integers (RFC 7518 section 3.4), which
 * both ACCP and the JDK provide at the cost of the DER form.
 */
final class JwsSigner {
    private static final byte[] DOT = {'.'};

    private final String jcaName;
    private final PrivateKey key;
    private final Provider provider;
    /*
     * Signature objects are not thread-safe, and a fresh one per token (provider lookup, object,
     * initSign) was an eighth of the signing time in the client_credentials profile. Signers
     * that finish go back here; a burst beyond the bound makes fresh ones that are dropped after.
     */
    private final BlockingQueue<Signature> idle = new ArrayBlockingQueue<>(16);

    JwsSigner(String jcaName, PrivateKey key, Provider provider) {
        this.jcaName = jcaName;
        this.key = key;
        this.provider = provider;
    }

    /** Signs {@code header '.' payload}, both already base64url, without joining them first. */
    byte[] sign(byte[] encodedHeader, byte[] encodedPayload) {
        try {
            Signature s = idle.poll();
            if (s == null) s = fresh();
            s.update(encodedHeader);
            s.update(DOT);
            s.update(encodedPayload);
            byte[] signature = s.sign();
            // sign() leaves the object initialised for signing with the same key (JCA contract): reusable as is.
            idle.offer(s);
            return signature;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jcaName + " signing failed", e);
        }
    }

    private Signature fresh() throws GeneralSecurityException {
        Signature s = provider == null ? Signature.getInstance(jcaName) : Signature.getInstance(jcaName, provider);
        s.initSign(key);
        return s;
    }
}
