"""Where the time goes in an async-profiler collapsed-stack file: by kind of work, then by
Jeton/Helidon/Nimbus/Jackson/SQLite method anywhere on the stack (inclusive), then the hottest frames."""
import collections
import sys

KINDS = [  # first match wins, looked for in the 12 innermost frames
    ("SQLite (native)", "libsqlitejdbc"), ("ECDSA/RSA (native, ACCP)", "nistz256"), ("ECDSA/RSA (native, ACCP)", "bn_mul"),
    ("Argon2id", "Argon2"), ("JIT compiler", "Compile"), ("JIT compiler", "Phase"), ("GC", "GC"), ("GC", "SerialHeap"),
]
OURS = ("dev/jeton", "io/helidon/webserver", "com/nimbusds", "com/fasterxml", "org/sqlite")

total = 0
kinds, inclusive, self_time = collections.Counter(), collections.Counter(), collections.Counter()
for line in open(sys.argv[1]):
    stack, n = line.rstrip().rsplit(" ", 1)
    n = int(n)
    total += n
    frames = stack.split(";")
    kind = next((name for name, pattern in KINDS if any(pattern in f for f in frames[-12:])), None)
    if kind is None:
        kind = "kernel" if frames[-1].endswith("_[k]") else ("other Java" if "/" in frames[-1] else "other native")
    kinds[kind] += n
    self_time[frames[-1]] += n
    for f in set(frames):
        if f.startswith(OURS):
            inclusive[f] += n

print(f"{total} samples")
for title, counter, count in (("by kind", kinds, 20), ("inclusive", inclusive, 40), ("self", self_time, 25)):
    print(f"== {title}")
    for name, n in counter.most_common(count):
        print(f"{100 * n / total:6.2f}%  {name}")
