package dev.jeton.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The audit log behind a bounded queue and one writer thread: {@link #record} only offers the
 * event to the queue (no I/O, no formatting, no lock held while writing), and the writer takes
 * whatever is waiting, formats it, writes it and flushes once per batch; when nothing is waiting
 * it rests 5 ms rather than asking to be woken. If the queue is full
 * (the disk has stalled) the event is counted, not waited for, so a stuck disk never stalls token
 * issuance; the count is written as an {@code audit_dropped} line once the writer catches up.
 * {@link #close} waits until everything recorded before it is written.
 */
public final class AsyncAuditLog implements AuditLog {
    private static final System.Logger LOG = System.getLogger(AsyncAuditLog.class.getName());
    private static final int BATCH = 4096;
    /** How long the writer rests when the queue is empty: how late a line may reach the file. */
    private static final long IDLE_WAIT_NANOS = 5_000_000;
    /** Put on the queue by close(): everything before it is written, then the writer stops. */
    private static final AuditEvent END = AuditEvent.admin(0, null, null, null, null, null, null);

    private final ArrayBlockingQueue<AuditEvent> queue;
    private final AuditSink sink;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    private boolean failing;

    public AsyncAuditLog(AuditSink sink, int capacity) {
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = Thread.ofPlatform().name("jeton-audit").daemon(true).start(this::run);
    }

    @Override
    public void record(AuditEvent event) {
        if (closed || !queue.offer(event)) dropped.incrementAndGet();
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) return;
        closed = true;
        try {
            queue.put(END);
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<AuditEvent> batch = new ArrayList<>(BATCH);
        StringBuilder line = new StringBuilder(512);
        boolean ending = false;
        while (!ending) {
            // Polled, not taken: a writer blocked in take() is woken by every event recorded, and
            // at 30,000 tokens a second those wake-ups cost more CPU than writing the lines.
            AuditEvent first = queue.poll();
            if (first == null) {
                LockSupport.parkNanos(IDLE_WAIT_NANOS);
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, BATCH - 1);
            for (AuditEvent event : batch) {
                if (event == END) {
                    ending = true;
                } else {
                    line.setLength(0);
                    AuditJson.append(line, event);
                    write(line);
                }
            }
            // Events that raced close() past the END marker still get written.
            if (ending) {
                batch.clear();
                queue.drainTo(batch);
                for (AuditEvent event : batch) {
                    line.setLength(0);
                    AuditJson.append(line, event);
                    write(line);
                }
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                line.setLength(0);
                line.append("{\"time\":\"").append(java.time.Instant.now()).append("\",\"event\":\"audit_dropped\",\"count\":")
                        .append(lost).append("}\n");
                write(line);
                LOG.log(System.Logger.Level.WARNING, "audit log queue was full: {0} events were not recorded", lost);
            }
            flush();
            batch.clear();
        }
        try {
            sink.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the audit log failed: {0}", e.getMessage());
        }
    }

    private void write(StringBuilder line) {
        try {
            sink.write(line.toString().getBytes(StandardCharsets.UTF_8));
            failing = false;
        } catch (IOException e) {
            // Reported once per outage, not once per line; the sink reopens on the next line.
            if (!failing) LOG.log(System.Logger.Level.ERROR, "cannot write the audit log: {0}", e.getMessage());
            failing = true;
        }
    }

    private void flush() {
        try {
            sink.flush();
        } catch (IOException e) {
            if (!failing) LOG.log(System.Logger.Level.ERROR, "cannot write the audit log: {0}", e.getMessage());
            failing = true;
        }
    }
}
