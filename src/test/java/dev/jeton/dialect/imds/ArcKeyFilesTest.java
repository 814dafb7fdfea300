package dev.jeton.dialect.imds;

import dev.jeton.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Arc's key files on disk: made owner-only, single use, gone when used or expired, and only Jeton's own are ever deleted. */
class ArcKeyFilesTest {
    @TempDir
    Path dir;

    @Test
    void startWhenDirectoryMissingThenMadeOwnerOnly() throws Exception {
        Path tokens = dir.resolve("opt").resolve("tokens");
        new ArcKeyFiles(tokens, Duration.ofSeconds(30), Clock.systemUTC());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens))).isEqualTo("rwx------");
    }

    @Test
    void startWhenOldFilesLeftThenOnlyJetonsExpiredOnesDeleted() throws Exception {
        Path old = Files.writeString(dir.resolve("jeton-0123.key"), "x");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path live = Files.writeString(dir.resolve("jeton-4567.key"), "y");
        Path foreign = Files.writeString(dir.resolve("3f2a.key"), "z");
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        new ArcKeyFiles(dir, Duration.ofSeconds(30), Clock.systemUTC());
        assertThat(old).doesNotExist();
        assertThat(live).as("another instance's challenge may still be answered").exists();
        assertThat(foreign).as("not Jeton's").exists();
    }

    @Test
    void redeemWhenSpentTwiceThenReusedAndTheFileGone() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        ArcKeyFiles keys = new ArcKeyFiles(dir, Duration.ofSeconds(30), clock);
        Path file = keys.issue();
        String secret = Files.readString(file);
        assertThat(keys.redeem("f".repeat(64))).isEqualTo(ArcKeyFiles.Outcome.UNKNOWN);
        assertThat(keys.redeem(secret)).isEqualTo(ArcKeyFiles.Outcome.ACCEPTED);
        assertThat(file).doesNotExist();
        assertThat(keys.redeem(secret)).isEqualTo(ArcKeyFiles.Outcome.REUSED);
        clock.advance(Duration.ofSeconds(31));
        Path next = keys.issue();
        assertThat(keys.redeem(secret)).as("forgotten once expired").isEqualTo(ArcKeyFiles.Outcome.UNKNOWN);
        assertThat(keys.outstanding()).isEqualTo(1);
        assertThat(next).exists();
    }

    @Test
    void issueWhenNobodyAnswersThenTheFileIsDeletedAfterItsLifetime() throws Exception {
        ArcKeyFiles keys = new ArcKeyFiles(dir, Duration.ofMillis(50), Clock.systemUTC());
        Path file = keys.issue();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Files.exists(file) && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(file).doesNotExist();
    }
}
