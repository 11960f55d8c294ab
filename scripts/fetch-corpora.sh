#!/usr/bin/env bash
# fetch-corpora.sh OUTDIR [PKG...]
#
# The project's copy of ../shared/corpora/fetch-corpora.sh (same
# behaviour); `make oracle` runs it into build/corpora, which is never
# committed, and reuses what is already extracted there.
#
# Fetch real-world Alembic migration corpora from Debian 12 (bookworm) packages
# WITHOUT installing them: `apt-get download` + `dpkg -x`. Needs only apt's
# own repositories (no other network). Safe to re-run: a package whose .deb
# (same version) is already extracted is skipped.
#
#   OUTDIR/debs/<pkg>_<ver>_all.deb     downloaded packages
#   OUTDIR/x/<pkg>/usr/...              extracted trees (one per package)
#   OUTDIR/VERSIONS.tsv                 pkg <TAB> version <TAB> deb file <TAB> sha256
#   OUTDIR/SCRIPT_DIRS.tsv              pkg <TAB> alembic script dir <TAB> revision files
#
# With no PKG arguments the default set below is fetched (every bookworm
# package found to ship an Alembic script directory = env.py + versions/).
# Versions are not pinned; the one apt picked is recorded in VERSIONS.tsv.
# Set FETCH_CORPORA_UPDATE=1 to force `apt-get update` first (it is also run
# automatically when apt knows no candidate for the first package).
set -euo pipefail

DEFAULT_PKGS=(
  # OpenStack services (large, linear histories; neutron-style expand/contract branches)
  python3-neutron python3-magnum python3-manila python3-ironic
  python3-sahara python3-rally python3-gnocchi python3-glance
  python3-designate python3-murano python3-cloudkitty python3-ironic-inspector
  python3-watcher python3-aodh python3-zaqar python3-placement python3-barbican
  python3-keystone python3-nova python3-cinder python3-vitrage
  # neutron sub-projects (expand/contract branch_labels, depends_on)
  python3-neutron-vpnaas python3-networking-sfc python3-networking-bgpvpn
  python3-networking-l2gw python3-networking-bagpipe python3-neutron-dynamic-routing
  # non-OpenStack applications (SQLite-first projects, batch_alter_table heavy)
  mailman3 gertty jupyterhub libervia-backend buildbot
)

usage() { echo "usage: $0 OUTDIR [PKG...]   (default package set: $0 --list)" >&2; exit 2; }
[ $# -ge 1 ] || usage
if [ "$1" = "--list" ]; then printf '%s\n' "${DEFAULT_PKGS[@]}"; exit 0; fi

OUT=$(mkdir -p "$1" && cd "$1" && pwd); shift
PKGS=("$@"); [ ${#PKGS[@]} -gt 0 ] || PKGS=("${DEFAULT_PKGS[@]}")
mkdir -p "$OUT/debs" "$OUT/x"

SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
if [ "${FETCH_CORPORA_UPDATE:-0}" = 1 ] || [ -z "$(apt-cache policy "${PKGS[0]}" 2>/dev/null | awk '/Candidate:/{print $2}' | grep -v '(none)')" ]; then
  echo "== apt-get update" >&2
  $SUDO apt-get update -qq
fi

fail=()
# One apt-cache call for all candidates: "pkg<TAB>version"
declare -A CAND=()
while IFS=$'\t' read -r p v; do CAND[$p]=$v; done < <(
  apt-cache policy "${PKGS[@]}" 2>/dev/null |
  awk '/^[^ ].*:$/ {p=substr($0,1,length($0)-1)} /Candidate:/ {print p "\t" $2}')

need=()
for pkg in "${PKGS[@]}"; do
  ver=${CAND[$pkg]:-}
  if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
    echo "!! $pkg: no candidate in apt" >&2; fail+=("$pkg"); continue
  fi
  stamp="$OUT/x/$pkg/.fetched-version"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$ver" ] && continue
  need+=("$pkg")
done

if [ ${#need[@]} -gt 0 ]; then
  specs=(); for pkg in "${need[@]}"; do specs+=("$pkg=${CAND[$pkg]}"); done
  # apt-get download writes into the cwd; APT::Sandbox::User=root avoids the _apt permission warning
  (cd "$OUT/debs" && apt-get download -qq -o APT::Sandbox::User=root "${specs[@]}" >/dev/null) ||
    echo "!! apt-get download reported an error; checking each package" >&2
  for pkg in "${need[@]}"; do
    ver=${CAND[$pkg]}
    deb=$(for f in "$OUT/debs/${pkg}_"*.deb; do
            [ -f "$f" ] && [ "$(dpkg-deb -f "$f" Version)" = "$ver" ] && echo "$f"; done | head -1)
    [ -n "$deb" ] || { echo "!! $pkg: no downloaded .deb for $ver" >&2; fail+=("$pkg"); continue; }
    rm -rf "$OUT/x/$pkg"; mkdir -p "$OUT/x/$pkg"
    dpkg -x "$deb" "$OUT/x/$pkg"
    echo "$ver" > "$OUT/x/$pkg/.fetched-version"
  done
fi

# Version record (rebuilt each run from what is extracted)
{
  for d in "$OUT"/x/*/; do
    pkg=$(basename "$d"); [ -f "$d/.fetched-version" ] || continue
    ver=$(cat "$d/.fetched-version")
    deb=$(ls "$OUT/debs/${pkg}_"*.deb 2>/dev/null | while read -r f; do
            [ "$(dpkg-deb -f "$f" Version)" = "$ver" ] && echo "$f"; done | head -1)
    sha=$([ -n "$deb" ] && sha256sum "$deb" | cut -d' ' -f1 || echo -)
    printf '%s\t%s\t%s\t%s\n' "$pkg" "$ver" "$(basename "${deb:--}")" "$sha"
  done
} > "$OUT/VERSIONS.tsv"

# Alembic script dirs: a dir holding env.py (or alembic.ini) next to versions/
: > "$OUT/SCRIPT_DIRS.tsv"
total=0
printf '%-34s %-28s %5s  %s\n' PACKAGE VERSION REVS "SCRIPT DIR" >&2
while IFS=$'\t' read -r pkg ver _ _; do
  found=0
  while IFS= read -r vdir; do
    sdir=$(dirname "$vdir")
    [ -f "$sdir/env.py" ] || [ -f "$sdir/alembic.ini" ] || continue
    n=$(grep -rlE --include='*.py' '^revision\s*(:[^=]*)?=' "$vdir" 2>/dev/null | wc -l)
    [ "$n" -gt 0 ] || continue
    rel=${sdir#"$OUT/x/$pkg/"}
    printf '%s\t%s\t%s\n' "$pkg" "$rel" "$n" >> "$OUT/SCRIPT_DIRS.tsv"
    printf '%-34s %-28s %5d  %s\n' "$pkg" "$ver" "$n" "${rel#usr/lib/python3/dist-packages/}" >&2
    total=$((total + n)); found=1
  done < <(find "$OUT/x/$pkg" -type d -name versions | sort)
  [ $found = 1 ] || printf '%-34s %-28s %5s  %s\n' "$pkg" "$ver" 0 "(no alembic script dir)" >&2
done < "$OUT/VERSIONS.tsv"
echo "total revision files: $total in $(cut -f1 "$OUT/SCRIPT_DIRS.tsv" | sort -u | wc -l) packages; see $OUT/VERSIONS.tsv and $OUT/SCRIPT_DIRS.tsv" >&2
if [ ${#fail[@]} -gt 0 ]; then echo "failed: ${fail[*]}" >&2; exit 1; fi
