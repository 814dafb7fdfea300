package dev.jeton.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The whole-request target, fuzzed for real (new inputs, not only the seeds) for 15 s in every
 * build: Surefire's execution {@code fuzz-brief} runs this class alone with JAZZER_FUZZ=1, as
 * Jazzer fuzzes one target per JVM. It reaches every dialect's parsers through HTTP; the longer
 * per-parser runs are in README "Fuzzing". A finding fails the build and is written to this
 * class's inputs directory, to be kept as a seed.
 */
class WholeRequestBriefFuzzTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        WholeRequestFuzzTest.dir = dir;
        WholeRequestFuzzTest.start();
    }

    @AfterAll
    static void stop() { WholeRequestFuzzTest.stop(); }

    @FuzzTest(maxDuration = "15s")
    void requestWhenAnythingThenNoServerErrorStackTraceOrSecret(FuzzedDataProvider data) throws IOException {
        new WholeRequestFuzzTest().requestWhenAnythingThenNoServerErrorStackTraceOrSecret(data);
    }
}
