#!/bin/sh
# Lays out what the image adds to its base, under OUT/opt/jeton:
#   java/        a jlinked runtime of only the modules Jeton uses (jdeps finds them)
#   jeton.jar, lib/   the application, as the launcher runs it
#   native/      SQLite's native library, extracted once (the root file system is read-only)
#   jvm.options  the launcher's JVM options, read by `java @/opt/jeton/jvm.options`
#   jeton.aot    the launcher's start-up cache, trained on this very runtime and these jars
# Usage: deploy/image/stage.sh OUT   (run from the project directory after `mvn package`)
# Skips the work when OUT/.inputs matches the inputs' checksum (jar, libs, this script, JDK).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "$1")
app=$out/opt/jeton
jdk=$(JETON_PRINT_JDK=1 "$here/jeton")
target=$here/target

inputs=$( { cat "$0"; echo "$jdk"; cat "$jdk/release"; cd "$target" && sha256sum jeton.jar lib/*.jar; } | sha256sum | cut -d' ' -f1)
if [ -f "$out/.inputs" ] && [ "$(cat "$out/.inputs")" = "$inputs" ] && [ -f "$app/jeton.aot" ]; then
  echo "jeton image: staged files are up to date ($out)"; exit 0
fi
rm -rf "$out"; mkdir -p "$app/lib"

# Modules: what jdeps sees, plus those only reached by name at run time (service providers
# for TLS key exchange, JNDI-free DNS for PostgreSQL host names, zip file systems, and the
# management agent that jcmd attaches to).
mods=$("$jdk/bin/jdeps" --ignore-missing-deps --multi-release 21 --print-module-deps \
        --class-path "$target/lib/*" "$target/jeton.jar")
mods="$mods,jdk.crypto.ec,jdk.naming.dns,jdk.zipfs,jdk.management.agent,jdk.localedata"
echo "jeton image: runtime modules $mods"
"$jdk/bin/jlink" --add-modules "$mods" --include-locales=en --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$app/java"

cp "$target/jeton.jar" "$app/"
cp "$target"/lib/*.jar "$app/lib/"
sqlite_jar=$(ls "$app"/lib/sqlite-jdbc-*.jar | head -n 1)
case "$(uname -m)" in x86_64|amd64) arch=x86_64 ;; aarch64|arm64) arch=aarch64 ;; *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;; esac
mkdir -p "$app/native" && (cd "$app/native" && "$jdk/bin/jar" xf "$sqlite_jar" "org/sqlite/native/Linux/$arch/libsqlitejdbc.so")
native=/opt/jeton/native/org/sqlite/native/Linux/$arch

# The launcher's options, one per line, then the image's own (docs/jvm.md; JDK_JAVA_OPTIONS adds to
# them in a container).
{
  JETON_PRINT_JAVA_OPTS=1 JAVA_HOME="$jdk" "$here/jeton" | tr ' ' '\n' | sed '/^$/d'
  echo "-Dorg.sqlite.lib.path=$native"
  echo "-Dorg.sqlite.lib.name=libsqlitejdbc.so"
} > "$app/jvm.options"

# The image builder gives every file the same time (1 s after the epoch); the JVM checks the
# jars' times against the start-up cache, so they get that time before training.
find "$app" -exec touch -h -d @1 {} +

# Train the cache as the launcher does, with the image's paths for the jars: the JVM records
# the class path as given, so it is run from OUT with the same relative layout.
train=$(mktemp -d)
opts=$(sed "s|^-Dorg.sqlite.lib.path=.*|-Dorg.sqlite.lib.path=$out$native|" "$app/jvm.options" | tr '\n' ' ')
"$app/java/bin/java" $opts -jar "$app/jeton.jar" aot-train --prepare --data-dir "$train" >/dev/null
"$app/java/bin/java" $opts -XX:AOTCacheOutput="$app/jeton.aot" -jar "$app/jeton.jar" aot-train --data-dir "$train" > "$out/aot-train.log" 2>&1 \
  || { cat "$out/aot-train.log" >&2; echo "jeton image: training the start-up cache failed" >&2; exit 1; }
rm -rf "$train"
touch -h -d @1 "$app/jeton.aot"
{ echo "-XX:AOTCache=/opt/jeton/jeton.aot"; echo "-Xlog:aot*=off"; } >> "$app/jvm.options"
touch -h -d @1 "$app/jvm.options"
echo "$inputs" > "$out/.inputs"
echo "jeton image: staged $(du -sh "$app" | cut -f1) in $app"
