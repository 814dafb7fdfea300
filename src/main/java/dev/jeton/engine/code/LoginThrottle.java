package dev.jeton.engine.code;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.jeton.model.Failure;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slows password guessing on every path that checks a password: after so many failures within
 * a window (counted from the first failure), per user name and per source address, logins are
 * refused until that window ends. User names are counted whether or not the user exists, so the
 * answer tells nothing about who exists. Per instance: each instance counts on its own.
 */
public final class LoginThrottle {
    private final Cache<String, Window> failures;
    private final Duration window;
    private final int perUser;
    private final int perAddress;
    private final Clock clock;

    /** @param perUser failures per user name before refusing (0: not counted); @param perAddress the same per address */
    public LoginThrottle(Duration window, int perUser, int perAddress, Clock clock) {
        this.window = window;
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.clock = clock;
        this.failures = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).build();
    }

    /** RATE_LIMITED, with the seconds until the window ends, when this user or address has failed too often. */
    public void check(String username, String address) {
        long now = clock.millis();
        long wait = Math.max(waitFor("u:" + username, perUser, now), address == null ? 0 : waitFor("a:" + address, perAddress, now));
        if (wait > 0) {
            long seconds = (wait + 999) / 1000;
            throw Failure.rateLimited("Too many failed logins. Try again in " + seconds + " seconds.", seconds).because("login.throttled");
        }
    }

    public void failed(String username, String address) {
        long now = clock.millis();
        if (perUser > 0) failures.asMap().computeIfAbsent("u:" + username, k -> new Window(now)).count.incrementAndGet();
        if (perAddress > 0 && address != null) failures.asMap().computeIfAbsent("a:" + address, k -> new Window(now)).count.incrementAndGet();
    }

    public void succeeded(String username) {
        failures.invalidate("u:" + username);
    }

    private long waitFor(String key, int limit, long now) {
        if (limit <= 0) return 0;
        Window w = failures.getIfPresent(key);
        if (w == null || w.count.get() < limit) return 0;
        return Math.max(1, w.start + window.toMillis() - now);
    }

    private static final class Window {
        final long start;
        final AtomicInteger count = new AtomicInteger();

        Window(long start) { this.start = start; }
    }
}
