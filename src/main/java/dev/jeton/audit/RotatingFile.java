package dev.jeton.audit;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The audit file, rotated by size: when a line would take it past {@code maxBytes}, FILE
 * becomes FILE.1, FILE.1 becomes FILE.2 and so on, keeping {@code keep} rotated files. The
 * file is created 0600 (it names users and addresses) and opened only at the first line.
 */
public final class RotatingFile implements AuditSink {
    private final Path file;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long size;

    public RotatingFile(Path file, long maxBytes, int keep) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    @Override
    public void write(byte[] line) throws IOException {
        if (out == null) open();
        if (size > 0 && size + line.length > maxBytes) {
            rotate();
            open();
        }
        try {
            out.write(line);
        } catch (IOException e) {
            // Start over with a fresh handle next time (the disk may come back, the file may have been moved).
            try {
                out.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one reported
            }
            out = null;
            throw e;
        }
        size += line.length;
    }

    @Override
    public void flush() throws IOException {
        if (out != null) out.flush();
    }

    @Override
    public void close() throws IOException {
        if (out != null) out.close();
        out = null;
    }

    /** FILE.(keep-1) -> FILE.keep ... FILE -> FILE.1; the oldest falls off the end. */
    private void rotate() throws IOException {
        close();
        if (keep <= 0) {
            Files.deleteIfExists(file);
            return;
        }
        for (int i = keep - 1; i >= 1; i--) {
            Path from = rotated(file, i);
            if (Files.exists(from)) Files.move(from, rotated(file, i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(file, rotated(file, 1), StandardCopyOption.REPLACE_EXISTING);
    }

    private void open() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException exists) {
            // Appending to what an earlier run (or another process on this data dir) wrote.
        } catch (UnsupportedOperationException notPosix) {
            if (!Files.exists(file)) Files.createFile(file);
        }
        out = new BufferedOutputStream(new FileOutputStream(file.toFile(), true), 1 << 16);
        size = Files.size(file);
    }

    /** FILE.n, the n-th newest rotated file. */
    public static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }
}
