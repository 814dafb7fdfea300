package dev.jeton.agent;

import dev.jeton.config.ManagedIdentityEndpointSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code jeton agent} is told, parsed once at the edge.
 *
 * @param servers         the fleet's servers, tried in turn; the one that last answered first
 * @param enrolTokenFile  the one-time enrolment token, read on the first start only
 * @param federatedTokenFile a platform token (a Kubernetes projected service-account token) presented instead of a node key;
 *                        re-read on every call, as the kubelet rotates it; null for an enrolled node
 * @param stateDir        where the node key and the enrolment record live
 * @param imdsPort        0 picks a free port
 * @param endpoints       which identities IMDS hands out, and whether Azure Arc's and App Service's endpoints answer beside it
 */
public record AgentSettings(List<URI> servers, String node, Path enrolTokenFile, Path federatedTokenFile, Path stateDir, String imdsHost,
                            int imdsPort, int imdsRate, int imdsConcurrency, Duration serverTimeout,
                            ManagedIdentityEndpointSettings endpoints) {
    static final String APP_SERVICE_SECRET_FILE = "app-service.secret";

    public AgentSettings {
        servers = List.copyOf(servers);
    }

    /** IMDS alone, handing out all of the node's identities, as Azure's does. */
    public AgentSettings(List<URI> servers, String node, Path enrolTokenFile, Path federatedTokenFile, Path stateDir, String imdsHost,
                         int imdsPort, int imdsRate, int imdsConcurrency, Duration serverTimeout) {
        this(servers, node, enrolTokenFile, federatedTokenFile, stateDir, imdsHost, imdsPort, imdsRate, imdsConcurrency, serverTimeout,
                imdsOnly(stateDir));
    }

    /** Arc's and App Service's endpoints off; their files where {@code jeton agent} would put them were they turned on. */
    public static ManagedIdentityEndpointSettings imdsOnly(Path stateDir) {
        return new ManagedIdentityEndpointSettings(List.of("*"), false, Path.of("/var/opt/azcmagent/tokens"), Duration.ofSeconds(30),
                List.of("*"), false, stateDir.resolve(APP_SERVICE_SECRET_FILE), List.of("*"));
    }
}
