package dev.jeton.cli;

import dev.jeton.agent.Agent;
import dev.jeton.agent.AgentSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Runs the node agent: IMDS on this node, with tokens of the identities assigned to this node only, asked "
                + "from the fleet's servers. It holds no database, no master key and no signing key.",
                "First start: makes the node's key pair in --state-dir (the private key never leaves the node) and enrols it with "
                        + "the one-time token from 'jeton node add NAME'. Later starts reuse it. With --federated-token-file it "
                        + "presents a Kubernetes service-account token instead and needs no enrolment.",
                "Every option also reads JETON_AGENT_<OPTION> from the environment (JETON_AGENT_SERVER, JETON_AGENT_NODE...). "
                        + "See docs/fleet.md."})
public final class AgentCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL[,URL...]", split = ",", defaultValue = "${env:JETON_AGENT_SERVER}", required = true,
            description = "The fleet's servers, tried in turn when one is unreachable.")
    List<String> servers = new ArrayList<>();
    @Option(names = "--node", paramLabel = "NAME", defaultValue = "${env:JETON_AGENT_NODE}", required = true,
            description = "This node's name, as 'jeton node add' and 'identity assign --node' name it.")
    String node;
    @Option(names = "--enrol-token-file", paramLabel = "FILE", defaultValue = "${env:JETON_AGENT_ENROL_TOKEN_FILE}",
            description = "The one-time enrolment token (needed on the first start only; delete it afterwards).")
    Path enrolTokenFile;
    @Option(names = "--federated-token-file", paramLabel = "FILE", defaultValue = "${env:JETON_AGENT_FEDERATED_TOKEN_FILE}",
            description = "A projected Kubernetes service-account token to present instead of a node key (re-read on every call); "
                    + "a trust policy with --as node:GLOB must admit it.")
    Path federatedTokenFile;
    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:JETON_AGENT_STATE_DIR:-/var/lib/jeton-agent}",
            description = "Where the node key (mode 0600) and the enrolment record live (default ${DEFAULT-VALUE}).")
    Path stateDir;
    @Option(names = "--imds-host", paramLabel = "HOST", defaultValue = "${env:JETON_AGENT_IMDS_HOST:-127.0.0.1}",
            description = "Address of the IMDS listener (169.254.169.254 on a node; default ${DEFAULT-VALUE}).")
    String imdsHost;
    @Option(names = "--imds-port", paramLabel = "PORT", defaultValue = "${env:JETON_AGENT_IMDS_PORT:-8081}",
            description = "Port of the IMDS listener (80 on a node; 0 picks a free one; default ${DEFAULT-VALUE}).")
    int imdsPort;
    @Option(names = "--imds-rate", paramLabel = "N", defaultValue = "${env:JETON_AGENT_IMDS_RATE:-20}",
            description = "IMDS requests per second for the node, as Azure's limit (default ${DEFAULT-VALUE}).")
    int imdsRate;
    @Option(names = "--imds-concurrency", paramLabel = "N", defaultValue = "${env:JETON_AGENT_IMDS_CONCURRENCY:-5}",
            description = "IMDS requests in flight at once, as Azure's limit (default ${DEFAULT-VALUE}).")
    int imdsConcurrency;

    @Override
    public Integer call() throws InterruptedException {
        List<URI> urls = new ArrayList<>();
        for (String s : servers) {
            URI uri = URI.create(s.strip());
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("--server " + s + " is not an http(s) URL");
            }
            urls.add(uri);
        }
        if (enrolTokenFile != null && federatedTokenFile != null) {
            throw new IllegalArgumentException("--enrol-token-file and --federated-token-file exclude each other");
        }
        AgentSettings settings = new AgentSettings(urls, node, enrolTokenFile, federatedTokenFile, stateDir, imdsHost, imdsPort, imdsRate,
                imdsConcurrency, Duration.ofSeconds(5));
        Agent agent = Agent.start(settings, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "jeton-agent-stop"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("jeton agent for node " + node + " on " + agent.url());
        out.flush();
        stopped.await();
        return 0;
    }
}
