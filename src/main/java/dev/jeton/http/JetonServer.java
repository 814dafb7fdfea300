package dev.jeton.http;

import dev.jeton.http.helidon.BothListeners;
import dev.jeton.http.helidon.ConnectionClose;
import dev.jeton.http.helidon.DataReaderPatch;
import dev.jeton.http.helidon.UnreadBodyFilter;
import dev.jeton.tls.ListenerCertificate;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The public HTTP listener: every dialect's routes, plus health, metrics and the OpenAPI
 * documents. Helidon SE on virtual threads; one request per virtual thread, no pools to size.
 */
public final class JetonServer implements AutoCloseable {
    /** The name of the public listener, for {@link #reloadTls}. */
    public static final String PUBLIC_LISTENER = WebServer.DEFAULT_SOCKET_NAME;
    /** Longest request line (method, path and query): 414 above. Helidon's default is 4096; registry scopes can be long. */
    static final int MAX_REQUEST_LINE = 8 * 1024;
    /**
     * On SIGTERM a listener stops accepting, closes idle connections and lets requests in flight
     * finish for this long before it cuts them (Helidon's default, half a second, would cut a
     * login's password hashing on a busy machine). Within Kubernetes' 30 s grace period.
     */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final WebServer server;
    private final List<SlowClients> slowClients = new java.util.ArrayList<>();

    public JetonServer(Settings settings, List<Dialect> dialects, List<SideListener> sideListeners, BooleanSupplier ready,
                       PrometheusRegistry metrics, OpenApiDocs openApi) {
        DataReaderPatch.warnIfMissing();
        HttpRouting.Builder routing = HttpRouting.builder();
        ConnectionClose connectionClose = new ConnectionClose();
        routing.addFilter(connectionClose);
        if (settings.accessLog()) routing.addFilter(new AccessLog());
        Hsts hsts = settings.tls() == null ? null : new Hsts(settings.hstsMaxAge());
        if (hsts != null) routing.addFilter(hsts);
        DialectPaths paths = new DialectPaths(dialects, new PlainErrors());
        routing.addFilter(new UnreadBodyFilter(p -> paths.owner(p) != null));
        if (settings.limits().limitsSources()) routing.addFilter(new SourceRateFilter(settings.limits(), paths));
        for (Dialect d : dialects) d.routing(routing);
        routing.get("/health/live", (req, res) -> Responses.json(res, 200, new Health("UP")));
        routing.get("/health/ready", (req, res) -> {
            boolean up = ready.getAsBoolean();
            Responses.json(res, up ? 200 : 503, new Health(up ? "UP" : "DOWN"));
        });
        routing.get("/metrics", (req, res) -> {
            res.header(HeaderValues.create("Content-Type", "text/plain; version=0.0.4; charset=utf-8"));
            res.send(scrape(metrics));
        });
        routing.get("/openapi.yaml", (req, res) -> yaml(res, openApi.combined()));
        routing.get("/openapi/{dialect}.yaml", (req, res) -> {
            byte[] doc = openApi.document(req.path().pathParameters().get("dialect"));
            if (doc == null) {
                Responses.json(res, 404, new NotFound("no OpenAPI document by that name"));
            } else {
                yaml(res, doc);
            }
        });
        // Anything no dialect answered: plain JSON, never a stack trace.
        routing.error(Throwable.class, (req, res, t) -> {
            if (res.isSent()) return;
            if (hsts != null) hsts.addTo(res); // Helidon resets the response before an error handler runs
            if (t instanceof HttpException http && http.status().code() < 500) {
                Responses.json(res, http.status().code(), new NotFound(http.status().code() == 404 ? "not_found" : "bad_request"));
                return;
            }
            System.getLogger(JetonServer.class.getName()).log(System.Logger.Level.ERROR, "unhandled error", t);
            Responses.json(res, Status.INTERNAL_SERVER_ERROR_500.code(), new NotFound("internal_server_error"));
        });

        WebServerConfig.Builder builder = WebServer.builder();
        for (SideListener side : sideListeners) {
            HttpRouting.Builder sideRouting = HttpRouting.builder();
            sideRouting.addFilter(connectionClose);
            if (settings.accessLog()) sideRouting.addFilter(new AccessLog());
            if (side.tls() != null) sideRouting.addFilter(new Hsts(settings.hstsMaxAge()));
            DialectPaths sidePaths = new DialectPaths(side.dialects(), new PlainErrors());
            sideRouting.addFilter(new UnreadBodyFilter(p -> sidePaths.owner(p) != null));
            for (Dialect d : side.dialects()) d.routing(sideRouting);
            SlowClients sideSlow = new SlowClients(settings.requestTimeout(), settings.idleTimeout(), sidePaths);
            slowClients.add(sideSlow);
            builder.putSocket(side.name(), socket -> {
                socket.host(side.host()).port(side.port())
                        .maxPayloadSize(settings.maxRequestBytes())
                        .routing(sideRouting);
                connections(socket, settings, sideSlow, connectionClose, sidePaths);
                if (side.tls() != null) socket.tls(tls(side.tls()));
            });
        }
        if (settings.tls() != null) builder.tls(tls(settings.tls()));
        SlowClients slow = new SlowClients(settings.requestTimeout(), settings.idleTimeout(), paths);
        slowClients.add(slow);
        builder.host(settings.host())
                .port(settings.port())
                // Bodies enforces the real limit in each dialect's error shape; this is only a backstop
                // for bodies nobody reads.
                .maxPayloadSize(Math.max(settings.maxRequestBytes() * 16, 1 << 20))
                .routing(routing);
        connections(builder, settings, slow, connectionClose, paths);
        this.server = builder.build();
    }

