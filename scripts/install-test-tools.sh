#!/usr/bin/env bash
# Fetch the real monitoring binaries that the tests in test/real/ run, WITHOUT installing anything
# into the system: Debian packages are downloaded with a private apt state and unpacked with
# `dpkg -x` into the git-ignored folder .tools/ of this repository.
#
#   .tools/apt/   private apt state (sources.list, lists/, cache/) and the downloaded .debs
#   .tools/root/  the unpacked packages (usr/bin/..., plus any shared library the system lacks)
#   .tools/bin/   wrapper scripts: prometheus promtool node_exporter scaphandre proot victoria-metrics
#                 vmauth vmagent vmalert vmalert-tool alertmanager amtool blackbox_exporter, and ipmi_exporter (below)
#   .tools/ipmi/  the IPMI exporter (prometheus-ipmi-exporter 1.10 from sid) unpacked in root/, with
#                 a recipe of its own (.tools/ipmi/RECIPE) like the engine's, so a checkout whose
#                 script predates it neither removes it nor reinstalls the other tools for it; its
#                 wrapper is .tools/bin/ipmi_exporter (remade when a reinstall of the others wipes bin/).
#                 Its FreeIPMI tools are not fetched: the tests put a stand-in `ipmi-dcmi` on its
#                 --freeipmi.path (test/real/ipmi-stand-in.ts).
#   .tools/lib/   fake-proc-modules.so, built from test/real/mount-namespace/fake-proc-modules.c with
#                 the system's C compiler (recipe: the source's checksum, in .tools/lib/RECIPE)
#   .tools/engine/ a Docker Engine for the deployed tests (test/deployed/): root/ holds the unpacked
#                 packages, bin/ the commands to put first on PATH (dockerd, containerd,
#                 containerd-shim-runc-v2, runc, docker-init, docker-proxy, docker, iptables*, busybox)
#
# The engine: docker.io 28.x, containerd 2.x and docker-cli from sid; runc 1.1.5 from bookworm (sid's
# needs glibc 2.38); iptables 1.8.9 (legacy backend) with its libraries and xtables extensions from
# bookworm (the wrappers set XTABLES_LIBDIR, without which dockerd stops with "Couldn't load match
# `addrtype'"); tini (docker-init) and busybox-static (the shell of the test images) from bookworm.
# It has a recipe of its own (.tools/engine/RECIPE), so a checkout whose script predates the engine
# neither removes it nor is made to reinstall the monitoring binaries.
#
# Sources: Prometheus 3.x + promtool, node_exporter 1.11.x, VictoriaMetrics 1.145 (victoria-metrics,
# vmauth, vmagent, vmalert, vmalert-tool), Alertmanager 0.33 + amtool and blackbox_exporter 0.28 from Debian sid, scaphandre 1.0.2
# from trixie, proot from the machine's own release (e.g. bookworm). The mirror is the one this
# machine already uses (/etc/apt/sources.list.d/*.sources or /etc/apt/sources.list); set
# PEEKSTACK_DEBIAN_MIRROR to override it.
#
# Idempotent: when every wrapper exists, runs `--version` and was made by this recipe, it exits
# at once. Set PEEKSTACK_TOOLS_FORCE=1 to reinstall anyway. Fails (non-zero) with a message when
# anything can't be fetched or a binary can't run.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$REPO/.tools"
BIN="$TOOLS/bin"
TOOL_NAMES=(prometheus promtool node_exporter scaphandre proot victoria-metrics vmauth vmagent vmalert vmalert-tool alertmanager amtool blackbox_exporter)

# Proves a tool runs: `--version`, except vmalert-tool, which has no such flag (it prints its help).
tool_runs() { if [[ "$1" == vmalert-tool ]]; then "$BIN/$1" --help; else "$BIN/$1" --version; fi; }

# What to fetch: "package/suite" and the version prefix we insist on. The suite "SYSTEM" stands
# for this machine's own Debian release (proot and any missing shared library must match its libc).
PKG_SPECS=(
  "prometheus/sid 3."
  "promtool/sid 3."
  "prometheus-node-exporter/sid 1.11."
  "scaphandre/trixie 1.0.2"
  "victoria-metrics/sid 1.145."
  "prometheus-alertmanager/sid 0.33."
  "prometheus-blackbox-exporter/sid 0.28."
  "proot/SYSTEM "
)
# Changing this string (or the specs) makes existing installs stale, so they are redone.
RECIPE="v1 ${PKG_SPECS[*]}"

