package dev.jeton.config;

import dev.jeton.federation.TrustedIssuer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trusted upstream issuers from the config file, one group of keys per issuer:
 * <pre>
 * federation.corp.issuer = https://login.example.com/tenant/v2.0
 * federation.corp.jwks-uri = https://login.example.com/keys     # optional: else OIDC discovery
 * federation.corp.audiences = api://registry,https://registry.example.com  # optional: else any
 * federation.corp.tenant = 72f988bf-...                          # optional
 * federation.corp.subject-claim = preferred_username             # default: sub
 * federation.corp.auto-provision = false                         # create unknown users
 * </pre>
 */
final class FederationConfig {
    static final String PREFIX = "federation.";
    private static final Set<String> FIELDS = Set.of("issuer", "jwks-uri", "audiences", "tenant", "subject-claim", "auto-provision");

    private FederationConfig() {
    }

    static List<TrustedIssuer> parse(Map<String, String> keys) {
        Map<String, Map<String, String>> byName = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String rest = e.getKey().substring(PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot <= 0 || !FIELDS.contains(rest.substring(dot + 1))) {
                throw new IllegalArgumentException("unknown setting '" + e.getKey() + "' (federation.NAME." + String.join("|", FIELDS) + ")");
            }
            byName.computeIfAbsent(rest.substring(0, dot), n -> new LinkedHashMap<>()).put(rest.substring(dot + 1), e.getValue());
        }
        List<TrustedIssuer> out = new ArrayList<>();
        byName.forEach((name, f) -> {
            if (f.get("issuer") == null) throw new IllegalArgumentException("federation." + name + ".issuer is required");
            List<String> audiences = f.get("audiences") == null ? List.of()
                    : Arrays.stream(f.get("audiences").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            out.add(new TrustedIssuer(name, f.get("issuer"), f.get("jwks-uri"), audiences, f.get("tenant"),
                    f.getOrDefault("subject-claim", "sub"), Boolean.parseBoolean(f.getOrDefault("auto-provision", "false"))));
        });
        return out;
    }
}
