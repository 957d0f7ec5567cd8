#!/usr/bin/env bash
# Runs a command in a mount namespace of its own in which some paths show other files or folders:
# `proot -b SRC:DST`'s bind option, with the kernel's bind mounts instead of ptrace. Why, and what
# it does not prove: index.ts beside this file.
#
#   bind-mounts.sh [-b SRC:DST]... COMMAND [ARG]...
#
# - DST that exists (in the view built so far) is covered by SRC: `mount --rbind SRC DST`.
# - DST that does not exist is created without touching the real file system: its nearest existing
#   ancestor is replaced, in this namespace only, by a tmpfs holding a bind of each of its entries,
#   and the missing part is made in that tmpfs. When that ancestor is `/`, the new root is such a
#   tmpfs and COMMAND runs chrooted into it.
# - DST /proc/modules, which procfs cannot hold, is served by the fake-proc-modules library
#   (LD_PRELOAD; it acts on programs linked with the C library, as Scaphandre is).
# - A file bound holds the inode it was bound with: write such a source in place, never replace it
#   by a rename (a folder bound shows its entries as they change).
# The binds apply in order, so a later DST may lie inside an earlier one (`-b /:/host -b X:/host/sys/...`).
# Everything mounted here lives in the namespace and ends with its last process: nothing to unmount.
# Needs root (CAP_SYS_ADMIN) and util-linux's unshare. Put setpriv after this script, not before:
# the mounts need the capability that setpriv drops.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
FAKE_PROC_MODULES_LIB="$REPO/.tools/lib/fake-proc-modules.so"
# The tmpfs copies live under /mnt, hidden by a tmpfs in this namespace only.
SCRATCH=/mnt

die() { echo "bind-mounts.sh: $*" >&2; exit 125; }

if [[ "${PEEKSTACK_BIND_MOUNTS_NS:-}" != "$$" ]]; then
  # First run: start again as the first process of a new, private mount namespace (same PID: unshare execs).
  exec unshare --mount --propagation private -- env PEEKSTACK_BIND_MOUNTS_NS=$$ "$0" "$@"
fi
unset PEEKSTACK_BIND_MOUNTS_NS

binds=()
while [[ $# -gt 0 && "$1" == -b ]]; do
  [[ $# -ge 2 && "$2" == *:/* ]] || die "-b needs SRC:DST with an absolute DST (got '${2:-}')"
  binds+=("$2")
  shift 2
done
[[ $# -gt 0 ]] || die "no command given"

mount -t tmpfs -o mode=0755 peekstack-scratch "$SCRATCH"
copies=0
root=''                      # the new root once `/` has been replaced; '' while it is the real one
declare -A ours=()           # folders (namespace paths) that live in one of our tmpfs copies

# Replaces folder $1 (a path in the view built so far) by a tmpfs holding a bind of each entry.
replace_with_copy() {
  local dir="$1" copy="$SCRATCH/$((copies++))" entry name
  mkdir "$copy"
  mount -t tmpfs -o "mode=$(stat -c %a "$root$dir")" peekstack-copy "$copy"
  shopt -s dotglob nullglob
  for entry in "$root$dir"/*; do
    name="${entry##*/}"
    if [[ -L "$entry" ]]; then
      ln -s "$(readlink "$entry")" "$copy/$name"
    elif [[ "$dir" == / && "$name" == "${SCRATCH#/}" ]]; then
      mkdir "$copy/$name"   # the scratch itself: the copies must not contain themselves
    elif [[ -d "$entry" ]]; then
      mkdir "$copy/$name" && mount --rbind "$entry" "$copy/$name"
    else
      : >"$copy/$name" && mount --bind "$entry" "$copy/$name"
    fi
  done
  shopt -u dotglob nullglob
  if [[ "$dir" == / ]]; then
    root="$copy"
  else
    mount --move "$copy" "$root$dir"
  fi
  ours["$dir"]=1
}

for bind in "${binds[@]}"; do
  src="${bind%%:/*}" dst="/${bind#*:/}"
  dst="${dst%/}"; dst="${dst:-/}"
  [[ -e "$src" ]] || die "-b $bind: $src does not exist"
  [[ "$src" != "$SCRATCH" && "$src" != "$SCRATCH"/* ]] || die "-b $bind: sources under $SCRATCH are hidden here"
  if [[ "$dst" == /proc/modules ]]; then
    [[ -f "$FAKE_PROC_MODULES_LIB" ]] || die "$FAKE_PROC_MODULES_LIB is missing: run scripts/install-test-tools.sh"
    export PEEKSTACK_FAKE_PROC_MODULES="$src" LD_PRELOAD="$FAKE_PROC_MODULES_LIB${LD_PRELOAD:+:$LD_PRELOAD}"
    continue
  fi
  if [[ ! -e "$root$dst" && ! -L "$root$dst" ]]; then
    ancestor="$(dirname "$dst")"
    while [[ ! -e "$root$ancestor" ]]; do ancestor="$(dirname "$ancestor")"; done
    [[ -n "${ours[$ancestor]:-}" ]] || replace_with_copy "$ancestor"
    missing="$(dirname "$dst")"
    while [[ "$missing" != "$ancestor" && ! -e "$root$missing" ]]; do ours["$missing"]=1; missing="$(dirname "$missing")"; done
    mkdir -p "$root$(dirname "$dst")"
    if [[ -d "$src" ]]; then mkdir "$root$dst"; ours["$dst"]=1; else : >"$root$dst"; fi
  fi
  mount --rbind "$src" "$root$dst"
done

if [[ -n "$root" ]]; then
  exec chroot "$root" "$@"
fi
exec "$@"
