package dev.jeton.cli;

import dev.jeton.Wiring;
import dev.jeton.config.JetonConfig;
import dev.jeton.config.Setting;
import dev.jeton.http.JetonServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the token server. On first start it creates the data directory (SQLite database, "
                + "signing keys, master key file), an admin user and a demo client, and prints their secrets once.",
                "Prints 'jeton listening on http://HOST:PORT' (https:// with TLS) once it accepts requests; stops on SIGINT/SIGTERM.",
                "TLS: --tls-cert-file and --tls-key-file (PEM) make the public listener HTTPS only; --dev-tls makes and keeps a "
                        + "self-signed certificate in the data dir and prints its path for 'curl --cacert'. The IMDS listener stays "
                        + "plain HTTP unless imds-tls-cert-file and imds-tls-key-file are set (see 'jeton config').",
                "Limits (config keys or JETON_* env, listed by 'jeton config'): max-request-bytes, max-header-bytes, "
                        + "request-timeout, idle-timeout, rate-limit-client and rate-limit-source (e.g. 20/s, off by default), "
                        + "trusted-proxies, login-failures-per-user, login-failures-per-address, login-failure-window.",
                "In a container or under systemd (env JETON_HEADLESS=true, or JETON_FIRST_ADMIN_PASSWORD_FILE set) nothing secret is "
                        + "printed: the admin's password comes from that file, no demo client is made, and the master key must be "
                        + "given (JETON_MASTER_KEY or an existing master-key-file) rather than made."})
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions options;

    @Option(names = "--watch", paramLabel = "FILE", description = "Apply this configuration file (as 'jeton apply -f FILE', without --prune) "
            + "at start and again whenever its content changes, logging each change; a file that fails changes nothing "
            + "(docs/config-as-code.md).")
    java.nio.file.Path watch;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port (env JETON_PORT, default 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (env JETON_HOST, default 127.0.0.1).")
    String host;

    @Option(names = "--issuer", paramLabel = "URL", description = "Public base URL, the 'iss' of tokens (env JETON_ISSUER, default http://HOST:PORT, https:// with TLS).")
    String issuer;

    @Option(names = "--node", paramLabel = "NAME", description = "The node whose managed identities the IMDS listener serves (env JETON_NODE, default: the host name).")
    String node;

    @Option(names = "--imds-port", paramLabel = "N", description = "Port of the node-local IMDS listener (env JETON_IMDS_PORT, default 8081; -1 turns it off).")
    Integer imdsPort;

    @Option(names = "--imds-host", paramLabel = "ADDR", description = "Address of the IMDS listener (env JETON_IMDS_HOST, default 127.0.0.1).")
    String imdsHost;

    @Option(names = "--arc", description = "Also serve Azure Arc's managed identity endpoint on the IMDS listener at "
            + "/arc/metadata/identity/oauth2/token, with challenge key files in arc-key-dir (env JETON_ARC; see docs/imds.md).")
    boolean arc;

    @Option(names = "--app-service", description = "Also serve App Service's managed identity endpoint on the IMDS listener at /msi/token, "
            + "for holders of the secret in app-service-secret-file (env JETON_APP_SERVICE; see docs/imds.md).")
    boolean appService;

    @Option(names = "--tls-cert-file", paramLabel = "FILE", description = "PEM certificate chain, server certificate first (env JETON_TLS_CERT_FILE); with --tls-key-file the public listener serves HTTPS only.")
    String tlsCertFile;

    @Option(names = "--tls-key-file", paramLabel = "FILE", description = "PEM private key of --tls-cert-file: PKCS#8, PKCS#1 RSA or EC, unencrypted (env JETON_TLS_KEY_FILE).")
    String tlsKeyFile;

    @Option(names = "--dev-tls", description = "Serve HTTPS with a self-signed certificate for localhost, 127.0.0.1 and HOST, made once and kept in DATA_DIR/dev-tls-cert.pem (env JETON_DEV_TLS). For development.")
    boolean devTls;

    /** Seeds an empty store; only a laptop start prints secrets (see {@link dev.jeton.config.FirstStart}). */
    private static void firstStart(Wiring wiring, JetonConfig config, PrintWriter out) {
        String dataDir = config.dataDir().toAbsolutePath().toString();
        if (config.firstStart().printsSecrets()) {
            wiring.admin().firstRun().seedIfEmpty().ifPresent(c -> {
                wiring.admin().adminAudit().changed("init", dataDir, "created user " + c.adminUser() + " and client " + c.demoClientId());
                CredentialsPrinter.print(out, c, false);
            });
            return;
        }
        wiring.admin().firstRun().seedHeadlessIfEmpty(config.firstStart()::adminPassword).ifPresent(user -> {
            wiring.admin().adminAudit().changed("init", dataDir, "created user " + user);
            out.println("First start: created user " + user + " with the password in " + config.firstStart().adminPasswordFile());
        });
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        if (port != null) flags.put(Setting.PORT, port.toString());
        if (host != null) flags.put(Setting.HOST, host);
        if (issuer != null) flags.put(Setting.ISSUER, issuer);
        if (node != null) flags.put(Setting.NODE, node);
        if (imdsPort != null) flags.put(Setting.IMDS_PORT, imdsPort.toString());
        if (imdsHost != null) flags.put(Setting.IMDS_HOST, imdsHost);
        if (arc) flags.put(Setting.ARC, "true");
        if (appService) flags.put(Setting.APP_SERVICE, "true");
        if (tlsCertFile != null) flags.put(Setting.TLS_CERT_FILE, tlsCertFile);
        if (tlsKeyFile != null) flags.put(Setting.TLS_KEY_FILE, tlsKeyFile);
        if (devTls) flags.put(Setting.DEV_TLS, "true");
        JetonConfig config = options.load(flags);
        PrintWriter out = spec.commandLine().getOut();
        Wiring wiring = new Wiring(config, Clock.systemUTC());
        try {
            // Before the first-run secrets are printed: a bad certificate must not cost the operator them.
            wiring.loadCertificates();
            // And before anything is made: a headless server without its master key stops here.
            wiring.admin().keys();
        } catch (RuntimeException e) {
            wiring.close();
            throw e;
        }
        firstStart(wiring, config, out);
        JetonServer server;
        try {
            server = wiring.serve();
        } catch (RuntimeException e) {
            // Its background jobs would keep a process that serves nothing alive.
            wiring.close();
            throw e;
        }
        System.Logger configLog = System.getLogger("jeton.config");
        ConfigWatcher watcher = watch == null ? null
                : new ConfigWatcher(wiring.admin(), watch, line -> configLog.log(System.Logger.Level.INFO, line));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (watcher != null) watcher.close();
            wiring.close();
            stopped.countDown();
        }, "jeton-shutdown"));
        wiring.listeners().sides().forEach(side -> out.println("jeton " + side.title() + " on " + side.url()));
        if (wiring.devCertificate() != null) {
            out.println("jeton dev TLS certificate: " + wiring.devCertificate() + " (trust it: curl --cacert "
                    + wiring.devCertificate() + " " + wiring.baseUrl() + "/health/ready)");
        }
        out.println("jeton listening on " + wiring.baseUrl());
        out.flush();
        stopped.await();
        return 0;
    }
}