log() { echo "[install-test-tools] $*"; }
die() { echo "[install-test-tools] ERROR: $*" >&2; exit 1; }
trap 'echo "[install-test-tools] ERROR: command failed (line $LINENO): $BASH_COMMAND" >&2' ERR

# ---------------------------------------------------------------------------------------------
# Fast path: nothing to do when all wrappers run and were made by this recipe.
tools_ok() {
  [[ "${PEEKSTACK_TOOLS_FORCE:-0}" == 1 ]] && return 1
  [[ -f "$TOOLS/RECIPE" && "$(cat "$TOOLS/RECIPE")" == "$RECIPE" ]] || return 1
  local t
  for t in "${TOOL_NAMES[@]}"; do
    [[ -x "$BIN/$t" ]] || return 1
    tool_runs "$t" >/dev/null 2>&1 || return 1
  done
}

# The Docker Engine for test/deployed/ (see the header). Pinned by version prefix, like PKG_SPECS.
ENGINE="$TOOLS/engine"
ENGINE_SPECS=(
  "docker.io/sid 28."
  "containerd/sid 2."
  "docker-cli/sid 28."
  "runc/SYSTEM 1.1.5"
  "tini/SYSTEM 0.19."
  "busybox-static/SYSTEM 1:1.35."
  "iptables/SYSTEM 1.8.9"
  "libxtables12/SYSTEM 1.8.9"
  "libip4tc2/SYSTEM 1.8.9"
  "libip6tc2/SYSTEM 1.8.9"
  "libnetfilter-conntrack3/SYSTEM "
  "libnfnetlink0/SYSTEM "
  "libnftnl11/SYSTEM "
  "libmnl0/SYSTEM "
)
ENGINE_RECIPE="engine-v1 ${ENGINE_SPECS[*]}"
ENGINE_TOOLS=(dockerd containerd runc docker docker-init iptables busybox)

engine_ok() {
  [[ "${PEEKSTACK_TOOLS_FORCE:-0}" == 1 ]] && return 1
  [[ -f "$ENGINE/RECIPE" && "$(cat "$ENGINE/RECIPE")" == "$ENGINE_RECIPE" ]] || return 1
  local t
  for t in "${ENGINE_TOOLS[@]}"; do
    [[ -x "$ENGINE/bin/$t" ]] || return 1
  done
  "$ENGINE/bin/dockerd" --version >/dev/null 2>&1 && "$ENGINE/bin/runc" --version >/dev/null 2>&1 &&
    "$ENGINE/bin/iptables" --version >/dev/null 2>&1
}

# The IPMI exporter (see the header). Pinned by version prefix, like PKG_SPECS.
IPMI="$TOOLS/ipmi"
IPMI_SPEC="prometheus-ipmi-exporter/sid 1.10."
IPMI_RECIPE="ipmi-v1 $IPMI_SPEC"
ipmi_ok() {
  [[ "${PEEKSTACK_TOOLS_FORCE:-0}" == 1 ]] && return 1
  [[ -f "$IPMI/RECIPE" && "$(cat "$IPMI/RECIPE")" == "$IPMI_RECIPE" && -x "$BIN/ipmi_exporter" ]] || return 1
  "$BIN/ipmi_exporter" --version >/dev/null 2>&1
}

# The library that serves /proc/modules to Scaphandre in the real tests (see the header of
# test/real/mount-namespace/fake-proc-modules.c), built here from its source with the C compiler.
SHIM_SRC="$REPO/test/real/mount-namespace/fake-proc-modules.c"
SHIM_DIR="$TOOLS/lib"
SHIM="$SHIM_DIR/fake-proc-modules.so"
SHIM_RECIPE="shim-v1 $(sha256sum "$SHIM_SRC" | cut -d' ' -f1)"
shim_ok() {
  [[ "${PEEKSTACK_TOOLS_FORCE:-0}" == 1 ]] && return 1
  [[ -f "$SHIM" && -f "$SHIM_DIR/RECIPE" && "$(cat "$SHIM_DIR/RECIPE")" == "$SHIM_RECIPE" ]]
}

