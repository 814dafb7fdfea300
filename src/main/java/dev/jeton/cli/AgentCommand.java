package dev.jeton.cli;

import dev.jeton.agent.Agent;
import dev.jeton.agent.AgentSettings;
import dev.jeton.config.Durations;
import dev.jeton.config.ManagedIdentityEndpointSettings;
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
                "With --arc and --app-service it also serves Azure Arc's and App Service's managed identity endpoints on the same "
                        + "listener, each handing out the identities its --*-identities list names, so that local users get "
                        + "different rights.",
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

    @Option(names = "--imds-identities", paramLabel = "NAME", split = ",", splitSynopsisLabel = ",", defaultValue = "${env:JETON_AGENT_IMDS_IDENTITIES:-*}",
            description = "Which of the node's identities IMDS hands out (to any local process); * for all (default ${DEFAULT-VALUE}).")
    List<String> imdsIdentities = new ArrayList<>();
    @Option(names = "--arc", negatable = true, defaultValue = "${env:JETON_AGENT_ARC:-false}", fallbackValue = "true",
            description = "Also serve Azure Arc's managed identity endpoint at /arc/metadata/identity/oauth2/token on the IMDS listener "
                    + "(workloads set IDENTITY_ENDPOINT to it and IMDS_ENDPOINT to the listener); only local users who can read "
                    + "--arc-key-dir get tokens (default ${DEFAULT-VALUE}).")
    boolean arc;
    @Option(names = "--arc-key-dir", paramLabel = "DIR", defaultValue = "${env:JETON_AGENT_ARC_KEY_DIR:-/var/opt/azcmagent/tokens}",
            description = "Where Arc's challenge key files are written (0600; the directory made 0700 when missing); the Azure SDKs "
                    + "on Linux read them only from the default, ${DEFAULT-VALUE}.")
    Path arcKeyDir;
    @Option(names = "--arc-key-ttl", paramLabel = "DURATION", defaultValue = "${env:JETON_AGENT_ARC_KEY_TTL:-30s}",
            description = "How long an Arc challenge's key file may be answered, such as 30s or 2m (default ${DEFAULT-VALUE}).")
    String arcKeyTtl;
    @Option(names = "--arc-identities", paramLabel = "NAME", split = ",", splitSynopsisLabel = ",", defaultValue = "${env:JETON_AGENT_ARC_IDENTITIES:-*}",
            description = "Which of the node's identities Arc's endpoint hands out; * for all (default ${DEFAULT-VALUE}).")
    List<String> arcIdentities = new ArrayList<>();
    @Option(names = "--app-service", negatable = true, defaultValue = "${env:JETON_AGENT_APP_SERVICE:-false}", fallbackValue = "true",
            description = "Also serve App Service's managed identity endpoint at /msi/token on the IMDS listener (workloads set "
                    + "IDENTITY_ENDPOINT to it and IDENTITY_HEADER to the secret file's content); only holders of the secret get "
                    + "tokens (default ${DEFAULT-VALUE}).")
    boolean appService;
    @Option(names = "--app-service-secret-file", paramLabel = "FILE", defaultValue = "${env:JETON_AGENT_APP_SERVICE_SECRET_FILE}",
            description = "File holding App Service's X-IDENTITY-HEADER secret (at least 16 characters); made (0600, random) when "
                    + "missing (default: app-service.secret in --state-dir).")
    Path appServiceSecretFile;
    @Option(names = "--app-service-identities", paramLabel = "NAME", split = ",", splitSynopsisLabel = ",",
            defaultValue = "${env:JETON_AGENT_APP_SERVICE_IDENTITIES:-*}",
            description = "Which of the node's identities App Service's endpoint hands out; * for all (default ${DEFAULT-VALUE}).")
    List<String> appServiceIdentities = new ArrayList<>();

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
        ManagedIdentityEndpointSettings endpoints = new ManagedIdentityEndpointSettings(names("--imds-identities", imdsIdentities), arc,
                arcKeyDir, keyTtl(), names("--arc-identities", arcIdentities), appService,
                appServiceSecretFile != null ? appServiceSecretFile : AgentSettings.imdsOnly(stateDir).appServiceSecretFile(),
                names("--app-service-identities", appServiceIdentities));
        AgentSettings settings = new AgentSettings(urls, node, enrolTokenFile, federatedTokenFile, stateDir, imdsHost, imdsPort, imdsRate,
                imdsConcurrency, Duration.ofSeconds(5), endpoints);
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

    private static List<String> names(String option, List<String> given) {
        List<String> names = given.stream().map(String::strip).filter(n -> !n.isEmpty()).toList();
        if (names.isEmpty()) throw new IllegalArgumentException(option + " must name identities, or * for all of the node's");
        return names;
    }

    private Duration keyTtl() {
        Duration ttl = Durations.parse(arcKeyTtl);
        if (ttl.isZero() || ttl.isNegative()) throw new IllegalArgumentException("--arc-key-ttl must be positive");
        return ttl;
    }
}
