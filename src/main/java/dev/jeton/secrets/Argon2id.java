package dev.jeton.secrets;

import org.bouncycastle.crypto.digests.Blake2bDigest;

import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Argon2id (RFC 9106, version 0x13) over a caller-supplied work area. BouncyCastle's generator
 * allocates its memory (19 MiB at the default cost, as a thousand objects per MiB) on every
 * hash; under a stream of logins that garbage was promoted and grew the heap by a hundred MiB.
 * Here the memory is a {@link WorkArea} outside the heap that {@link WorkAreas} hands from hash to
 * hash. Cross-checked against BouncyCastle and the RFC's test vector in Argon2idTest.
 */
final class Argon2id {
    static final int BLOCK_LONGS = 128;
    private static final int SYNC_POINTS = 4;
    private static final int VERSION = 0x13;
    private static final int TYPE_ID = 2;

    private Argon2id() {
    }

    /** Work area longs needed for {@code memoryKib}: the memory is rounded down to 4 blocks per lane. */
    static int memoryLongs(int memoryKib, int parallelism) {
        return blocks(memoryKib, parallelism) * BLOCK_LONGS;
    }

    private static int blocks(int memoryKib, int parallelism) {
        int m = Math.max(memoryKib, 2 * SYNC_POINTS * parallelism);
        return m / (SYNC_POINTS * parallelism) * (SYNC_POINTS * parallelism);
    }

    static byte[] hash(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKib, int iterations,
                       int parallelism, int tagLength, LongBuffer memory) {
        int blockCount = blocks(memoryKib, parallelism);
        if (memory.capacity() < blockCount * BLOCK_LONGS) throw new IllegalArgumentException("work area too small");
        int laneLength = blockCount / parallelism;
        int segmentLength = laneLength / SYNC_POINTS;

        byte[] h0 = initialHash(password, salt, secret, associated, memoryKib, iterations, parallelism, tagLength);
        byte[] seed = Arrays.copyOf(h0, 72);
        byte[] block = new byte[1024];
        for (int lane = 0; lane < parallelism; lane++) {
            le32(seed, 68, lane);
            for (int i = 0; i < 2; i++) {
                le32(seed, 64, i);
                variableHash(seed, block);
                toLongs(block, memory, (lane * laneLength + i) * BLOCK_LONGS);
            }
        }

        Filler filler = new Filler(memory, blockCount, laneLength, segmentLength, parallelism, iterations);
        for (int pass = 0; pass < iterations; pass++) {
            for (int slice = 0; slice < SYNC_POINTS; slice++) {
                for (int lane = 0; lane < parallelism; lane++) filler.fillSegment(pass, slice, lane);
            }
        }

        long[] last = new long[BLOCK_LONGS];
        for (int lane = 0; lane < parallelism; lane++) {
            int offset = (lane * laneLength + laneLength - 1) * BLOCK_LONGS;
            for (int k = 0; k < BLOCK_LONGS; k++) last[k] ^= memory.get(offset + k);
        }
        for (int k = 0; k < BLOCK_LONGS; k++) {
            long v = last[k];
            for (int b = 0; b < 8; b++) block[k * 8 + b] = (byte) (v >>> (8 * b));
        }
        byte[] tag = new byte[tagLength];
        variableHash(block, tag);
        return tag;
    }

    private static byte[] initialHash(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKib,
                                      int iterations, int parallelism, int tagLength) {
        Blake2bDigest d = new Blake2bDigest(512);
        byte[] word = new byte[4];
        for (int v : new int[] {parallelism, tagLength, memoryKib, iterations, VERSION, TYPE_ID}) {
            le32(word, 0, v);
            d.update(word, 0, 4);
        }
        for (byte[] field : new byte[][] {password, salt, secret, associated}) {
            le32(word, 0, field.length);
            d.update(word, 0, 4);
            d.update(field, 0, field.length);
        }
        byte[] h0 = new byte[64];
        d.doFinal(h0, 0);
        return h0;
    }