    /**
     * What both listeners share: timeouts, header and request-line limits, slow clients, closing
     * after {@code Connection: close}, and JSON for refusals before routing.
     */
    private static void connections(ListenerConfig.BuilderBase<?, ?> listener, Settings settings, SlowClients slow,
                                    ConnectionClose connectionClose, DialectPaths paths) {
        listener.connectionOptions(o -> o.readTimeout(settings.socketReadTimeout()))
                .shutdownGracePeriod(SHUTDOWN_GRACE)
                .idleConnectionTimeout(settings.idleTimeout())
                .idleConnectionPeriod(idleCheckPeriod(settings.idleTimeout()))
                .addProtocol(Http1Config.builder()
                        .maxHeadersSize(settings.maxHeaderBytes())
                        .maxPrologueLength(MAX_REQUEST_LINE)
                        .addReceiveListener(new BothListeners(slow.receiver(), connectionClose.receiver()))
                        .addSendListener(slow.sender())
                        .build())
                // Requests refused before routing answer JSON in the dialect's shape. includeEntity only
                // hands Helidon's reason to DirectAnswers, which never echoes it.
                .directHandlers(new DirectAnswers(paths, settings.maxHeaderBytes(), MAX_REQUEST_LINE).handlers())
                .errorHandling(e -> e.includeEntity(true));
    }

    /** Helidon looks for idle connections this often (its default, 2 minutes, would let them overstay). */
    private static Duration idleCheckPeriod(Duration idle) {
        return Duration.ofMillis(Math.max(50, Math.min(1000, idle.toMillis() / 4)));
    }

    /**
     * Starts every listener, or none: Helidon logs a listener that cannot bind (a port in use) and
     * stops the others without throwing, so a server that did not come up says so here and the
     * process can exit instead of running deaf (helidon-io/helidon#8109, fixed by #8111 to report
     * it through isRunning()).
     */
    public JetonServer start() {
        server.start();
        if (!server.isRunning()) {
            close();
            throw new ListenFailure("could not open every listener (is a port in use? the log above names it)");
        }
        return this;
    }

    /** A listener did not come up; the server is stopped. */
    public static final class ListenFailure extends RuntimeException {
        ListenFailure(String message) { super(message, null, false, false); }
    }

    public int port() { return server.port(); }

    public int port(String listener) { return server.port(listener); }

    /** Serves a renewed certificate on a TLS listener; connections already open keep the old one. */
    public void reloadTls(String listener, ListenerCertificate certificate) {
        server.reloadTls(listener, tls(certificate));
    }

    @Override
    public void close() {
        server.stop();
        slowClients.forEach(SlowClients::close);
    }

    /** Helidon's TLS from a loaded certificate: TLS 1.2 and 1.3 with the JDK's default suites, no client certificates. */
    private static Tls tls(ListenerCertificate certificate) {
        return Tls.builder()
                .privateKey(certificate.key())
                .privateKeyCertChain(certificate.chain())
                .build();
    }

    private static void yaml(io.helidon.webserver.http.ServerResponse res, byte[] doc) {
        res.header(HeaderValues.create("Content-Type", "application/yaml"));
        res.send(doc);
    }

    private static byte[] scrape(PrometheusRegistry registry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A listener of its own, such as the node-local IMDS one: only its dialects, no health or
     * metrics. {@code tls} null means plain HTTP.
     */
    public record SideListener(String name, String host, int port, List<Dialect> dialects, ListenerCertificate tls) {
    }

    /**
     * @param tls            null means the public listener is plain HTTP (and sends no HSTS header)
     * @param maxHeaderBytes largest header section (431 above)
     * @param idleTimeout    how long an idle keep-alive connection stays open
     * @param limits         rate limits and how the source address is found
     */
    public record Settings(String host, int port, long maxRequestBytes, Duration requestTimeout, boolean accessLog,
                           ListenerCertificate tls, Duration hstsMaxAge, int maxHeaderBytes, Duration idleTimeout, RateLimits limits) {
        /**
         * The longest wait for a single read: a backstop only. It must not cut idle keep-alive
         * connections before idleTimeout; slow requests are SlowClients' job.
         */
        Duration socketReadTimeout() { return requestTimeout.compareTo(idleTimeout) > 0 ? requestTimeout : idleTimeout; }
    }

    private record Health(String status) {
    }

    private record NotFound(String error) {
    }
}
