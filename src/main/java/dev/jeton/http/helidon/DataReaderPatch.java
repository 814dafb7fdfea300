package dev.jeton.http.helidon;

import io.helidon.common.buffers.DataReader;

/**
 * Whether the {@link DataReader} running is Jeton's patched one ({@code patches/helidon/}: it
 * unlinks the buffers it has consumed). The build compiles it into Jeton's own classes, ahead of
 * Helidon's jar on the class path; a repackaging that puts Helidon's copy first (a shaded jar, the
 * module path) would bring back the old-generation growth the patch removes, silently, so the
 * server says so at start. The patch marks its class with a private field; looking it up needs
 * no access to it.
 * <p>
 * Remove together with the patch (see there for when).
 */
public final class DataReaderPatch {
    static final String MARKER = "JETON_UNLINKS_CONSUMED_NODES";
    private static final System.Logger LOG = System.getLogger(DataReaderPatch.class.getName());

    private DataReaderPatch() {
    }

    /** Whether the DataReader class this JVM uses is the patched one. */
    public static boolean inUse() {
        try {
            DataReader.class.getDeclaredField(MARKER);
            return true;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    /** Logs a warning when Helidon's unpatched DataReader runs. */
    public static void warnIfMissing() {
        if (inUse()) return;
        LOG.log(System.Logger.Level.WARNING, "Helidon's DataReader from {0} runs instead of Jeton's patched one: under keep-alive "
                + "load the heap will grow to its maximum between full collections (docs/helidon-workarounds.md). "
                + "Put jeton.jar ahead of helidon-common-buffers on the class path.",
                String.valueOf(DataReader.class.getProtectionDomain().getCodeSource()));
    }
}
