package dev.jeton.keys;

import java.security.Provider;

/**
 * The JCA provider used for signing: Amazon Corretto Crypto Provider where its native library
 * loads (much faster ECDSA and RSA), the JDK's own otherwise. {@code provider} is null for the
 * JDK default, which lets Nimbus pick.
 */
public record CryptoProvider(Provider provider, String description) {

    public static CryptoProvider detect() {
        try {
            Provider accp = com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable loadingError = com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
            if (loadingError == null) {
                com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
                return new CryptoProvider(accp, accp.getName() + " " + accp.getVersionStr());
            }
            return jdk("ACCP did not load: " + loadingError.getClass().getSimpleName());
        } catch (Throwable e) {
            // No native library for this platform, or a failed self-test: the JDK provider is correct, only slower.
            return jdk("ACCP unavailable: " + e.getClass().getSimpleName());
        }
    }

    public static CryptoProvider jdk(String why) {
        return new CryptoProvider(null, "JDK default providers (" + why + ")");
    }
}
