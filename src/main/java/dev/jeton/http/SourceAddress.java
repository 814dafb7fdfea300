package dev.jeton.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The address a request came from. {@code X-Forwarded-For} is believed only when the peer is a
 * configured trusted proxy, and then read from the right: the first address that is not itself
 * a trusted proxy is the client (entries further left are whatever the client chose to send).
 */
public final class SourceAddress {
    private final List<Range> trusted;

    private SourceAddress(List<Range> trusted) { this.trusted = trusted; }

    /** @param proxies addresses or CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}); empty: the header is never read */
    public static SourceAddress trusting(List<String> proxies) {
        List<Range> ranges = new ArrayList<>();
        for (String p : proxies) ranges.add(Range.parse(p));
        return new SourceAddress(List.copyOf(ranges));
    }

    public String of(ServerRequest req) {
        String peer = req.remotePeer().host();
        if (trusted.isEmpty() || !isTrusted(peer)) return peer;
        List<String> forwarded = req.headers().all(HeaderNames.X_FORWARDED_FOR, List::of);
        for (int h = forwarded.size() - 1; h >= 0; h--) {
            String[] hops = forwarded.get(h).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].trim();
                if (literal(hop) == null) return peer; // not an address: the chain cannot be trusted past this point
                if (!isTrusted(hop)) return hop;
            }
        }
        return peer;
    }

    private boolean isTrusted(String address) {
        byte[] bytes = literal(address);
        if (bytes == null) return false;
        for (Range r : trusted) {
            if (r.contains(bytes)) return true;
        }
        return false;
    }

    /** The bytes of an IP literal, or null; never a DNS lookup. */
    static byte[] literal(String s) {
        if (s.isEmpty() || s.length() > 45) return null;
        boolean v6 = s.indexOf(':') >= 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '.' || (c >= '0' && c <= '9') || (v6 && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!ok) return null;
        }
        if (!v6) return ipv4(s);
        try {
            // A string with a colon is parsed as an IPv6 literal or refused: never looked up in DNS.
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3) return null;
            int v = Integer.parseInt(parts[i]);
            if (v > 255) return null;
            out[i] = (byte) v;
        }
        return out;
    }

    private record Range(byte[] network, int prefix) {
        static Range parse(String text) {
            String t = text.trim();
            int slash = t.indexOf('/');
            byte[] address = literal(slash < 0 ? t : t.substring(0, slash));
            if (address == null) throw new IllegalArgumentException("trusted-proxies: '" + text + "' is not an IP address or CIDR range");
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(t.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > address.length * 8) throw new IllegalArgumentException("trusted-proxies: bad prefix in '" + text + "'");
            }
            return new Range(address, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) return false;
            }
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
