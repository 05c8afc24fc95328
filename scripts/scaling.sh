#!/usr/bin/env bash
# Thread scaling on a machine with more cores: builds fastmlp in place (if asked) and runs
# benchmarks.threads for 1, 2, 4, ... threads up to the machine's core count (2 at least),
# with epochs in order and shuffled, at minibatch 32 and 256: Hogwild, deterministic and
# Hogwild with train(hogwild_sync=K) for each K of $HOGWILD_SYNC (4,16; empty: none;
# the Ks separated by commas or spaces: "4,16", "4 16" and "4, 16" are the same; commas
# and no K, ",", are refused).
# Tables go to standard output and, with the JSON files, to OUTDIR.
#
#   scripts/scaling.sh [OUTDIR]          (default runs/scaling)
#   BUILD=1 PYTHON=python3 scripts/scaling.sh /tmp/scaling
set -euo pipefail
out=${1:-runs/scaling}
py=${PYTHON:-python}
mkdir -p "$out"
if [ "${BUILD:-0}" = 1 ]; then
    "$py" setup.py build_ext --inplace -q
fi
n=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)   # nproc obeys OMP_NUM_THREADS
list=""
for k in 2 4 6 8 12 16 24 32 48 64; do
    [ "$k" -le "$n" ] && list="$list${list:+,}$k"
done
case ",$list," in *",$n,"*) ;; *) [ "$n" -gt 1 ] && list="$list${list:+,}$n" ;; esac
[ -n "$list" ] || list=2
given=${HOGWILD_SYNC-4,16}
# commas or spaces between the Ks, passed on as one comma-separated list ("4 16" was one
# argument with a space, which benchmarks.threads refuses)
set -f                                      # (no file names for a * in the list)
ks=${given//,/ }
sync=""
for k in $ks; do sync="$sync${sync:+,}$k"; done
set +f
# (commas and no K, "," or " , ": a typo, refused, where it ran with no such rows)
case "$given" in *,*) if [ -z "$sync" ]; then
    echo "scaling.sh: error: HOGWILD_SYNC=\"$given\" holds no K: give positive integers" \
         "separated by commas or spaces, or an empty HOGWILD_SYNC for no such rows" >&2
    exit 2
fi ;; esac
"$py" -m benchmarks.threads --threads "$list" --repeats "${REPEATS:-3}" \
    ${sync:+--hogwild-sync "$sync"} --json "$out/threads.json" | tee "$out/threads.md"
"$py" -m benchmarks.threads --threads "$list" --repeats "${REPEATS:-3}" --shuffle \
    ${sync:+--hogwild-sync "$sync"} --json "$out/threads_shuffled.json" | tee "$out/threads_shuffled.md"
