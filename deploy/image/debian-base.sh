#!/bin/sh
# Makes the offline base image: a `docker save` tarball of one layer holding only what a jlinked
# JVM needs from the system, taken from Debian packages through apt (no registry needed):
#   libc6       glibc and its loader: the JVM, SQLite's and ACCP's native libraries link only it
#   libgcc-s1   glibc loads libgcc_s when a thread is cancelled or unwinds
# The JVM brings its own zlib, time zone database (lib/tzdb.dat) and CA certificates
# (lib/security/cacerts), so zlib1g, tzdata and ca-certificates are not needed. The layer adds
# the user nonroot (65532, as distroless images have), a world-writable /tmp and the data
# directory /var/lib/jeton owned by nonroot.
# Usage: deploy/image/debian-base.sh OUT.tar [BASE]   (skips the work when OUT.tar is newer than this
# script, or when BASE, the build's jeton.image.base, is not tar://OUT.tar)
set -eu
out=$(realpath -m "$1")
if [ -n "${2:-}" ] && [ "$2" != "tar://$out" ] && [ "$2" != "tar://$1" ]; then exit 0; fi
if [ -f "$out" ] && [ "$out" -nt "$0" ]; then echo "jeton image: base $out is up to date"; exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root" "$work/debs"
chmod 755 "$work"; chmod 777 "$work/debs" # apt-get download fetches as the user _apt
(cd "$work/debs" && apt-get download libc6 libgcc-s1 >/dev/null) \
  || { echo "jeton image: apt-get download failed (run apt-get update first?)" >&2; exit 1; }
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
rm -rf "$root/usr/share/doc" "$root/usr/share/lintian" "$root/usr/share/locale" "$root/usr/lib/x86_64-linux-gnu/gconv" \
  "$root/usr/lib/aarch64-linux-gnu/gconv" "$root/sbin" "$root/usr/sbin" "$root/usr/bin"
# Debian's merged /usr: the loader is looked up as /lib64/ld-linux-x86-64.so.2.
for d in bin lib lib64 sbin; do [ -d "$root/usr/$d" ] && [ ! -e "$root/$d" ] && ln -s "usr/$d" "$root/$d"; done
mkdir -p "$root/etc" "$root/tmp" "$root/var/lib/jeton" "$root/home/nonroot"
chmod 1777 "$root/tmp"
chmod 0700 "$root/var/lib/jeton"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"

# One layer: everything root's but nonroot's home and data directory.
tar -C "$root" --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner \
  --exclude=./var/lib/jeton --exclude=./home/nonroot -cf "$work/layer.tar" .
tar -C "$root" --sort=name --mtime=@1 --owner=65532 --group=65532 --numeric-owner \
  -rf "$work/layer.tar" ./var/lib/jeton ./home/nonroot
layer=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
case "$(uname -m)" in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
mkdir -p "$work/image/$layer"
mv "$work/layer.tar" "$work/image/$layer/layer.tar"
printf '{"architecture":"%s","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"User":"65532:65532"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/image/debian-base.sh: libc6 libgcc-s1 from Debian"}]}' \
  "$arch" "$layer" > "$work/config.json"
config=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/image/$config.json"
printf '[{"Config":"%s.json","RepoTags":["jeton-base:debian"],"Layers":["%s/layer.tar"]}]' "$config" "$layer" > "$work/image/manifest.json"
mkdir -p "$(dirname "$out")"
(cd "$work/image" && tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner -cf "$out.part" manifest.json "$config.json" "$layer")
mv "$out.part" "$out"
echo "jeton image: base $out ($(du -h "$out" | cut -f1))"
