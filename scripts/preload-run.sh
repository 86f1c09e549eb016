#!/bin/sh
# preload-run.sh BUILD_DIR [SUMMARY_LOG] - the linux-preload leg: the System
# allocator under whatever malloc the process runs.
#
# In BUILD_DIR (a native Linux build), the tests labelled `preload` (the
# System allocator's tests, the libc-shaped functions, the conformance kit
# on galloc_system, the fuzz seed replay and the witness test_preload) run
# once under LD_PRELOAD of each of Debian's jemalloc (libjemalloc2),
# mimalloc (libmimalloc2.0) and tcmalloc (libtcmalloc-minimal4); then the
# tests labelled `preload_linked`, the same programs linked with
# galloc::mimalloc_global and galloc::jemalloc_global.  It ends with one
# line (also written to SUMMARY_LOG), e.g.
#
#   preload: 50 passed, 0 failed (jemalloc 8/8, mimalloc 8/8, tcmalloc 8/8, linked 10/10)
#
# and fails if any test failed or an allocator is missing.
set -eu
build=$1
summary=${2:-}
jobs=$(nproc 2>/dev/null || echo 2)

# The shared object of each allocator, by its Debian file name.
find_library() {
    for dir in /usr/lib/*-linux-gnu /usr/lib64 /usr/lib; do
        if [ -e "$dir/$1" ]; then
            echo "$dir/$1"
            return 0
        fi
    done
    return 1
}

passed=0 failed=0 parts=""
# count LABEL LOG: adds a CTest run's counts ("N% tests passed, F tests
# failed out of T") to the totals and to the summary's parts.
count() {
    line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$2" | tail -n1 || true)
    total=$(echo "$line" | sed -E 's/.* out of ([0-9]+).*/\1/')
    bad=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/')
    if [ -z "$line" ] || [ "$total" -eq 0 ]; then
        echo "preload-run.sh: $1: no tests ran" >&2
        total=1 bad=1
    fi
    passed=$((passed + total - bad))
    failed=$((failed + bad))
    parts="$parts${parts:+, }$1 $((total - bad))/$total"
}

for spec in jemalloc:libjemalloc.so.2 mimalloc:libmimalloc.so.2 \
            tcmalloc:libtcmalloc_minimal.so.4; do
    name=${spec%%:*}
    file=${spec#*:}
    log=$build/preload-$name.log
    if ! lib=$(find_library "$file"); then
        echo "preload-run.sh: $file not found (its Debian package is missing)" >&2
        parts="$parts${parts:+, }$name missing"
        failed=$((failed + 1))
        continue
    fi
    echo "== the System allocator under LD_PRELOAD=$lib"
    (cd "$build" && GALLOC_PRELOAD=$lib GALLOC_EXPECT_MALLOC=$name \
        ctest --output-on-failure -j"$jobs" -L '^preload$') > "$log" 2>&1 || true
    grep -E "tests passed|Failed|\*\*\*" "$log" || true
    count "$name" "$log"
done

log=$build/preload-linked.log
echo "== the same programs linked with galloc::mimalloc_global and galloc::jemalloc_global"
(cd "$build" && ctest --output-on-failure -j"$jobs" -L '^preload_linked$') > "$log" 2>&1 || true
tail -n 3 "$log"
count linked "$log"

line="preload: $passed passed, $failed failed ($parts)"
echo "$line"
[ -n "$summary" ] && echo "$line" > "$summary"
if [ "$failed" -ne 0 ]; then
    echo "preload-run.sh: failures; the logs are $build/preload-*.log" >&2
    exit 1
fi
