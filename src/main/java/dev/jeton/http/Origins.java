package dev.jeton.http;

import dev.jeton.model.Origin;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/** Reads where a request came from, for the audit log: peer address, X-Forwarded-For, User-Agent. */
public final class Origins {
    private Origins() {
    }

    public static Origin of(ServerRequest req) {
        return new Origin(req.remotePeer().host(),
                req.headers().first(HeaderNames.X_FORWARDED_FOR).orElse(null),
                req.headers().first(HeaderNames.USER_AGENT).orElse(null));
    }
}
