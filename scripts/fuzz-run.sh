#!/bin/sh
# fuzz-run.sh FUZZ_BUILD SECONDS fresh|keep [SUMMARY_LOG] - runs the libFuzzer
# harness (tests/fuzz/fuzz_ops.c, built as FUZZ_BUILD/tests/galloc_fuzz) for
# SECONDS, starting from the seed corpus, and ends with one line:
#
#   fuzz: 123456 runs in 30 s, 0 crashes (cov 850, ft 2300, corpus 34 -> 120 inputs)
#
# (also written to SUMMARY_LOG if given; `make summary` shows it).  The
# corpus it grows lives in FUZZ_BUILD/corpus, never in the repository:
# `fresh` starts it again from tests/fuzz/corpus (the bounded run of
# `make test`: the same start every time), `keep` adds the seeds to what
# earlier runs found (`make fuzz`).  A crash, a leak, a timeout or a model
# mismatch fails the run (exit 1) and says how to replay the input.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$1 seconds=$2 mode=$3 summary=${4:-}
fuzzer=$build/tests/galloc_fuzz
corpus=$build/corpus
artifacts=$build/artifacts
log=$build/fuzz-$mode.log

[ "$mode" = fresh ] && rm -rf "$corpus"
mkdir -p "$corpus" "$artifacts"
cp -n "$top"/tests/fuzz/corpus/* "$corpus"/
seeds=$(ls "$corpus" | wc -l)

# Impossible sizes are requested on purpose: NULL + ENOMEM, not a report.
# Inputs with blocks of tens of MiB take ASan a hundred times longer than
# the rest; scaling their energy by execution time keeps libFuzzer from
# spending the run on them (3x the executions).  Every libFuzzer line goes
# to the log; the closing lines are printed.
echo "fuzz: $fuzzer for $seconds s from $seeds inputs (log: $log)"
status=0
ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$fuzzer" -max_total_time="$seconds" -print_final_stats=1 -timeout=30 \
    -rss_limit_mb=2048 -entropic_scale_per_exec_time=1 \
    -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 || status=$?

# "#123456	DONE   cov: 850 ft: 2300 corp: 120/20Kb ..." and "Done 123456 runs in 30 second(s)"
last=$(grep -E '^#[0-9]+.* cov: ' "$log" | tail -n1 || true)
field() { echo "$last" | sed -n "s/.* $1: \([0-9]*\).*/\1/p"; }
runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log")
took=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log")
inputs=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p')
crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | head -n1)

if [ "$status" -eq 0 ]; then
    line="fuzz: ${runs:-?} runs in ${took:-$seconds} s, 0 crashes (cov $(field cov), ft $(field ft), corpus $seeds -> ${inputs:-?} inputs)"
else
    runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log")
    line="fuzz: FAILED after ${runs:-?} runs, 1 crash: ${crash:-see $log}"
    # The report: from the model's message or the sanitizer's, to the end.
    sed -n '/model mismatch\|ERROR: /,$p' "$log" | head -n 80
    echo
    echo "fuzz: the input that failed is ${crash:-in $log}" \
         "(libFuzzer -seed=$(sed -n 's/^INFO: Seed: //p' "$log")).  Replay it with"
    echo "    $fuzzer ${crash:-FILE}"
    echo "        (libFuzzer, ASan, UBSan), or, every operation and its result:"
    echo "    build/linux/tests/fuzz_replay -v ${crash:-FILE}"
fi
echo "$line"
[ -n "$summary" ] && { mkdir -p "$(dirname "$summary")"; echo "$line" >"$summary"; }
exit $((status != 0))
