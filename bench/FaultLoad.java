import dev.jeton.model.Secret;
import dev.jeton.secrets.TokenKey;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load of bench/faults: refresh chains, client_credentials and IMDS through the node agent,
 * while the script restarts PostgreSQL, kills a server and stops both. Unlike wrk it fails over:
 * a request that gets no answer or a 5xx goes to the other server with the same token, as a
 * client behind a load balancer would see it. It counts successes and errors per second (the
 * timeline), and at the end checks every chain: its last token rotates exactly once more, the
 * replaced one is refused, and the family's generation in PostgreSQL equals the rotations the
 * chain was answered (none lost, none doubled).
 *
 * Usage: java -cp 'target/lib/*' bench/FaultLoad.java KEY=VALUE...
 *   servers=URL,URL basic='Basic ...' user=U password=P agent=IMDS_URL stop=FILE chains=N cc=N imds=N grace_seconds=N
 *   jdbc=jdbc:postgresql://... out=DIR (writes timeline.csv, chains.tsv, summary.json; start.ms at the start)
 */
public final class FaultLoad {
    private static final Pattern REFRESH = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final int CHAIN = 0, CC = 1, IMDS = 2, IMDS_COLD = 3, KINDS = 4;
    private static final String[] NAMES = {"refresh", "client_credentials", "imds_cached", "imds_cold"};

    private final Map<String, String> args;
    private final List<URI> servers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Path stop;
    /** Seconds the timeline can hold; the load ends earlier, when the stop file appears. */
    private final int seconds = 3600;
    private volatile int lastSecond;
    private final AtomicLongArray ok, err;
    private long start;
    private volatile boolean running = true;

