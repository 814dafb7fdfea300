package dev.jeton.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what an HTTP client library will not send: oversized
 * request lines and headers, requests that trickle in, connections left idle.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** Sends the request at once and reads until the server closes (or 10 s pass, which shows as an unfinished answer). */
    public static String exchange(int port, String request) {
        return exchangeUntilClosed(port, request).text();
    }

    /** An answer, and whether the server ended the connection after it (rather than 10 s passing with it open). */
    public record Answer(String text, boolean closedByServer) {
    }

    /** Sends the request (or several, pipelined) at once and reads until the server closes the connection or 10 s pass. */
    public static Answer exchangeUntilClosed(int port, String request) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            boolean closed;
            try {
                int n;
                while ((n = s.getInputStream().read(buffer)) >= 0) got.write(buffer, 0, n);
                closed = true;
            } catch (SocketTimeoutException stillOpen) {
                closed = false;
            } catch (java.net.SocketException reset) {
                closed = true;
            }
            return new Answer(got.toString(StandardCharsets.ISO_8859_1), closed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code request}, ends the connection's sending side (as a client that gives up), and reads until the server closes. */
    public static Answer sendThenEnd(int port, String request) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            boolean closed;
            try {
                int n;
                while ((n = s.getInputStream().read(buffer)) >= 0) got.write(buffer, 0, n);
                closed = true;
            } catch (SocketTimeoutException stillOpen) {
                closed = false;
            } catch (java.net.SocketException reset) {
                closed = true;
            }
            return new Answer(got.toString(StandardCharsets.ISO_8859_1), closed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the requests on one connection, each after the answer to the one before has been read
     * whole (its headers and Content-Length bytes of body): what a keep-alive client does.
     */
    public static java.util.List<String> exchangeInTurn(int port, String... requests) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            java.util.List<String> answers = new java.util.ArrayList<>();
            for (String request : requests) {
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                answers.add(readOneAnswer(in));
            }
            return answers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readOneAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("the server closed the connection after " + head.size() + " bytes of an answer");
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length: *(\\d+)$").matcher(headers);
        if (!length.find()) throw new IOException("an answer without Content-Length: " + headers);
        byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
        return headers + new String(body, StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends {@code head} at once, then {@code trickle} one byte every 100 ms (a slowloris), and
     * returns whatever the server answers before it closes the connection.
     */
    public static String trickle(int port, String head, String trickle) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (byte b : trickle.getBytes(StandardCharsets.ISO_8859_1)) {
                        Thread.sleep(100);
                        out.write(b);
                        out.flush();
                    }
                } catch (IOException | InterruptedException closedByServer) {
                    // the server cut us off: what the test expects
                }
            });
            String answer = readToEnd(s.getInputStream());
            writer.interrupt();
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the server closes a connection that sends nothing after one complete request and answer. */
    public static boolean closedWhenIdle(int port, String request) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                int n = in.read(buffer);
                if (n < 0) return true;
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) got.write(buffer, 0, n);
        } catch (SocketTimeoutException | java.net.SocketException endedOrReset) {
            // what arrived before the timeout or reset is the answer
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }
}
