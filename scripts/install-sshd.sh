#!/usr/bin/env bash
# An OpenSSH server for preflight's ssh tests (test/preflight/engines.test.ts), unpacked into the
# git-ignored .tools/sshd like the other test tools (scripts/install-test-tools.sh): Debian's
# openssh-server and libwrap0 of this machine's release, downloaded with the private apt state that
# script keeps in .tools/apt, then `dpkg -x`. Nothing is installed into the system; the test runs
# sshd on 127.0.0.1 in a mount namespace of its own (its privilege-separation user and /run/sshd
# exist only there). Returns at once when .tools/sshd is there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
DEST="$TOOLS/sshd"
log() { echo "[install-sshd] $*"; }
die() { echo "[install-sshd] ERROR: $*" >&2; exit 1; }

if [[ -x "$DEST/usr/sbin/sshd" ]] && LD_LIBRARY_PATH="$DEST/usr/lib/x86_64-linux-gnu" "$DEST/usr/sbin/sshd" -V 2>&1 | grep -q OpenSSH; then
  exit 0
fi
APT_DIR="$TOOLS/apt"
[[ -f "$APT_DIR/sources.list" ]] || bash "$ROOT/scripts/install-test-tools.sh"
[[ -f "$APT_DIR/sources.list" ]] || die "no private apt state in $APT_DIR (scripts/install-test-tools.sh makes it)"
CODENAME="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
STAGE="$(mktemp -d "$TOOLS/.sshd-stage.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
OPTS=(-q -o "Dir::Etc::sourcelist=$APT_DIR/sources.list" -o "Dir::Etc::sourceparts=-" -o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$STAGE/cache" -o "Acquire::Languages=none")
[[ "$(id -u)" == 0 ]] && OPTS+=(-o "APT::Sandbox::User=root")
mkdir -p "$STAGE/debs" "$STAGE/root" "$STAGE/cache/archives/partial"
log "apt-get download openssh-server/$CODENAME libwrap0/$CODENAME"
(cd "$STAGE/debs" && apt-get "${OPTS[@]}" download "openssh-server/$CODENAME" "libwrap0/$CODENAME") || die "could not download openssh-server/$CODENAME"
for deb in "$STAGE"/debs/*.deb; do dpkg -x "$deb" "$STAGE/root"; done
LD_LIBRARY_PATH="$STAGE/root/usr/lib/x86_64-linux-gnu" ldd "$STAGE/root/usr/sbin/sshd" | grep -q 'not found' && die "sshd misses libraries: $(LD_LIBRARY_PATH="$STAGE/root/usr/lib/x86_64-linux-gnu" ldd "$STAGE/root/usr/sbin/sshd" | grep 'not found')"
rm -rf "$DEST"
mv "$STAGE/root" "$DEST"
log "sshd in $DEST"
