package dev.jeton.dialect.imds;

import dev.jeton.http.ErrorWriter;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Another managed-identity endpoint served beside IMDS on its node-local listener (Azure Arc's,
 * App Service's): its own path, wire rules and error shape, the same token source and node limits.
 */
public interface ManagedIdentityEndpoint {
    /** Its name in metrics and the audit log. */
    String name();

    /** Whether a request's raw path is this endpoint's. */
    boolean serves(String rawPath);

    /** This endpoint's error shape. */
    ErrorWriter errors();

    void handle(ServerRequest req, ServerResponse res);
}
