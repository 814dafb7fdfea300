package dev.jeton.secrets;

import dev.jeton.model.Secret;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class Argon2idTest {

    @Test
    void hashWhenRfc9106TestVectorThenItsTag() {
        // RFC 9106 section 5.3: Argon2id, m=32, t=3, p=4, with a secret and associated data.
        byte[] tag = inFreshArea(fill(32, 1), fill(16, 2), fill(8, 3), fill(12, 4), 32, 3, 4, 32, 0);
        assertThat(HexFormat.of().formatHex(tag)).isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void hashWhenRandomCostsAndInputsThenSameAsBouncyCastle() {
        SplittableRandom random = new SplittableRandom(7);
        for (int run = 0; run < 60; run++) {
            int parallelism = 1 + random.nextInt(4);
            int memoryKib = 8 * parallelism + random.nextInt(300);   // also sizes that are not a multiple of 4 lanes
            int iterations = 1 + random.nextInt(4);
            int tagLength = List.of(4, 16, 32, 64, 65, 100, 128).get(random.nextInt(7));
            byte[] password = bytes(random, random.nextInt(40));
            byte[] salt = bytes(random, 8 + random.nextInt(24));
            byte[] ours = inFreshArea(password, salt, new byte[0], new byte[0], memoryKib, iterations, parallelism, tagLength,
                    random.nextInt(2) * 4096);
            assertThat(ours).as("m=%d t=%d p=%d len=%d", memoryKib, iterations, parallelism, tagLength)
                    .isEqualTo(bouncyCastle(password, salt, memoryKib, iterations, parallelism, tagLength));
        }
    }

    @Test
    void verifyWhenWorkAreasAreReusedByManyCallersThenEveryAnswerIsRight() throws Exception {
        PasswordHasher hasher = new PasswordHasher(256, 2, 1);
        List<String> hashes = IntStream.range(0, 8).mapToObj(i -> hasher.hash(new Secret("password-" + i))).toList();
        List<String> wrong = new CopyOnWriteArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 400; i++) {
                int n = i % 8;
                pool.submit(() -> {
                    if (!hasher.verify(new Secret("password-" + n), hashes.get(n))) wrong.add("rejected " + n);
                    if (hasher.verify(new Secret("password-" + (n + 1)), hashes.get(n))) wrong.add("accepted wrong for " + n);
                });
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void verifyWhenHashMadeByBouncyCastleThenAccepted() {
        byte[] salt = fill(16, 9);
        byte[] tag = bouncyCastle("s3cret-pw".getBytes(), salt, 19456, 2, 1, 32);
        var b64 = java.util.Base64.getEncoder().withoutPadding();
        String phc = "$argon2id$v=19$m=19456,t=2,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(tag);
        PasswordHasher hasher = new PasswordHasher(19456, 2, 1);
        assertThat(hasher.verify(new Secret("s3cret-pw"), phc)).isTrue();
        assertThat(hasher.verify(new Secret("s3cret-pW"), phc)).isFalse();
    }

    /** Our hash in a work area of its own, larger than needed by {@code extraLongs}, freed after. */
    private static byte[] inFreshArea(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKib, int iterations,
                                      int parallelism, int tagLength, int extraLongs) {
        WorkArea area = WorkArea.allocate(Argon2id.memoryLongs(memoryKib, parallelism) + extraLongs);
        try {
            return Argon2id.hash(password, salt, secret, associated, memoryKib, iterations, parallelism, tagLength, area.longs());
        } finally {
            area.free();
        }
    }

    private static byte[] bouncyCastle(byte[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism).withSalt(salt).build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    private static byte[] fill(int length, int value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) random.nextInt(256);
        return b;
    }
}
