package dev.jeton.http;

import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reading request bodies within the size limit; the wrong content type is the client's error. */
public final class Bodies {
    private final long maxBytes;

    public Bodies(long maxBytes) { this.maxBytes = maxBytes; }

    /** The parameters of a form-encoded body (chunked bodies without Content-Length included). */
    public Form form(ServerRequest req) {
        Optional<HttpMediaType> type = req.headers().contentType();
        if (type.isEmpty() || !type.get().mediaType().text().equalsIgnoreCase("application/x-www-form-urlencoded")) {
            throw Failure.of(Reason.INVALID_REQUEST, "content type must be application/x-www-form-urlencoded");
        }
        return Form.parse(text(req));
    }

    public String text(ServerRequest req) {
        if (!req.content().hasEntity()) return "";
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > maxBytes) {
            throw Failure.of(Reason.PAYLOAD_TOO_LARGE, "request body is larger than " + maxBytes + " bytes");
        }
        try (InputStream in = req.content().inputStream()) {
            // With a Content-Length, one array of exactly that size; asking for the limit instead
            // made the JDK allocate a 16 KiB buffer per request (most of a token request's garbage).
            byte[] body = in.readNBytes((int) (declared >= 0 ? declared : Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)));
            if (body.length > maxBytes) throw Failure.of(Reason.PAYLOAD_TOO_LARGE, "request body is larger than " + maxBytes + " bytes");
            return utf8(body);
        } catch (IOException e) {
            throw Failure.invalidRequest("request body could not be read");
        }
    }

    /**
     * Strictly: a silent U+FFFD in place of a bad byte would reach the parsers as if the client
     * had sent it. The JDK's decoding is fast but lenient, so only a body that decoded to U+FFFD
     * somewhere (rare: a bad byte, or the client really sent that character) is checked again.
     */
    private static String utf8(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) return text;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return text;
        } catch (CharacterCodingException e) {
            throw Failure.invalidRequest("request body is not valid UTF-8");
        }
    }

    /** Parameters of the query string, parsed as strictly as a form. */
    public static Form query(ServerRequest req) {
        return Form.parse(req.query().rawValue());
    }
}
