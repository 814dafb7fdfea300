package dev.jeton.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.model.Origin;
import dev.jeton.model.ScopeLimit;
import dev.jeton.support.AuditTrail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer thread and the rotating file, on a real file: nothing lost at close, N files kept, a stalled disk never blocks. */
class AuditFileTest {
    @TempDir
    Path dir;

    private static AuditEvent change(int n) {
        return AuditEvent.admin(1_700_000_000_000L + n, AuditEvent.CLI, "ops", "operator", "user.add", "user-" + n, null);
    }

    @Test
    void closeWhenManyEventsAreQueuedThenEveryOneIsWrittenInOrder() {
        Path file = dir.resolve("audit.log");
        AsyncAuditLog log = new AsyncAuditLog(new RotatingFile(file, 1L << 30, 3), 65_536);
        for (int i = 0; i < 20_000; i++) log.record(change(i));
        log.close();

        List<JsonNode> lines = new AuditTrail(file).lines();
        assertThat(lines).hasSize(20_000);
        for (int i = 0; i < lines.size(); i++) assertThat(lines.get(i).get("target").asText()).isEqualTo("user-" + i);
    }

    @Test
    void rotationWhenFileWouldPassMaxSizeThenKeepsExactlyTheConfiguredRotatedFiles() throws IOException {
        Path file = dir.resolve("audit.log");
        AsyncAuditLog log = new AsyncAuditLog(new RotatingFile(file, 1000, 3), 1024);
        for (int i = 0; i < 200; i++) log.record(change(i));
        log.close();

        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("audit.log", "audit.log.1", "audit.log.2", "audit.log.3");
        for (String name : List.of("audit.log", "audit.log.1", "audit.log.2", "audit.log.3")) {
            assertThat(Files.size(dir.resolve(name))).as(name).isPositive().isLessThanOrEqualTo(1000);
        }
        List<JsonNode> kept = new AuditTrail(file).lines();
        assertThat(kept.getLast().get("target").asText()).isEqualTo("user-199");
        int first = Integer.parseInt(kept.getFirst().get("target").asText().substring(5));
        for (int i = 0; i < kept.size(); i++) assertThat(kept.get(i).get("target").asText()).isEqualTo("user-" + (first + i));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void recordWhenQueueIsFullThenDoesNotWaitAndCountsWhatWasLost() throws Exception {
        Path file = dir.resolve("audit.log");
        StalledDisk disk = new StalledDisk(new RotatingFile(file, 1L << 20, 1));
        AsyncAuditLog log = new AsyncAuditLog(disk, 4);
        log.record(change(0));
        assertThat(disk.writing.await(10, TimeUnit.SECONDS)).isTrue(); // the writer holds event 0, stuck on the disk
        for (int i = 1; i <= 7; i++) log.record(change(i)); // four fit in the queue, three do not: none of these calls waits
        disk.resume.countDown();
        log.close();

        // The loss is reported as soon as the stuck batch is done, before the events queued behind it.
        List<JsonNode> lines = new AuditTrail(file).lines();
        assertThat(lines).extracting(n -> n.get("event").asText())
                .containsExactly("admin", "audit_dropped", "admin", "admin", "admin", "admin");
        assertThat(lines.get(1).get("count").asInt()).isEqualTo(3);
        assertThat(lines).extracting(n -> n.path("target").asText()).containsExactly("user-0", "", "user-1", "user-2", "user-3", "user-4");
    }

    @Test
    void lineWhenFieldsHoldQuotesAndControlCharactersThenStaysOneValidJsonLine() {
        Path file = dir.resolve("audit.log");
        AsyncAuditLog log = new AsyncAuditLog(new RotatingFile(file, 1L << 20, 1), 16);
        log.record(new AuditEvent(1_700_000_000_000L, AuditEvent.ISSUED, "registry", "registry_login", "eve\"\n{\"event\":\"forged\"}",
                "id-1", "user", "registry", List.of("repository:a:pull"), "jti-1", "fam-1", null,
                new Origin("10.0.0.9", null, "agent\r\nX-Injected: 1\u0007\u2028\u009b\ud800"), "rule:r1", null,
                List.of(new ScopeLimit("repository:a:pull,push", "pull", "rule:r1")), null, null));
        log.close();

        List<JsonNode> lines = new AuditTrail(file).lines();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst().get("subject").asText()).isEqualTo("eve\"\n{\"event\":\"forged\"}");
        assertThat(lines.getFirst().get("user_agent").asText()).isEqualTo("agent\r\nX-Injected: 1\u0007\u2028\u009b\ud800");
        assertThat(lines.getFirst().get("time").asText()).isEqualTo("2023-11-14T22:13:20Z");
        // Line separators, terminal controls and the lone surrogate are escapes in the file, not characters.
        assertThat(new AuditTrail(file).rawText()).hasLineCount(1)
                .doesNotContain("\u2028", "\u009b", "\u0007", "?").contains("\\u2028\\u009b\\ud800");
    }

    @Test
    void stdoutSinkWhenClosedThenEveryLineIsFlushedAndTheStreamStaysOpen() {
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream() {
            @Override
            public void close() { throw new AssertionError("standard output belongs to the process"); }
        };
        AsyncAuditLog log = new AsyncAuditLog(new StreamSink(stdout), 16);
        for (int i = 0; i < 3; i++) log.record(change(i));
        log.close();
        assertThat(stdout.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")).hasSize(3)
                .allSatisfy(line -> assertThat(line).startsWith("{\"time\":\"2023-11-14T22:13:2").contains("\"action\":\"user.add\""));
    }

    /** The real file behind a disk that stops until told to go on: what a full or hung volume looks like to the writer. */
    private static final class StalledDisk implements AuditSink {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        private final AuditSink file;

        StalledDisk(AuditSink file) { this.file = file; }

        @Override
        public void write(byte[] line) throws IOException {
            writing.countDown();
            try {
                resume.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            file.write(line);
        }

        @Override
        public void flush() throws IOException { file.flush(); }

        @Override
        public void close() throws IOException { file.close(); }
    }
}