    /** H' of RFC 9106 section 3.3: Blake2b stretched to any output length. */
    private static void variableHash(byte[] input, byte[] out) {
        byte[] length = new byte[4];
        le32(length, 0, out.length);
        if (out.length <= 64) {
            Blake2bDigest d = new Blake2bDigest(out.length * 8);
            d.update(length, 0, 4);
            d.update(input, 0, input.length);
            d.doFinal(out, 0);
            return;
        }
        byte[] v = new byte[64];
        Blake2bDigest d = new Blake2bDigest(512);
        d.update(length, 0, 4);
        d.update(input, 0, input.length);
        d.doFinal(v, 0);
        System.arraycopy(v, 0, out, 0, 32);
        int position = 32;
        int r = (out.length + 31) / 32 - 2;
        for (int i = 2; i <= r; i++) {
            d.update(v, 0, 64);
            d.doFinal(v, 0);
            System.arraycopy(v, 0, out, position, 32);
            position += 32;
        }
        Blake2bDigest tail = new Blake2bDigest((out.length - 32 * r) * 8);
        tail.update(v, 0, 64);
        byte[] last = new byte[out.length - 32 * r];
        tail.doFinal(last, 0);
        System.arraycopy(last, 0, out, position, last.length);
    }

    private static void le32(byte[] b, int offset, int v) {
        b[offset] = (byte) v;
        b[offset + 1] = (byte) (v >>> 8);
        b[offset + 2] = (byte) (v >>> 16);
        b[offset + 3] = (byte) (v >>> 24);
    }

    private static void toLongs(byte[] block, LongBuffer memory, int offset) {
        for (int k = 0; k < BLOCK_LONGS; k++) {
            long v = 0;
            for (int b = 7; b >= 0; b--) v = (v << 8) | (block[k * 8 + b] & 0xFF);
            memory.put(offset + k, v);
        }
    }

    /** The memory-filling passes: one instance per hash, scratch blocks reused throughout. */
    private static final class Filler {
        private final LongBuffer memory;
        private final int blockCount;
        private final int laneLength;
        private final int segmentLength;
        private final int parallelism;
        private final int iterations;
        private final long[] r = new long[BLOCK_LONGS];
        private final long[] z = new long[BLOCK_LONGS];
        private final long[] addressInput = new long[BLOCK_LONGS];
        private final long[] addresses = new long[BLOCK_LONGS];

        Filler(LongBuffer memory, int blockCount, int laneLength, int segmentLength, int parallelism, int iterations) {
            this.memory = memory;
            this.blockCount = blockCount;
            this.laneLength = laneLength;
            this.segmentLength = segmentLength;
            this.parallelism = parallelism;
            this.iterations = iterations;
        }

        void fillSegment(int pass, int slice, int lane) {
            boolean independent = pass == 0 && slice < SYNC_POINTS / 2;   // Argon2id: Argon2i addressing first
            if (independent) {
                Arrays.fill(addressInput, 0);
                addressInput[0] = pass;
                addressInput[1] = lane;
                addressInput[2] = slice;
                addressInput[3] = blockCount;
                addressInput[4] = iterations;
                addressInput[5] = TYPE_ID;
            }
            int start = pass == 0 && slice == 0 ? 2 : 0;
            if (independent && start != 0) nextAddresses();
            int current = lane * laneLength + slice * segmentLength + start;
            int previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1;
            for (int index = start; index < segmentLength; index++, current++, previous++) {
                if (current % laneLength == 1) previous = current - 1;
                long pseudoRandom;
                if (independent) {
                    if (index % BLOCK_LONGS == 0) nextAddresses();
                    pseudoRandom = addresses[index % BLOCK_LONGS];
                } else {
                    pseudoRandom = memory.get(previous * BLOCK_LONGS);
                }
                int refLane = pass == 0 && slice == 0 ? lane : (int) ((pseudoRandom >>> 32) % parallelism);
                int refIndex = referenceIndex(pass, slice, index, pseudoRandom & 0xFFFFFFFFL, refLane == lane);
                int reference = refLane * laneLength + refIndex;
                fillBlock(previous * BLOCK_LONGS, reference * BLOCK_LONGS, current * BLOCK_LONGS, pass > 0);
            }
        }

