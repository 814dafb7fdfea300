package dev.jeton.engine;

import java.time.Duration;

/** The engine's share of the configuration. */
public record EngineSettings(
        String issuer,
        Duration accessTokenTtl,
        Duration refreshTokenTtl,
        Duration refreshFamilyTtl,
        Duration refreshGrace) {
}
