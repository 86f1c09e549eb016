#!/bin/sh
# instructions.sh BENCH_BINARY - instructions per galloc_alloc+galloc_dealloc
# pair and per malloc+free pair (layout {64, 8}), counted by Valgrind's
# callgrind inside the benchmark's --count-loop functions only.  Counts, not
# times: the same binary gives the same figure on a busy or a quiet machine,
# so a regression in the fast path shows as a number.
set -eu
bench=$1
n=200000
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

count() { # count galloc|malloc -> instructions per pair
    valgrind --tool=callgrind --callgrind-out-file="$out/$1.out" \
             --toggle-collect="count_loop_$1" "$bench" --count-loop "$1" "$n" \
             >/dev/null 2>"$out/$1.log" || { cat "$out/$1.log" >&2; exit 1; }
    total=$(awk '/^(summary|totals):/ {print $2; exit}' "$out/$1.out")
    awk -v t="$total" -v n="$n" 'BEGIN {printf "%.1f", t / n}'
}

g=$(count galloc)
m=$(count malloc)
printf 'instructions per alloc+free pair (callgrind, %d pairs of {64, 8}):\n' "$n"
printf '  galloc_alloc + galloc_dealloc  %8s\n' "$g"
printf '  malloc + free                  %8s\n' "$m"
awk -v g="$g" -v m="$m" 'BEGIN {printf "  galloc adds                    %8.1f (%.1f%%)\n", g - m, 100 * (g - m) / m}'