if tools_ok && engine_ok && ipmi_ok && shim_ok; then
  log "all tools present in $BIN (${TOOL_NAMES[*]} ipmi_exporter) and the engine in $ENGINE/bin; nothing to do"
  exit 0
fi

START=$SECONDS
mkdir -p "$TOOLS"
# Two test runs in the same checkout may start this at once: serialize, then look again.
exec 9>"$TOOLS/.lock"
if command -v flock >/dev/null; then
  flock 9
  if tools_ok && engine_ok && ipmi_ok && shim_ok; then log "another run installed the tools meanwhile; nothing to do"; exit 0; fi
fi

for cmd in apt-get apt-cache dpkg dpkg-deb ldd awk; do
  command -v "$cmd" >/dev/null || die "'$cmd' is required (this script expects a Debian system)"
done

# ---------------------------------------------------------------------------------------------
# Which Debian release is this, and which mirror does it use?
# shellcheck disable=SC1091
CODENAME="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
[[ -n "$CODENAME" ]] || die "cannot read VERSION_CODENAME from /etc/os-release (not Debian?)"

find_mirror() {
  if [[ -n "${PEEKSTACK_DEBIAN_MIRROR:-}" ]]; then echo "$PEEKSTACK_DEBIAN_MIRROR"; return; fi
  local f uri=""
  # deb822 files: take the URIs of the stanza whose Suites list the release itself (this skips
  # the -security and -updates stanzas, which live on other paths or carry few packages).
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    uri="$(awk -v rel="$CODENAME" '
      function flush() { if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " rel " ") && uris != "" && found == "") found = uris; types = suites = uris = "" }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]*#/ { next }
      tolower($1) == "types:"  { $1 = ""; types = $0 }
      tolower($1) == "suites:" { $1 = ""; suites = $0 }
      tolower($1) == "uris:"   { uris = $2 }
      END { flush(); print found }' "$f")"
    [[ -n "$uri" ]] && { echo "$uri"; return; }
  done
  # One-line format: "deb [options] URI SUITE components..."
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    uri="$(awk -v rel="$CODENAME" '
      $1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                    if ($(i + 1) == rel) { print $i; exit } }' "$f")"
    [[ -n "$uri" ]] && { echo "$uri"; return; }
  done
}
MIRROR="$(find_mirror)"
[[ -n "$MIRROR" ]] || die "no Debian mirror for '$CODENAME' found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list (set PEEKSTACK_DEBIAN_MIRROR)"
MIRROR="${MIRROR%/}"
log "Debian release: $CODENAME; mirror: $MIRROR"

# ---------------------------------------------------------------------------------------------
# Private apt state: our own sources.list, lists and cache, so the system's apt is untouched and
# it does not matter whether `apt-get update` ever ran on this machine.
APT_DIR="$TOOLS/apt"
DEB_DIR="$APT_DIR/debs"
mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$DEB_DIR"
SUITES=(sid trixie "$CODENAME")
# Deduplicate (the machine could itself be trixie).
mapfile -t SUITES < <(printf '%s\n' "${SUITES[@]}" | awk '!seen[$0]++')
: >"$APT_DIR/sources.list.new"
for s in "${SUITES[@]}"; do echo "deb $MIRROR $s main" >>"$APT_DIR/sources.list.new"; done
if ! cmp -s "$APT_DIR/sources.list.new" "$APT_DIR/sources.list" 2>/dev/null; then
  mv "$APT_DIR/sources.list.new" "$APT_DIR/sources.list"
  rm -f "$APT_DIR/lists/"*_InRelease  # other mirror or suites: the old lists are no use
else
  rm -f "$APT_DIR/sources.list.new"
fi

