package dev.jeton.dialect.imds;

import dev.jeton.http.ErrorReply;
import dev.jeton.http.ErrorWriter;
import dev.jeton.model.Failure;

/**
 * Azure Arc's agent answers like IMDS ({@code {"error","error_description"}}), except that a
 * missing or wrong key-file secret is 401 {@code unauthorized_client}: the one case it adds.
 */
final class ArcErrors implements ErrorWriter {
    private final ImdsErrors imds = new ImdsErrors();

    @Override
    public ErrorReply reply(Failure failure) {
        return switch (failure.reason()) {
            case INVALID_CLIENT -> ErrorReply.of(401, new ImdsErrors.Body("unauthorized_client", failure.detail()));
            default -> imds.reply(failure);
        };
    }
}