        private int referenceIndex(int pass, int slice, int index, long j1, boolean sameLane) {
            int areaSize;
            if (pass == 0) {
                areaSize = sameLane ? slice * segmentLength + index - 1
                        : slice * segmentLength + (index == 0 ? -1 : 0);
            } else {
                areaSize = sameLane ? laneLength - segmentLength + index - 1
                        : laneLength - segmentLength + (index == 0 ? -1 : 0);
            }
            long x = (j1 * j1) >>> 32;
            long y = (areaSize * x) >>> 32;
            long relative = areaSize - 1 - y;
            long startPosition = pass == 0 || slice == SYNC_POINTS - 1 ? 0 : (long) (slice + 1) * segmentLength;
            return (int) ((startPosition + relative) % laneLength);
        }

        private void nextAddresses() {
            addressInput[6]++;
            addressBlock(addressInput, addresses);
            addressBlock(addresses, addresses);
        }

        /** G of RFC 9106 section 3.5 over the work area: target (^)= P(previous ^ reference) ^ previous ^ reference. */
        private void fillBlock(int previous, int reference, int target, boolean xorIntoTarget) {
            LongBuffer m = memory;
            for (int k = 0; k < BLOCK_LONGS; k++) {
                long v = m.get(previous + k) ^ m.get(reference + k);
                r[k] = v;
                z[k] = v;
            }
            permute();
            if (xorIntoTarget) {
                for (int k = 0; k < BLOCK_LONGS; k++) m.put(target + k, m.get(target + k) ^ z[k] ^ r[k]);
            } else {
                for (int k = 0; k < BLOCK_LONGS; k++) m.put(target + k, z[k] ^ r[k]);
            }
        }

        /** G(0, input) for Argon2i's addresses, which live on the heap, not in the work area. */
        private void addressBlock(long[] input, long[] output) {
            System.arraycopy(input, 0, r, 0, BLOCK_LONGS);
            System.arraycopy(input, 0, z, 0, BLOCK_LONGS);
            permute();
            for (int k = 0; k < BLOCK_LONGS; k++) output[k] = z[k] ^ r[k];
        }

        /** P of RFC 9106 section 3.6 over z: eight rounds on its rows, then eight on its columns. */
        private void permute() {
            for (int row = 0; row < 8; row++) {
                int b = 16 * row;
                round(z, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7,
                        b + 8, b + 9, b + 10, b + 11, b + 12, b + 13, b + 14, b + 15);
            }
            for (int col = 0; col < 8; col++) {
                int b = 2 * col;
                round(z, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49,
                        b + 64, b + 65, b + 80, b + 81, b + 96, b + 97, b + 112, b + 113);
            }
        }

        private static void round(long[] v, int v0, int v1, int v2, int v3, int v4, int v5, int v6, int v7,
                                  int v8, int v9, int v10, int v11, int v12, int v13, int v14, int v15) {
            mix(v, v0, v4, v8, v12);
            mix(v, v1, v5, v9, v13);
            mix(v, v2, v6, v10, v14);
            mix(v, v3, v7, v11, v15);
            mix(v, v0, v5, v10, v15);
            mix(v, v1, v6, v11, v12);
            mix(v, v2, v7, v8, v13);
            mix(v, v3, v4, v9, v14);
        }

        private static void mix(long[] v, int a, int b, int c, int d) {
            long va = v[a], vb = v[b], vc = v[c], vd = v[d];
            va = blaMka(va, vb);
            vd = Long.rotateRight(vd ^ va, 32);
            vc = blaMka(vc, vd);
            vb = Long.rotateRight(vb ^ vc, 24);
            va = blaMka(va, vb);
            vd = Long.rotateRight(vd ^ va, 16);
            vc = blaMka(vc, vd);
            vb = Long.rotateRight(vb ^ vc, 63);
            v[a] = va;
            v[b] = vb;
            v[c] = vc;
            v[d] = vd;
        }

        private static long blaMka(long x, long y) {
            return x + y + 2 * (x & 0xFFFFFFFFL) * (y & 0xFFFFFFFFL);
        }
    }
}
