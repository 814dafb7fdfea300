package dev.jeton.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Writing JSON answers; token responses must not be cached (RFC 6749 5.1). */
public final class Responses {
    private Responses() {
    }

    public static void json(ServerResponse res, int status, Object body) {
        res.status(Status.create(status));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(body));
    }

    public static void noStore(ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.PRAGMA, "no-cache");
    }
}