    private FaultLoad(Map<String, String> args) {
        this.args = args;
        for (String s : args.get("servers").split(",")) servers.add(URI.create(s));
        this.stop = Path.of(args.get("stop"));
        this.ok = new AtomicLongArray(seconds * KINDS);
        this.err = new AtomicLongArray(seconds * KINDS);
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : argv) args.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        new FaultLoad(args).run();
    }

    /** One refresh chain: its current token, where it sends it, and what happened to it. */
    private final class Chain implements Runnable {
        final int id;
        String token, previous;
        int server;
        long rotations, errors, noAnswer, fiveXx;
        String lastTrouble = "none";
        String broken;

        Chain(int id, String token) {
            this.id = id;
            this.token = token;
            this.server = id % servers.size();
        }

        @Override
        public void run() {
            while (running && broken == null) {
                Answer a = send(servers.get(server), refreshRequest(token));
                if (a.status == 200) {
                    Matcher m = REFRESH.matcher(a.body);
                    if (!m.find()) { broken = "200 without a refresh token"; break; }
                    previous = token;
                    token = m.group(1);
                    rotations++;
                    lastTrouble = "none";
                    count(CHAIN, true);
                } else if (a.status == 0 || a.status >= 500) {
                    // No answer, or the server said it could not: the same token, on the other server.
                    errors++;
                    if (a.status == 0) { noAnswer++; lastTrouble = "no answer (" + a.body + ")"; }
                    else { fiveXx++; lastTrouble = a.status + " " + a.body; }
                    count(CHAIN, false);
                    server = (server + 1) % servers.size();
                    pause(100);
                } else {
                    count(CHAIN, false);
                    broken = a.status + " " + a.body + " after " + lastTrouble;
                }
            }
        }

        HttpRequest.Builder refreshRequest(String t) {
            return form("/oidc/token", "grant_type=refresh_token&refresh_token=" + enc(t)).header("Authorization", args.get("basic"));
        }
    }

    private record Answer(int status, String body) {
    }

    private void run() throws Exception {
        Path out = Path.of(args.get("out"));
        Files.createDirectories(out);
        int chainCount = Integer.parseInt(args.getOrDefault("chains", "16"));
        List<Chain> chains = new ArrayList<>();
        for (int i = 0; i < chainCount; i++) {
            Answer login = send(servers.get(i % servers.size()), form("/oidc/token", "grant_type=password&username="
                    + enc(args.get("user")) + "&password=" + enc(args.get("password"))).header("Authorization", args.get("basic")));
            Matcher m = REFRESH.matcher(login.body);
            if (login.status != 200 || !m.find()) throw new IllegalStateException("login failed: " + login.status + " " + login.body);
            chains.add(new Chain(i, m.group(1)));
        }
        start = System.currentTimeMillis();
        Files.writeString(out.resolve("start.ms"), Long.toString(start));
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Chain c : chains) workers.submit(c);
            for (int i = 0; i < Integer.parseInt(args.getOrDefault("cc", "4")); i++) {
                int first = i;
                workers.submit(() -> loop(CC, first, u -> form("/oidc/token", "grant_type=client_credentials")
                        .header("Authorization", args.get("basic")), true));
            }
            URI agent = URI.create(args.get("agent"));
            for (int i = 0; i < Integer.parseInt(args.getOrDefault("imds", "2")); i++) {
                workers.submit(() -> loop(IMDS, 0, u -> HttpRequest.newBuilder(agent).header("Metadata", "true").GET(), false));
            }
            // One workload that asks past the agent's cache now and then: the agent's own failover between servers.
            URI cold = URI.create(args.get("agent") + "&bypass_cache=true");
            workers.submit(() -> loop(IMDS_COLD, 0, u -> HttpRequest.newBuilder(cold).header("Metadata", "true").GET(), false, 100));
            while (!Files.exists(stop) && System.currentTimeMillis() - start < seconds * 1000L) Thread.sleep(100);
            lastSecond = (int) ((System.currentTimeMillis() - start) / 1000);
            running = false;
        }
        writeTimeline(out);
        verify(chains, out);
    }

    private void loop(int kind, int first, java.util.function.Function<URI, HttpRequest.Builder> request, boolean failover) {
        loop(kind, first, request, failover, 0);
    }

    private void loop(int kind, int first, java.util.function.Function<URI, HttpRequest.Builder> request, boolean failover, long paceMs) {
        int server = first % servers.size();
        while (running) {
            Answer a = send(servers.get(server), request.apply(servers.get(server)));
            boolean good = a.status == 200;
            count(kind, good);
            if (!good) {
                if (failover && (a.status == 0 || a.status >= 500)) server = (server + 1) % servers.size();
                pause(50);
            } else if (paceMs > 0) {
                pause(paceMs);
            }
        }
    }

    /** After the load: each intact chain rotates once more, its replaced token is refused, and PostgreSQL agrees on the count. */
    private void verify(List<Chain> chains, Path out) throws Exception {
        int intact = 0, exactlyOnce = 0, replayRefused = 0, brokenAfterNoAnswer = 0, brokenOther = 0;
        Map<Chain, String> status = new LinkedHashMap<>();
        for (Chain c : chains) {
            if (c.broken == null) {
                Answer last = sendWithRetry(c.refreshRequest(c.token));
                Matcher m = REFRESH.matcher(last.body);
                if (last.status == 200 && m.find()) {
                    c.previous = c.token;
                    c.token = m.group(1);
                    c.rotations++;
                    intact++;
                    status.put(c, "intact");
                } else {
                    c.broken = "final rotation answered " + last.status + " " + last.body;
                    status.put(c, "lost: " + c.broken);
                    brokenOther++;
                }
            } else if (c.lastTrouble.startsWith("no answer")) {
                status.put(c, "ended by reuse detection after a request that got no answer: " + c.broken);
                brokenAfterNoAnswer++;
            } else {
                status.put(c, "broken: " + c.broken);
                brokenOther++;
            }
        }
        // Inside refresh-grace the replaced token is still answered (as a retry): replay only after it.
        long grace = Long.parseLong(args.getOrDefault("grace_seconds", "0"));
        if (grace > 0) Thread.sleep((grace + 1) * 1000);
        StringBuilder tsv = new StringBuilder("chain\trotations\terrors\tno_answer\t5xx\tgeneration\tstatus\n");
        try (Connection db = DriverManager.getConnection(args.get("jdbc"), "postgres", null)) {
            for (Chain c : chains) {
                long generation = generation(db, c.token);
                if (c.broken == null) {
                    if (generation == c.rotations) exactlyOnce++;
                    Answer replay = sendWithRetry(c.refreshRequest(c.previous));
                    if (replay.status == 400 && replay.body.contains("invalid_grant")) replayRefused++;
                    else status.put(c, "replaced token answered " + replay.status + " " + replay.body);
                }
                tsv.append(c.id).append('\t').append(c.rotations).append('\t').append(c.errors).append('\t').append(c.noAnswer)
                        .append('\t').append(c.fiveXx).append('\t').append(generation).append('\t')
                        .append(status.get(c).replace('\t', ' ').replace('\n', ' ')).append('\n');
            }
        }
        Files.writeString(out.resolve("chains.tsv"), tsv);
        long rotations = chains.stream().mapToLong(c -> c.rotations).sum();
        String summary = String.format("{\"chains\": %d, \"intact\": %d, \"exactly_once\": %d, \"replay_refused\": %d, "
                        + "\"ended_after_no_answer\": %d, \"broken_otherwise\": %d, \"rotations\": %d}%n",
                chains.size(), intact, exactlyOnce, replayRefused, brokenAfterNoAnswer, brokenOther, rotations);
        Files.writeString(out.resolve("summary.json"), summary);
        System.out.print(summary);
    }

    /** The family generation of the family that {@code token} belongs to, as PostgreSQL has it; -1 when unknown. */
    private static long generation(Connection db, String token) throws Exception {
        TokenKey key = TokenKey.of(new Secret(token));   // keyed as Jeton keys the tokens it issues
        try (PreparedStatement ps = db.prepareStatement("SELECT f.generation FROM refresh_tokens t JOIN refresh_families f "
                + "ON f.id = t.family_id WHERE t.lookup = ? AND t.hash = ?")) {
            ps.setString(1, key.lookup());
            ps.setString(2, key.hash());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** For the final checks: any server that answers, for up to two minutes. */
    private Answer sendWithRetry(HttpRequest.Builder request) {
        Answer a = new Answer(0, "not sent");
        for (int i = 0; i < 480; i++) {
            a = send(servers.get(i % servers.size()), request);
            if (a.status != 0 && a.status < 500) return a;
            pause(250);
        }
        return a;
    }

    private Answer send(URI server, HttpRequest.Builder request) {
        HttpRequest built = request.copy().timeout(Duration.ofSeconds(15)).build();
        if ("relative".equals(built.uri().getHost())) {
            built = request.copy().uri(server.resolve(built.uri().getRawPath())).timeout(Duration.ofSeconds(15)).build();
        }
        try {
            HttpResponse<String> r = http.send(built, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(0, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }

    /** A form POST to {@code path} on whichever server {@link #send} is given. */
    private static HttpRequest.Builder form(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://relative" + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private void count(int kind, boolean good) {
        int second = (int) ((System.currentTimeMillis() - start) / 1000);
        if (second < 0 || second >= seconds) return;
        (good ? ok : err).incrementAndGet(second * KINDS + kind);
    }

    private void writeTimeline(Path out) throws IOException {
        StringBuilder csv = new StringBuilder("second");
        for (String n : NAMES) csv.append(',').append(n).append("_ok,").append(n).append("_err");
        csv.append('\n');
        for (int s = 0; s < lastSecond; s++) {
            csv.append(s);
            for (int k = 0; k < KINDS; k++) csv.append(',').append(ok.get(s * KINDS + k)).append(',').append(err.get(s * KINDS + k));
            csv.append('\n');
        }
        Files.writeString(out.resolve("timeline.csv"), csv);
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
