package dev.jeton.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Request limits: header size, idle connections, rate limits per client and per source address
 * (null when off), the proxies trusted to name the client, and login failure throttling.
 */
public record LimitSettings(int maxHeaderBytes, Duration idleTimeout, Rate perClient, Rate perSource, List<String> trustedProxies,
                            int loginFailuresPerUser, int loginFailuresPerAddress, Duration loginFailureWindow) {

    static LimitSettings from(Map<Setting, ConfigLoader.Sourced> v) {
        int headers = JetonConfig.integer(v, Setting.MAX_HEADER_BYTES);
        if (headers < 1024) throw new IllegalArgumentException("max-header-bytes must be at least 1024");
        Duration idle = JetonConfig.duration(v, Setting.IDLE_TIMEOUT);
        if (idle.isZero() || idle.isNegative()) throw new IllegalArgumentException("idle-timeout must be positive");
        Duration window = JetonConfig.duration(v, Setting.LOGIN_FAILURE_WINDOW);
        if (window.isZero() || window.isNegative()) throw new IllegalArgumentException("login-failure-window must be positive");
        int perUser = JetonConfig.integer(v, Setting.LOGIN_FAILURES_PER_USER);
        int perAddress = JetonConfig.integer(v, Setting.LOGIN_FAILURES_PER_ADDRESS);
        if (perUser < 0 || perAddress < 0) throw new IllegalArgumentException("login-failures-per-user and -per-address must be 0 or more");
        String proxies = v.get(Setting.TRUSTED_PROXIES).value();
        return new LimitSettings(headers, idle,
                Rate.parse(Setting.RATE_LIMIT_CLIENT.key(), v.get(Setting.RATE_LIMIT_CLIENT).value()),
                Rate.parse(Setting.RATE_LIMIT_SOURCE.key(), v.get(Setting.RATE_LIMIT_SOURCE).value()),
                Arrays.stream(proxies.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                perUser, perAddress, window);
    }
}