APT_OPTS=(
  -q
  -o "Dir::Etc::sourcelist=$APT_DIR/sources.list"
  -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::Lists=$APT_DIR/lists"
  -o "Dir::Cache=$APT_DIR/cache"
  -o "Acquire::Languages=none"
  # Some images (Debian's docker images) disable apt's binary cache; without it every apt-cache
  # call re-parses ~60 MB of package lists. Keep one in our private cache dir.
  -o "Dir::Cache::pkgcache=pkgcache.bin"
  -o "Dir::Cache::srcpkgcache=srcpkgcache.bin"
)
# As root, apt drops to the _apt user to download, which can't write into .tools/.
[[ "$(id -u)" == 0 ]] && APT_OPTS+=(-o "APT::Sandbox::User=root")

apt_update() {
  log "apt-get update (private state in $APT_DIR; suites: ${SUITES[*]})"
  apt-get "${APT_OPTS[@]}" update || die "apt-get update failed for $MIRROR (suites ${SUITES[*]})"
  # apt-get update exits 0 when a source is unreachable (it only warns): check every suite came.
  local s
  for s in "${SUITES[@]}"; do
    compgen -G "$APT_DIR/lists/*_dists_${s}_InRelease" >/dev/null ||
      die "apt-get update could not fetch Debian '$s' from $MIRROR (see the messages above)"
  done
}

