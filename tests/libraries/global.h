/*
 * global.h - the global allocator a library adapter's test runs under, and
 * what the test asks of it.  Each test program (tests/libraries/<name>.c)
 * is built twice: with a counting allocator as the program's global one,
 * and (LIBRARY_GLOBAL_CHECKED) with the checked allocator over System,
 * which reports any block the library frees with another layout than it
 * was allocated with, frees twice, or never allocated.
 *
 * A test drives the real library through real work between
 * library_global_start() and library_global_check(), and the check asserts
 * (CMocka) that the library's allocations reached the global allocator,
 * that nothing was reported, and that every block the work allocated was
 * freed when it was done.
 */
#ifndef GALLOC_TEST_LIBRARY_GLOBAL_H
#define GALLOC_TEST_LIBRARY_GLOBAL_H

#include "support/testing.h"

#include <galloc.h>

/* The global allocator's counts at one moment. */
typedef struct library_global_counts {
    long allocations; /* successful allocs, zeroed allocs and reallocs */
    long live;        /* blocks not yet freed */
    long problems;    /* the checked allocator's reports; 0 for counting */
} library_global_counts;

/* The counts now; also makes the checked allocator record its reports
 * instead of aborting, so that the check can name them. */
library_global_counts library_global_start(void);

/* Asserts that between `before` and now at least `min_allocations`
 * allocations reached the global allocator, no problem was reported, and
 * as many blocks are live as before.  `work` names the work in messages. */
void library_global_check(library_global_counts before, long min_allocations,
                          const char *work);

/* Asserts that the global allocator is the one this build installed. */
void library_global_is_installed(void);

#endif
