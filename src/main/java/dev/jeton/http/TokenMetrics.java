package dev.jeton.http;

import dev.jeton.model.Failure;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.function.Supplier;

/** Token counts by dialect, grant and outcome, and issuance latency, for {@code /metrics}. */
public final class TokenMetrics {
    private final Counter tokens;
    private final Histogram latency;

    public TokenMetrics(PrometheusRegistry registry) {
        this.tokens = Counter.builder().name("jeton_tokens")
                .help("Token requests by dialect, grant and outcome (issued or the failure reason)")
                .labelNames("dialect", "grant", "outcome").register(registry);
        this.latency = Histogram.builder().name("jeton_token_duration_seconds")
                .help("Time to answer a token request")
                .labelNames("dialect", "grant")
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
                .register(registry);
    }

    public <T> T measure(String dialect, String grant, Supplier<T> issue) {
        long start = System.nanoTime();
        String outcome = "issued";
        try {
            return issue.get();
        } catch (Failure f) {
            outcome = f.reason().name().toLowerCase(java.util.Locale.ROOT);
            throw f;
        } finally {
            latency.labelValues(dialect, grant).observe((System.nanoTime() - start) / 1e9);
            tokens.labelValues(dialect, grant, outcome).inc();
        }
    }
}
