package dev.jeton.config;

import dev.jeton.config.ConfigLoader.Sourced;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Which of the node's identities IMDS hands out (to any local process), and the managed-identity
 * endpoints served beside it on its listener: Azure Arc's (a key file only privileged local users
 * can read) and App Service's (a shared header secret), each with the names of the node's
 * identities it may hand out ({@code *}: all).
 */
public record ManagedIdentityEndpointSettings(List<String> imdsIdentities, boolean arc, Path arcKeyDir, Duration arcKeyTtl, List<String> arcIdentities,
                                              boolean appService, Path appServiceSecretFile, List<String> appServiceIdentities) {

    static ManagedIdentityEndpointSettings from(Map<Setting, Sourced> v, Path dataDir) {
        Duration keyTtl = JetonConfig.duration(v, Setting.ARC_KEY_TTL);
        if (keyTtl.isZero() || keyTtl.isNegative()) throw new IllegalArgumentException("arc-key-ttl must be positive");
        String secretFile = v.get(Setting.APP_SERVICE_SECRET_FILE).value();
        return new ManagedIdentityEndpointSettings(
                names(v, Setting.IMDS_IDENTITIES),
                bool(v, Setting.ARC),
                Path.of(v.get(Setting.ARC_KEY_DIR).value()),
                keyTtl,
                names(v, Setting.ARC_IDENTITIES),
                bool(v, Setting.APP_SERVICE),
                secretFile.isEmpty() ? dataDir.resolve("app-service.secret") : Path.of(secretFile),
                names(v, Setting.APP_SERVICE_IDENTITIES));
    }

    private static List<String> names(Map<Setting, Sourced> v, Setting s) {
        List<String> names = Arrays.stream(v.get(s).value().split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
        if (names.isEmpty()) throw new IllegalArgumentException(s.key() + " must name identities, or * for all of the node's");
        return names;
    }

    private static boolean bool(Map<Setting, Sourced> v, Setting s) {
        String value = v.get(s).value();
        if (value.equalsIgnoreCase("true")) return true;
        if (value.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException(s.key() + " must be true or false, not '" + value + "'");
    }
}
