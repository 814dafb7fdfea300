package dev.jeton.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

/**
 * A dialect's answer to a failure as data: status, headers and a JSON body. Being data, it can
 * be sent on a routed response or, for errors found before routing (431, 408), written raw.
 */
public record ErrorReply(int status, List<Header> headers, Object body) {
    private static final Header NO_STORE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store");
    private static final Header NO_CACHE = HeaderValues.create(HeaderNames.PRAGMA, "no-cache");

    public static ErrorReply of(int status, Object body, Header... headers) {
        return new ErrorReply(status, List.of(headers), body);
    }

    /** The same answer with Cache-Control: no-store and Pragma: no-cache added (RFC 6749 5.1). */
    public ErrorReply noStore() {
        Header[] all = headers.toArray(new Header[headers.size() + 2]);
        all[headers.size()] = NO_STORE;
        all[headers.size() + 1] = NO_CACHE;
        return new ErrorReply(status, List.of(all), body);
    }

    public static Header retryAfter(long seconds) {
        return HeaderValues.create(HeaderNames.RETRY_AFTER, Long.toString(seconds));
    }

    public void send(ServerResponse res) {
        for (Header h : headers) res.header(h);
        Responses.json(res, status, body);
    }
}
