package dev.jeton.agent;

import dev.jeton.config.ManagedIdentityEndpointSettings;
import dev.jeton.dialect.imds.AllowedIdentities;
import dev.jeton.dialect.imds.ImdsDialect;
import dev.jeton.dialect.imds.ImdsModule;
import dev.jeton.http.Dialect;
import dev.jeton.http.JetonServer;
import dev.jeton.http.OpenApiDocs;
import dev.jeton.http.RateLimit;
import dev.jeton.http.RateLimits;
import dev.jeton.http.SourceAddress;
import dev.jeton.http.TokenMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * The node agent's own wiring, the only place that builds it: its credential (the node key,
 * enrolled on the first start, or a platform token), its client of the servers, the token cache,
 * and the managed-identity endpoints on the node-local listener. No store, no master key, no
 * signing key: the servers decide what this node may have.
 */
public final class Agent implements AutoCloseable {
    static final String KEY_FILE = "node-key.jwk";
    static final String ENROLLED_FILE = "enrolled";

    private final AgentSettings settings;
    private final JetonServer server;

    private Agent(AgentSettings settings, JetonServer server) {
        this.settings = settings;
        this.server = server;
    }

    /** Enrols when this state directory has not yet, then listens; fails with one clear sentence when it cannot. */
    public static Agent start(AgentSettings settings, Clock clock) {
        ServerClient servers = new ServerClient(settings.servers(), settings.serverTimeout());
        Function<String, String> credential = settings.federatedTokenFile() != null
                ? issuer -> read(settings.federatedTokenFile(), "the federated token file")
                : enrolled(settings, servers, clock);
        AgentTokens tokens = new AgentTokens(servers, credential, clock);
        PrometheusRegistry registry = new PrometheusRegistry();
        TokenMetrics metrics = new TokenMetrics(registry);
        // One rate limit and one in-flight bound for the node, whichever endpoint a workload asks, as for serve's IMDS listener.
        RateLimit rate = new RateLimit(settings.imdsRate(), Duration.ofSeconds(1), clock);
        Semaphore inFlight = new Semaphore(settings.imdsConcurrency());
        // The identity lists are local restrictions on top of the servers' decision (which comes from the node's proven identity).
        ManagedIdentityEndpointSettings msi = settings.endpoints();
        List<Dialect> endpoints = List.of(new ImdsDialect(tokens, metrics, rate, inFlight, settings.node(),
                AllowedIdentities.of(msi.imdsIdentities()), ImdsModule.endpoints(msi, tokens, metrics, rate, inFlight, settings.node(), clock)));
        JetonServer.Settings listener = new JetonServer.Settings(settings.imdsHost(), settings.imdsPort(), 64 * 1024, Duration.ofSeconds(10),
                false, null, Duration.ZERO, 8 * 1024, Duration.ofSeconds(60), new RateLimits(null, null, SourceAddress.trusting(List.of())));
        JetonServer server = new JetonServer(listener, endpoints, List.of(), () -> true, registry, new OpenApiDocs(List.of())).start();
        return new Agent(settings, server);
    }

    /**
     * The node key's assertions. On the first start in this state directory: makes the key and
     * enrols its public half with the one-time token; later starts find both and enrol no more.
     */
    private static Function<String, String> enrolled(AgentSettings settings, ServerClient servers, Clock clock) {
        Path dir = settings.stateDir();
        NodeKey key = NodeKey.loadOrCreate(dir.resolve(KEY_FILE));
        Path marker = dir.resolve(ENROLLED_FILE);
        String enrolledAs = Files.exists(marker) ? read(marker, "the enrolment record").trim() : null;
        if (enrolledAs != null && !enrolledAs.equals(settings.node())) {
            throw new IllegalArgumentException("state directory " + dir + " belongs to node " + enrolledAs + ", not " + settings.node());
        }
        if (enrolledAs == null) {
            if (settings.enrolTokenFile() == null) {
                throw new IllegalArgumentException("node " + settings.node() + " has not enrolled yet: give --enrol-token-file "
                        + "(from 'jeton node add " + settings.node() + "')");
            }
            servers.enrol(settings.node(), read(settings.enrolTokenFile(), "the enrolment token file").trim(), key.publicJwk());
            write(marker, settings.node() + "\n");
        }
        return issuer -> key.assertion(settings.node(), issuer, clock.instant());
    }

    public int port() { return server.port(); }

    /** Where the IMDS endpoint answers, such as http://127.0.0.1:8081. */
    public String url() {
        String host = settings.imdsHost().contains(":") ? "[" + settings.imdsHost() + "]" : settings.imdsHost();
        return "http://" + host + ":" + port();
    }

    public String node() { return settings.node(); }

    @Override
    public void close() { server.close(); }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
