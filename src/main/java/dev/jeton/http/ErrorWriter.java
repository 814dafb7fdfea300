package dev.jeton.http;

import dev.jeton.model.Failure;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** A dialect's one place that turns a {@link Failure} into its own status, headers and body. */
@FunctionalInterface
public interface ErrorWriter {
    ErrorReply reply(Failure failure);

    default void write(Failure failure, ServerRequest req, ServerResponse res) {
        reply(failure).send(res);
    }
}
