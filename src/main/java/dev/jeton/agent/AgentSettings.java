package dev.jeton.agent;

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
 */
public record AgentSettings(List<URI> servers, String node, Path enrolTokenFile, Path federatedTokenFile, Path stateDir, String imdsHost,
                            int imdsPort, int imdsRate, int imdsConcurrency, Duration serverTimeout) {
    public AgentSettings {
        servers = List.copyOf(servers);
    }
}
