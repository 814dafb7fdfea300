package dev.jeton.audit;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** {@code audit-log = stdout}: lines to the process's standard output, for a container's log collector. */
public final class StreamSink implements AuditSink {
    private final OutputStream out;

    public StreamSink(OutputStream out) {
        this.out = new BufferedOutputStream(out, 1 << 16);
    }

    public static StreamSink stdout() {
        return new StreamSink(new FileOutputStream(FileDescriptor.out));
    }

    @Override
    public void write(byte[] line) throws IOException { out.write(line); }

    @Override
    public void flush() throws IOException { out.flush(); }

    @Override
    public void close() throws IOException {
        // Standard output belongs to the process, not to this sink.
        out.flush();
    }
}
