package dev.jeton;

import dev.jeton.config.JetonConfig;
import dev.jeton.config.TlsFiles;
import dev.jeton.dialect.DialectModule;
import dev.jeton.http.Dialect;
import dev.jeton.http.JetonServer;
import dev.jeton.http.RateLimits;
import dev.jeton.tls.CertificateRenewal;
import dev.jeton.tls.DevCertificate;
import dev.jeton.tls.ListenerCertificate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The listeners of a server: the public one, and one for each dialect that asks for its own
 * (IMDS's node-local listener). Ports are settled when this is built (a free one for port 0,
 * so that the issuer can name it); TLS certificates are read by {@link #loadCertificates},
 * which only a server start calls.
 */
public final class Listeners {
    private final JetonConfig config;
    private final int port;
    private final List<Side> sides;
    private final Map<String, ListenerCertificate> sideCertificates = new HashMap<>();
    private ListenerCertificate publicCertificate;
    private boolean certificatesLoaded;

    /** A dialect's own listener, its port settled. {@code tls} null means plain HTTP. */
    public record Side(String name, String title, String host, int port, TlsFiles tls) {
        public String url() { return (tls != null ? "https://" : "http://") + host + ":" + port; }
    }

    Listeners(JetonConfig config, List<DialectModule> modules) {
        this.config = config;
        this.port = config.port() == 0 ? freePort(config.host()) : config.port();
        List<Side> sides = new ArrayList<>();
        for (DialectModule module : modules) {
            if (module.listener(config) instanceof DialectModule.Listener.Own own) {
                sides.add(new Side(module.name(), own.title(), own.host(), own.port() == 0 ? freePort(own.host()) : own.port(), own.tls()));
            }
        }
        this.sides = List.copyOf(sides);
    }

    /** The public listener's port. */
    public int port() { return port; }

    /** Where the public listener answers, such as https://127.0.0.1:8443. */
    public String baseUrl() { return (config.publicTls() ? "https://" : "http://") + config.host() + ":" + port; }

    /** The dialects' own listeners, in the order of their modules. */
    public List<Side> sides() { return sides; }

    /** The port of the named dialect's own listener, or -1 when it has none (turned off). */
    public int port(String dialect) { return side(dialect).map(Side::port).orElse(-1); }

    /** Where the named dialect's own listener answers, or null when it has none. */
    public String url(String dialect) { return side(dialect).map(Side::url).orElse(null); }

    private Optional<Side> side(String dialect) {
        return sides.stream().filter(s -> s.name().equals(dialect)).findFirst();
    }

    /**
     * Reads the TLS certificates (making the dev one when asked), so that a bad PEM file fails
     * the start with one clear sentence before anything is printed or served.
     */
    void loadCertificates(String issuer, Instant now) {
        if (certificatesLoaded) return;
        if (config.devTls()) {
            List<String> hosts = new ArrayList<>(List.of(config.host()));
            if (!config.issuer().isEmpty()) hosts.add(hostOf(issuer));
            publicCertificate = ListenerCertificate.load(DevCertificate.ensure(config.dataDir(), hosts, now), now);
        } else if (config.tls() != null) {
            publicCertificate = ListenerCertificate.load(config.tls(), now);
        }
        for (Side side : sides) {
            if (side.tls() != null) sideCertificates.put(side.name(), ListenerCertificate.load(side.tls(), now));
        }
        certificatesLoaded = true;
    }

    private static String hostOf(String issuer) {
        String host = URI.create(issuer).getHost();
        if (host == null) return "";
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** The dev TLS certificate a client should trust, or null without {@code dev-tls}. */
    Path devCertificate() {
        return config.devTls() ? config.dataDir().resolve(DevCertificate.CERT_FILE).toAbsolutePath() : null;
    }

    /** The public listener's settings, its certificate loaded. */
    JetonServer.Settings publicSettings(RateLimits limits) {
        return new JetonServer.Settings(config.host(), port, config.maxRequestBytes(), config.requestTimeout(), config.accessLog(),
                publicCertificate, config.hstsMaxAge(), config.limits().maxHeaderBytes(), config.limits().idleTimeout(), limits);
    }

    /** Each dialect's own listener, serving the dialect made for it. */
    List<JetonServer.SideListener> sideListeners(Map<String, Dialect> dialects) {
        return sides.stream().map(side -> new JetonServer.SideListener(side.name(), side.host(), side.port(),
                List.of(dialects.get(side.name())), sideCertificates.get(side.name()))).toList();
    }

    /** A renewal check for each listener serving certificate files; none for the dev certificate, which is not renewed in place. */
    List<CertificateRenewal> renewals(JetonServer server, Clock clock) {
        List<CertificateRenewal> renewals = new ArrayList<>();
        if (config.tls() != null) {
            renewals.add(new CertificateRenewal("public", config.tls(), c -> server.reloadTls(JetonServer.PUBLIC_LISTENER, c), clock));
        }
        for (Side side : sides) {
            if (sideCertificates.containsKey(side.name())) {
                renewals.add(new CertificateRenewal(side.name(), side.tls(), c -> server.reloadTls(side.name(), c), clock));
            }
        }
        return renewals;
    }

    private static int freePort(String host) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + host, e);
        }
    }
}
