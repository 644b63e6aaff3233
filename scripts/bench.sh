#!/usr/bin/env bash
# Benchmark trawl beside its peers on the same bytes, in one run, and print ratios.
#
#   make bench                          # everything (corpus generated on first use, ~1 GiB)
#   BENCH_SET=subset make bench         # the ~96 MB subset only (quicker)
#   RUNS=5 make bench                   # more repetitions (median reported)
#
# Rows: reading the files (page-cache limit, C), ripgrep's default engine and rg -P with the
# bench's 40 regexes, Hyperscan (when libhyperscan-dev is installed), trawl's detector alone
# with its whole catalog (trawl-bench), and trawl scan end to end (JSON findings written),
# each at 1 and 2 threads. The corpus and peers come from ../shared/bench (BENCH_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-../shared/bench}
DATA=${BENCH_DATA:-bench-data}
RUNS=${RUNS:-3}
SET=${BENCH_SET:-both}
OUT=${BENCH_OUT:-bench-results}
mkdir -p "$DATA" "$OUT" .build-bench

need() { command -v "$1" >/dev/null 2>&1; }
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
missing=""
for p in ripgrep hyperfine; do dpkg -s $p >/dev/null 2>&1 || missing="$missing $p"; done
dpkg -s libhyperscan-dev >/dev/null 2>&1 || missing="$missing libhyperscan-dev"
[ -n "$missing" ] && { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq $missing || echo "note: could not install$missing"; }
python3 -c 'import faker' 2>/dev/null || pip install -q faker

# Corpus (deterministic: seed 42) and the subset the bench uses for slow tools.
if [ ! -f "$DATA/corpus.files" ]; then
  python3 "$BENCH_DIR/make_corpus.py" "$DATA/corpus" --size 1GiB --seed 42
fi
(cd "$DATA" && if [ ! -f subset.files ]; then python3 - <<'PY'
import hashlib, os
files = [l.strip() for l in open('corpus.files')]
sizes = {f: os.path.getsize(os.path.join('corpus', f)) for f in files}
small = [f for f in files if sizes[f] < 40_000_000]
sub = [f for f in small if int(hashlib.md5(f.encode()).hexdigest(), 16) % 8 == 0]
with open('subset.files', 'w') as out:
    for f in sub:
        os.makedirs(os.path.dirname(os.path.join('subset', f)), exist_ok=True)
        if not os.path.exists(os.path.join('subset', f)): os.link(os.path.join('corpus', f), os.path.join('subset', f))
        out.write(f + '\n')
PY
fi)
for s in corpus subset; do sed "s|^|$DATA/$s/|" "$DATA/$s.files" > "$DATA/$s.list"; done

swift build -c release --product trawl >/dev/null
swift build -c release --product trawl-bench >/dev/null
BIN=.build/release
if [ ! -x .build-bench/scanbench ] || [ "$BENCH_DIR/scanbench.c" -nt .build-bench/scanbench ]; then
  gcc -O2 -o .build-bench/scanbench "$BENCH_DIR/scanbench.c" -lpcre2-8 -lhs -lpthread 2>/dev/null || echo "note: scanbench not built (needs libhyperscan-dev)"
fi
PATTERNS="$BENCH_DIR/patterns.txt"

xargs -a "$DATA/corpus.list" -d '\n' cat > /dev/null   # warm the page cache

results="$OUT/results.tsv"
printf 'row\tset\tthreads\tmedian_s\tMBps\tmatches\n' > "$results"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# row set threads command...   (times the whole process, RUNS times, keeps the median)
row() {
  local name=$1 set=$2 threads=$3; shift 3
  local bytes; bytes=$(cat "$DATA/$set.bytes")
  local times=() out=""
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N); out=$("$@" 2>/dev/null || true); end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  local med; med=$(printf '%s\n' "${times[@]}" | median)
  local matches; matches=$(echo "$out" | sed -n 's/.*matches=\([0-9]*\).*/\1/p' | tail -1)
  [ -z "$matches" ] && matches=$(echo "$out" | grep -c . || true)
  printf '%s\t%s\t%s\t%.3f\t%.1f\t%s\n' "$name" "$set" "$threads" "$med" "$(echo "$bytes / $med / 1000000" | bc -l)" "$matches" | tee -a "$results"
}
for s in corpus subset; do xargs -a "$DATA/$s.list" -d '\n' stat -c %s | awk '{t+=$1} END {print t}' > "$DATA/$s.bytes"; done

sets=(subset corpus); [ "$SET" = subset ] && sets=(subset); [ "$SET" = corpus ] && sets=(corpus)
for s in "${sets[@]}"; do
  for t in 1 2; do
    [ -x .build-bench/scanbench ] && row "read() whole files (C)" "$s" $t .build-bench/scanbench read "$DATA/$s.list" -j $t
    row "ripgrep default --no-unicode, 40 regexes" "$s" $t rg --no-unicode -c -j $t -f "$PATTERNS" --no-ignore --hidden -a "$DATA/$s"
    [ "$s" = subset ] && row "rg -P (PCRE2 JIT), 40 regexes" "$s" $t rg -P -c -j $t -f "$PATTERNS" --no-ignore --hidden -a "$DATA/$s"
    [ -x .build-bench/scanbench ] && row "Hyperscan, 40 regexes, SOM" "$s" $t .build-bench/scanbench hs-som "$DATA/$s.list" -j $t -p "$PATTERNS"
    [ -x .build-bench/scanbench ] && row "PCRE2 JIT, 40 passes (naive)" "$s" $t .build-bench/scanbench pcre2-each "$DATA/$s.list" -j $t -p "$PATTERNS"
    row "trawl detector, whole catalog" "$s" $t $BIN/trawl-bench "$DATA/$s.list" -j $t --identifiers all
    row "trawl detector, recommended set (default)" "$s" $t $BIN/trawl-bench "$DATA/$s.list" -j $t --identifiers recommended
    row "trawl scan end to end (all ids, JSON)" "$s" $t $BIN/trawl scan "$DATA/$s" --identifiers all --format json --yes -o /dev/null -j $t --no-progress
  done
done

python3 - "$results" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
print("\nRatios (MB/s of trawl / MB/s of the peer, same set and threads):")
for r in rows:
    if not r['row'].startswith('trawl'): continue
    for p in rows:
        if p['set'] == r['set'] and p['threads'] == r['threads'] and not p['row'].startswith('trawl'):
            print(f"  {r['set']:6} -j{r['threads']}  {r['row']:40} vs {p['row']:42} {float(r['MBps'])/float(p['MBps']):6.2f}x")
PY
