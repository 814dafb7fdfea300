package dev.jeton.config;

import dev.jeton.config.ConfigLoader.Sourced;

import java.time.Duration;
import java.util.Map;

/**
 * Lifetimes of the identity tokens a registry login hands out ({@code docker login} stores one
 * and presents it for every later pull): {@code idle} without use ends one, and no use keeps one
 * past {@code max} after its login.
 */
public record IdentityTokenSettings(Duration idle, Duration max) {
    static IdentityTokenSettings from(Map<Setting, Sourced> v) {
        Duration idle = JetonConfig.duration(v, Setting.REGISTRY_IDENTITY_TOKEN_IDLE_TTL);
        Duration max = JetonConfig.duration(v, Setting.REGISTRY_IDENTITY_TOKEN_MAX_TTL);
        // Docker re-reads its identity token for every pull: anything shorter than a minute would end mid-pull.
        if (idle.toSeconds() < 60) throw new IllegalArgumentException("registry-identity-token-idle-ttl must be at least 1m");
        if (max.compareTo(idle) < 0) {
            throw new IllegalArgumentException("registry-identity-token-max-ttl (" + Durations.format(max)
                    + ") must not be shorter than registry-identity-token-idle-ttl (" + Durations.format(idle) + ")");
        }
        return new IdentityTokenSettings(idle, max);
    }
}
