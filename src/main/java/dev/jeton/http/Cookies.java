package dev.jeton.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.util.List;

/** Reading one cookie of a request, for the pages that keep a session or a CSRF token in one. */
public final class Cookies {
    private Cookies() {
    }

    /** The value of cookie {@code name} from every Cookie header (a client may send several); null when absent. */
    public static String read(ServerRequest req, String name) {
        for (String header : req.headers().all(HeaderNames.COOKIE, List::of)) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(name + "=")) return p.substring(name.length() + 1);
            }
        }
        return null;
    }
}
