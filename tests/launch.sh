#!/bin/sh
# launch.sh PROGRAM [ARG]... - how CTest starts every test program of a
# native Unix build (galloc_add_run in tests/CMakeLists.txt).  It runs the
# program as it is, unless GALLOC_VALGRIND is set (make check-valgrind):
# then under Valgrind memcheck, so the gcc build's own suite is the Valgrind
# leg and nothing is built twice.
#
# Errors are fatal: any memcheck error, and any block leaked at exit that is
# definitely, indirectly or possibly lost, makes the run exit with 99, which
# CTest counts as a failure.  "Possibly lost" counts too because
# galloc_libc_malloc hands out base + 16 (and the checked allocator a
# pointer past its front guard): such a block, lost, is only ever referenced
# through that interior pointer, so Valgrind classes it as possibly, not
# definitely, lost.  "Still reachable" blocks (held by a live
# pointer at exit: libuv's and CMocka's globals) are not leaks.
#
# It also says so on stderr (tests/CMakeLists.txt makes that line a
# failure), for the tests CTest judges by their output, not their status.
#
# Children are traced: the tests that expect a report and an abort run
# themselves as a child, through popen and /bin/sh (tests/support/child.c),
# and those children run under memcheck too.  An error in a child that must
# exit normally fails its test through that exit status; a child that
# aborts on purpose (some of them leak on purpose, too) only has Valgrind's
# report in the output its parent captures.
# GALLOC_VALGRIND_OPTIONS adds options (e.g. --track-origins=yes).
#
# GALLOC_PRELOAD (the linux-preload leg, scripts/preload-run.sh) names a
# shared object to preload into the program - jemalloc, mimalloc or
# tcmalloc, replacing malloc - without preloading it into CTest and this
# shell too.
set -eu
if [ -n "${GALLOC_PRELOAD:-}" ]; then
    LD_PRELOAD="$GALLOC_PRELOAD${LD_PRELOAD:+:$LD_PRELOAD}"
    export LD_PRELOAD
fi
if [ -z "${GALLOC_VALGRIND:-}" ]; then
    exec "$@"
fi
status=0
# shellcheck disable=SC2086
valgrind --tool=memcheck --quiet --error-exitcode=99 --trace-children=yes \
    --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible \
    --num-callers=32 ${GALLOC_VALGRIND_OPTIONS:-} "$@" || status=$?
if [ "$status" -eq 99 ]; then
    echo "launch.sh: Valgrind found errors in $1" >&2
fi
exit "$status"
