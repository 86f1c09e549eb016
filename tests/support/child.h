/*
 * child.h - runs the test program itself as a child process, for checks
 * whose expected outcome is an abort: the child's stderr is captured
 * through popen (sh on Unix, cmd.exe on Windows) together with its stdout.
 */
#ifndef GALLOC_TEST_CHILD_H
#define GALLOC_TEST_CHILD_H

#include <stddef.h>

/* Runs `self argument 2>&1`, stores up to size - 1 bytes of its output in
 * output (always terminated), writes all of it to stderr too (for CTest:
 * a child's Valgrind errors are found there), and returns its exit status
 * as pclose gives it: 0 only for a normal exit with status 0.  -1 if it
 * could not run. */
int run_self(const char *self, const char *argument, char *output, size_t size);

#endif
