package dev.jeton.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends requests byte for byte as a client wrote them (request line, header order and case,
 * {@code Connection: keep-alive}) one after the other on one connection, and reads each answer
 * by its framing (Content-Length or chunked) rather than waiting for the server to close.
 */
public final class RawExchange {
    private RawExchange() {
    }

    /** One HTTP answer; header names lower-cased. */
    public record Reply(int status, Map<String, String> headers, String body) {
    }

    public static Reply send(int port, String request) {
        return sendAll(port, List.of(request)).getFirst();
    }

    /** Each request is written only after the answer to the one before has been read, as a client reusing a connection does. */
    public static List<Reply> sendAll(int port, List<String> requests) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            List<Reply> replies = new ArrayList<>();
            for (String request : requests) {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                replies.add(read(in));
            }
            return replies;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Reply read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) throw new IOException("not an HTTP/1.1 answer: " + statusLine);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    /** A CRLF-terminated line without its terminator; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
