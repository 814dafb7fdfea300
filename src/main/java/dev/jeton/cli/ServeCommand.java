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
                "Prints 'jeton listening on http://HOST:PORT' once it accepts requests; stops on SIGINT/SIGTERM."})
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions options;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port (env JETON_PORT, default 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (env JETON_HOST, default 127.0.0.1).")
    String host;

    @Option(names = "--issuer", paramLabel = "URL", description = "Public base URL, the 'iss' of tokens (env JETON_ISSUER, default http://HOST:PORT).")
    String issuer;

    @Option(names = "--node", paramLabel = "NAME", description = "The node whose managed identities the IMDS listener serves (env JETON_NODE, default: the host name).")
    String node;

    @Option(names = "--imds-port", paramLabel = "N", description = "Port of the node-local IMDS listener (env JETON_IMDS_PORT, default 8081; -1 turns it off).")
    Integer imdsPort;

    @Option(names = "--imds-host", paramLabel = "ADDR", description = "Address of the IMDS listener (env JETON_IMDS_HOST, default 127.0.0.1).")
    String imdsHost;

    @Override
    public Integer call() throws InterruptedException {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        if (port != null) flags.put(Setting.PORT, port.toString());
        if (host != null) flags.put(Setting.HOST, host);
        if (issuer != null) flags.put(Setting.ISSUER, issuer);
        if (node != null) flags.put(Setting.NODE, node);
        if (imdsPort != null) flags.put(Setting.IMDS_PORT, imdsPort.toString());
        if (imdsHost != null) flags.put(Setting.IMDS_HOST, imdsHost);
        JetonConfig config = options.load(flags);
        PrintWriter out = spec.commandLine().getOut();
        Wiring wiring = new Wiring(config, Clock.systemUTC());
        wiring.firstRun().seedIfEmpty().ifPresent(c -> CredentialsPrinter.print(out, c, false));
        JetonServer server = wiring.serve();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            wiring.close();
            stopped.countDown();
        }, "jeton-shutdown"));
        if (wiring.imdsPort() >= 0) {
            out.println("jeton IMDS for node " + config.node() + " on http://" + config.imdsHost() + ":" + server.port("imds"));
        }
        out.println("jeton listening on http://" + config.host() + ":" + server.port());
        out.flush();
        stopped.await();
        return 0;
    }
}
