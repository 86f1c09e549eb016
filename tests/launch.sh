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
# galloc_libc_malloc hands out base + 16: a lost galloc_libc_* block is only
# ever referenced through that interior pointer, so valgrind classes it as
# possibly, not definitely, lost.  "Still reachable" blocks (held by a live
# pointer at exit: libuv's and CMocka's globals) are not leaks.
#
# It also says so on stderr (tests/CMakeLists.txt makes that line a
# failure), for the tests CTest judges by their output, not their status.
#
# Children are not traced: the one test program that starts a child
# (test_alloc_error, through popen) starts it through /bin/sh, which is not
# ours, and the child only writes a message and aborts.
# GALLOC_VALGRIND_OPTIONS adds options (e.g. --track-origins=yes).
set -eu
if [ -z "${GALLOC_VALGRIND:-}" ]; then
    exec "$@"
fi
status=0
# shellcheck disable=SC2086
valgrind --tool=memcheck --quiet --error-exitcode=99 \
    --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible \
    --num-callers=32 ${GALLOC_VALGRIND_OPTIONS:-} "$@" || status=$?
if [ "$status" -eq 99 ]; then
    echo "launch.sh: Valgrind found errors in $1" >&2
fi
exit "$status"