# Reuse package lists younger than a day (a reinstall then costs only the .deb downloads).
fresh_lists="$(find "$APT_DIR/lists" -maxdepth 1 -name '*_InRelease' -mmin -1440 2>/dev/null | wc -l)"
UPDATED=0
if ((fresh_lists < ${#SUITES[@]})); then apt_update; UPDATED=1; else log "reusing package lists (< 1 day old)"; fi

# Download "pkg/suite ..." into $DEB_DIR; on failure with reused lists, update once and retry.
apt_download() {
  log "apt-get download $*"
  if (cd "$DEB_DIR" && apt-get "${APT_OPTS[@]}" download "$@"); then return 0; fi
  if ((UPDATED == 0)); then
    log "download failed with cached lists; refreshing them and retrying"
    apt_update; UPDATED=1
    (cd "$DEB_DIR" && apt-get "${APT_OPTS[@]}" download "$@") && return 0
  fi
  die "could not download $* from $MIRROR"
}

# Path of the .deb that apt-get download wrote for pkg/suite (the candidate version of that suite).
deb_file() {
  local pkg="$1" suite="$2" ver
  ver="$(apt-cache "${APT_OPTS[@]}" show "$pkg/$suite" 2>/dev/null | awk '/^Version:/ { print $2; exit }')"
  [[ -n "$ver" ]] || die "package $pkg not found in Debian $suite at $MIRROR"
  ver="${ver#*:}"  # file names drop the epoch
  local f
  # apt keeps an epoch in the file name as "%3a" (busybox-static_1%3a1.35.0-...).
  f="$(ls "$DEB_DIR/${pkg}_${ver//:/%3a}_"*.deb "$DEB_DIR/${pkg}_"*"%3a${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)"
  [[ -n "$f" ]] || die "downloaded $pkg/$suite but no ${pkg}_${ver}_*.deb in $DEB_DIR"
  echo "$f"
}

# The monitoring binaries (skipped when they are current and only the engine is missing; the body
# below is not indented so its history stays readable).
if ! tools_ok; then
# ---------------------------------------------------------------------------------------------
# Download and check the main packages.
WANT=()
for spec in "${PKG_SPECS[@]}"; do
  ps="${spec%% *}"; ps="${ps/\/SYSTEM//$CODENAME}"
  WANT+=("$ps")
done
apt_download "${WANT[@]}"

STAGE="$TOOLS/.stage-$$"
rm -rf "$STAGE"; mkdir -p "$STAGE/root" "$STAGE/bin"
trap 'rm -rf "$STAGE"' EXIT

for spec in "${PKG_SPECS[@]}"; do
  ps="${spec%% *}"; prefix="${spec#* }"
  pkg="${ps%/*}"; suite="${ps#*/}"; [[ "$suite" == SYSTEM ]] && suite="$CODENAME"
  f="$(deb_file "$pkg" "$suite")"
  v="$(dpkg-deb -f "$f" Version)"
  [[ -z "$prefix" || "${v#*:}" == "$prefix"* ]] ||
    die "$pkg from $suite is version $v, but the tests need $prefix* (Debian moved on: update PKG_SPECS in $0)"
  log "unpacking $(basename "$f")"
  dpkg -x "$f" "$STAGE/root"
done

# tool name -> binary inside the unpacked packages
declare -A TOOL_BIN=(
  [prometheus]=usr/bin/prometheus
  [promtool]=usr/bin/promtool
  [node_exporter]=usr/bin/prometheus-node-exporter
  [scaphandre]=usr/bin/scaphandre
  [proot]=usr/bin/proot
  [victoria-metrics]=usr/bin/victoria-metrics
  [vmauth]=usr/bin/vmauth
  [vmagent]=usr/bin/vmagent
  [vmalert]=usr/bin/vmalert
  [vmalert-tool]=usr/bin/vmalert-tool
  [alertmanager]=usr/bin/prometheus-alertmanager
  [amtool]=usr/bin/amtool
  [blackbox_exporter]=usr/bin/prometheus-blackbox-exporter
)

# ---------------------------------------------------------------------------------------------
# Shared libraries the system lacks: map each missing soname to Debian's library package name
# (libfoo.so.2 -> libfoo2, libfoo-1.0.so.3 / libfoo2.so.1 -> ...-3 / libfoo2-1), fetch it from the
# machine's own release (so it matches the system's libc) and unpack it next to the tools.
lib_path() { find "$STAGE/root" \( -name '*.so' -o -name '*.so.*' \) -printf '%h\n' 2>/dev/null | sort -u | paste -sd: -; }
missing_libs() {
  local t lp; lp="$(lib_path)"
  for t in "${TOOL_NAMES[@]}"; do
    LD_LIBRARY_PATH="$lp" ldd "$STAGE/root/${TOOL_BIN[$t]}" 2>/dev/null | awk '/not found/ { print $1 }'
  done | sort -u
}
soname_pkg_candidates() {
  local so="$1" base ver
  base="${so%%.so.*}"; ver="${so#*.so.}"; ver="${ver%%.*}"
  if [[ "$base" =~ [0-9]$ ]]; then echo "$base-$ver"; else echo "$base$ver"; fi
  if [[ "$base" =~ [0-9]$ ]]; then echo "$base-${ver}t64"; else echo "$base${ver}t64"; fi
}
for round in 1 2 3 4 5; do
  mapfile -t MISSING < <(missing_libs)
  ((${#MISSING[@]} == 0)) && break
  ((round == 5)) && die "still missing shared libraries after 4 rounds: ${MISSING[*]}"
  log "shared libraries not on this system: ${MISSING[*]}"
  for so in "${MISSING[@]}"; do
    pkg=""
    while read -r cand; do
      if apt-cache "${APT_OPTS[@]}" show "$cand/$CODENAME" >/dev/null 2>&1; then pkg="$cand"; break; fi
    done < <(soname_pkg_candidates "$so")
    [[ -n "$pkg" ]] || die "no Debian $CODENAME package found for $so (tried: $(soname_pkg_candidates "$so" | paste -sd' ' -))"
    apt_download "$pkg/$CODENAME"
    f="$(deb_file "$pkg" "$CODENAME")"
    log "unpacking $(basename "$f") (provides $so)"
    dpkg -x "$f" "$STAGE/root"
  done
done

# ---------------------------------------------------------------------------------------------
# Wrappers. They find .tools/root relative to themselves, so the checkout may move; a wrapper
# `exec`s the binary, so its PID is the tool's PID (signals reach the tool directly).
for t in "${TOOL_NAMES[@]}"; do
  needs_lp=0
  [[ -n "$(ldd "$STAGE/root/${TOOL_BIN[$t]}" 2>/dev/null | awk '/not found/')" ]] && needs_lp=1
  {
    echo '#!/bin/sh'
    echo "# Generated by scripts/install-test-tools.sh: runs $t from Debian's package, unpacked in .tools/root."
    echo 'case "$0" in */*) here="${0%/*}" ;; *) here="$(dirname "$(command -v "$0")")" ;; esac'
    echo 'root="$(cd "$here/../root" && pwd)"'
    if ((needs_lp)); then
      lp="$(lib_path | sed "s#$STAGE/root#\$root#g")"
      echo "# needs shared libraries that this system lacks; they were unpacked under .tools/root"
      echo "LD_LIBRARY_PATH=\"$lp\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}\"; export LD_LIBRARY_PATH"
    fi
    echo "exec \"\$root/${TOOL_BIN[$t]}\" \"\$@\""
  } >"$STAGE/bin/$t"
  chmod 755 "$STAGE/bin/$t"
done

# Swap the staged tree in, then prove every tool runs.
rm -rf "$TOOLS/root" "$TOOLS/bin"
mv "$STAGE/root" "$TOOLS/root"
mv "$STAGE/bin" "$TOOLS/bin"
for t in "${TOOL_NAMES[@]}"; do
  out="$(tool_runs "$t" 2>&1)" || die "$BIN/$t does not run: $out"
  log "$t $(echo "$out" | grep -oE '[0-9]+\.[0-9]+\.[0-9]+[^ ,)]*' | head -n1) OK"
done
echo "$RECIPE" >"$TOOLS/RECIPE"
log "done in $((SECONDS - START)) s; tools are in $BIN"
fi

# ---------------------------------------------------------------------------------------------
# The Docker Engine (test/deployed/). Same private apt state; unpacked into .tools/engine/root.
if ! engine_ok; then
ESTAGE="$TOOLS/.engine-stage-$$"
rm -rf "$ESTAGE"; mkdir -p "$ESTAGE/root" "$ESTAGE/bin"
trap 'rm -rf "$ESTAGE" "${STAGE:-}"' EXIT
EWANT=()
for spec in "${ENGINE_SPECS[@]}"; do
  ps="${spec%% *}"; ps="${ps/\/SYSTEM//$CODENAME}"
  EWANT+=("$ps")
done
apt_download "${EWANT[@]}"
for spec in "${ENGINE_SPECS[@]}"; do
  ps="${spec%% *}"; prefix="${spec#* }"
  pkg="${ps%/*}"; suite="${ps#*/}"; [[ "$suite" == SYSTEM ]] && suite="$CODENAME"
  f="$(deb_file "$pkg" "$suite")"
  v="$(dpkg-deb -f "$f" Version)"
  [[ -z "$prefix" || "$v" == "$prefix"* || "${v#*:}" == "$prefix"* ]] ||
    die "$pkg from $suite is version $v, but the engine needs $prefix* (update ENGINE_SPECS in $0)"
  log "unpacking $(basename "$f")"
  dpkg -x "$f" "$ESTAGE/root"
done
# Commands, relative links (the checkout may move). runc is bookworm's: sid's docker.io would bring
# no runc of its own here (it is a dependency we do not fetch), so this one is the only one.
for b in usr/sbin/dockerd usr/sbin/docker-proxy usr/bin/containerd usr/bin/containerd-shim-runc-v2 \
         usr/sbin/runc usr/bin/docker-init usr/bin/docker usr/bin/ctr bin/busybox; do
  [[ -e "$ESTAGE/root/$b" ]] || die "the engine packages have no $b"
  ln -s "../root/$b" "$ESTAGE/bin/${b##*/}"
done
# iptables through bookworm's legacy backend, with its own libraries and extensions.
for t in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
  {
    echo '#!/bin/sh'
    echo "# Generated by scripts/install-test-tools.sh: $t (legacy) from bookworm's iptables, unpacked in .tools/engine/root."
    echo 'case "$0" in */*) here="${0%/*}" ;; *) here="$(dirname "$(command -v "$0")")" ;; esac'
    echo 'root="$(cd "$here/../root" && pwd)"'
    echo 'XTABLES_LIBDIR="$root/usr/lib/x86_64-linux-gnu/xtables"; export XTABLES_LIBDIR'
    echo 'LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; export LD_LIBRARY_PATH'
    echo "exec \"\$root/usr/sbin/xtables-legacy-multi\" $t \"\$@\""
  } >"$ESTAGE/bin/$t"
  chmod 755 "$ESTAGE/bin/$t"
done
for b in usr/sbin/dockerd usr/bin/containerd usr/sbin/runc usr/sbin/xtables-legacy-multi; do
  nf="$(LD_LIBRARY_PATH="$ESTAGE/root/usr/lib/x86_64-linux-gnu" ldd "$ESTAGE/root/$b" 2>/dev/null | awk '/not found/ { print $1 }' | paste -sd' ' -)"
  [[ -z "$nf" ]] || die "$b needs shared libraries this system lacks: $nf (install them with apt-get)"
done
rm -rf "$ENGINE"; mkdir -p "$ENGINE"
mv "$ESTAGE/root" "$ENGINE/root"; mv "$ESTAGE/bin" "$ENGINE/bin"
for t in dockerd containerd runc docker docker-init iptables; do
  out="$("$ENGINE/bin/$t" --version 2>&1)" || die "$ENGINE/bin/$t --version failed: $out"
  log "engine: $t $(echo "$out" | grep -oE '[0-9]+\.[0-9]+\.[0-9]+[^ ,)]*' | head -n1) OK"
done
"$ENGINE/bin/busybox" true || die "$ENGINE/bin/busybox does not run"
echo "$ENGINE_RECIPE" >"$ENGINE/RECIPE"
log "engine installed in $ENGINE/bin"
fi

# ---------------------------------------------------------------------------------------------
# The IPMI exporter (test/real/ipmi.test.ts). Same private apt state; unpacked into .tools/ipmi/root.
if ! ipmi_ok; then
ISTAGE="$TOOLS/.ipmi-stage-$$"
rm -rf "$ISTAGE"; mkdir -p "$ISTAGE/root"
trap 'rm -rf "$ISTAGE" "${ESTAGE:-}" "${STAGE:-}"' EXIT
apt_download "${IPMI_SPEC%% *}"
ipkg="${IPMI_SPEC%% *}"; iprefix="${IPMI_SPEC#* }"
f="$(deb_file "${ipkg%/*}" "${ipkg#*/}")"
v="$(dpkg-deb -f "$f" Version)"
[[ "${v#*:}" == "$iprefix"* ]] || die "${ipkg%/*} from ${ipkg#*/} is version $v, but the tests need $iprefix* (update IPMI_SPEC in $0)"
log "unpacking $(basename "$f")"
dpkg -x "$f" "$ISTAGE/root"
[[ -x "$ISTAGE/root/usr/bin/prometheus-ipmi-exporter" ]] || die "the package has no usr/bin/prometheus-ipmi-exporter"
rm -rf "$IPMI"; mkdir -p "$IPMI" "$BIN"
mv "$ISTAGE/root" "$IPMI/root"
{
  echo '#!/bin/sh'
  echo "# Generated by scripts/install-test-tools.sh: runs ipmi_exporter from Debian's package, unpacked in .tools/ipmi/root."
  echo 'case "$0" in */*) here="${0%/*}" ;; *) here="$(dirname "$(command -v "$0")")" ;; esac'
  echo 'root="$(cd "$here/../ipmi/root" && pwd)"'
  echo 'exec "$root/usr/bin/prometheus-ipmi-exporter" "$@"'
} >"$BIN/ipmi_exporter"
chmod 755 "$BIN/ipmi_exporter"
out="$("$BIN/ipmi_exporter" --version 2>&1)" || die "$BIN/ipmi_exporter --version failed: $out"
log "ipmi_exporter $(echo "$out" | grep -oE '[0-9]+\.[0-9]+\.[0-9]+[^ ,)]*' | head -n1) OK"
echo "$IPMI_RECIPE" >"$IPMI/RECIPE"
fi

# ---------------------------------------------------------------------------------------------
# The /proc/modules library (test/real/mount-namespace/).
if ! shim_ok; then
  command -v cc >/dev/null || die "a C compiler builds $SHIM_SRC: apt-get install gcc libc6-dev (.ci/run does)"
  mkdir -p "$SHIM_DIR"
  cc -shared -fPIC -O2 -Wall -Wextra -Werror -o "$SHIM.new" "$SHIM_SRC" -ldl
  mv "$SHIM.new" "$SHIM"
  echo "$SHIM_RECIPE" >"$SHIM_DIR/RECIPE"
  log "built $SHIM"
fi
