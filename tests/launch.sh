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
# It also says so on stderr, and tests/CMakeLists.txt makes that line a
# failure (FAIL_REGULAR_EXPRESSION) whatever the exit status.
#
# Children are traced: the tests that expect a report and an abort run
# themselves as a child, through popen and /bin/sh (tests/support/child.c),
# and those children run under memcheck too, with the same options.  A
# child's status cannot carry its memcheck errors (many abort or exit
# non-zero on purpose), so every error, in any process, is printed between
# two marker lines (--error-markers), the first holding the words CTest
# looks for ("launch.sh: Valgrind found errors", as printed below): the
# parent passes its children's output on to its stderr (run_self), and
# CTest fails the test on those words wherever they appear.  (A child that leaks on purpose must keep its blocks
# reachable, or the leak is such an error.)
# GALLOC_VALGRIND_OPTIONS adds options (e.g. --track-origins=yes).
#
# Memcheck replaces the allocation functions it finds in the main
# executable too, C++'s operator new and delete included: those of
# galloc::new_delete would never run, and memcheck would hand its own
# blocks to code that expects the global allocator's.  With
# somalloc=nouserintercepts it leaves the executable's own definitions
# alone (it still replaces libc's malloc and libstdc++'s operator new), so
# galloc::new_delete runs and memcheck sees each of its blocks through the
# malloc, posix_memalign and free beneath it.  No test program defines
# malloc itself, so nothing else changes.
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
    --num-callers=32 --soname-synonyms=somalloc=nouserintercepts \
    "--error-markers=launch.sh: Valgrind found errors (one begins),launch.sh: (it ends)" \
    ${GALLOC_VALGRIND_OPTIONS:-} "$@" || status=$?
if [ "$status" -eq 99 ]; then
    echo "launch.sh: Valgrind found errors in $1" >&2
fi
exit "$status"
