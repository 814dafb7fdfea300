package dev.jeton.audit;

import java.io.IOException;

/** Where the writer thread puts finished lines: a rotating file or a stream. Used by one thread only. */
public interface AuditSink {
    /** One complete line, newline included. */
    void write(byte[] line) throws IOException;

    /** Called after each batch: what was written is then visible to readers. */
    void flush() throws IOException;

    void close() throws IOException;
}
