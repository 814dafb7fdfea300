package dev.jeton.engine.code;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slows password guessing at the login page: after so many failures in a window, per user
 * name and per source address, logins are refused until the window passes. Per instance.
 */
public final class LoginThrottle {
    private final Cache<String, AtomicInteger> failures;
    private final int perUser;
    private final int perAddress;

    public LoginThrottle(Duration window, int perUser, int perAddress) {
        this.failures = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
        this.perUser = perUser;
        this.perAddress = perAddress;
    }

    public void check(String username, String address) {
        if (count("u:" + username) >= perUser || count("a:" + address) >= perAddress) {
            throw Failure.of(Reason.RATE_LIMITED, "Too many failed logins. Wait a few minutes and try again.").because("login.throttled");
        }
    }

    public void failed(String username, String address) {
        failures.asMap().computeIfAbsent("u:" + username, k -> new AtomicInteger()).incrementAndGet();
        failures.asMap().computeIfAbsent("a:" + address, k -> new AtomicInteger()).incrementAndGet();
    }

    public void succeeded(String username) {
        failures.invalidate("u:" + username);
    }

    private int count(String key) {
        AtomicInteger n = failures.getIfPresent(key);
        return n == null ? 0 : n.get();
    }
}
