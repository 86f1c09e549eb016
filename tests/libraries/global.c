/*
 * global.c - the global allocator of a library adapter's test (global.h):
 * a counting allocator, or the checked allocator over System.
 */
#include "libraries/global.h"

#include <stdio.h>

#if defined(LIBRARY_GLOBAL_CHECKED)
#include <galloc/checked.h>

static galloc_checked checker = GALLOC_CHECKED_INIT(NULL, "library adapter");
GALLOC_GLOBAL_ALLOCATOR(checker);

static void print_report(const galloc_checked_report *report, void *context) {
    (void)context;
    char text[512];
    galloc_checked_describe(report, text, sizeof text);
    fprintf(stderr, "checked allocator: %s\n", text);
}

library_global_counts library_global_start(void) {
    galloc_checked_set_report(&checker, print_report, NULL);
    galloc_checked_stats stats = galloc_checked_get_stats(&checker);
    library_global_counts counts = {(long)(stats.allocs + stats.reallocs),
                                    (long)stats.live_blocks, (long)stats.problems};
    return counts;
}

void library_global_is_installed(void) {
    assert_ptr_equal(galloc_global(), &checker.allocator);
}
#else
#include "support/counting.h"

static counting_allocator counting = COUNTING_ALLOCATOR_INIT("library adapter");
GALLOC_GLOBAL_ALLOCATOR(counting);

library_global_counts library_global_start(void) {
    long allocs = counting_read(&counting.allocs) + counting_read(&counting.zeroed_allocs);
    library_global_counts counts = {allocs + counting_read(&counting.reallocs),
                                    allocs - counting_read(&counting.deallocs),
                                    counting_read(&counting.contract_violations)};
    return counts;
}

void library_global_is_installed(void) {
    assert_ptr_equal(galloc_global(), &counting.base);
}
#endif

void library_global_check(library_global_counts before, long min_allocations,
                          const char *work) {
    library_global_counts after = library_global_start();
    long allocations = after.allocations - before.allocations;
    printf("%s: %ld allocations through the global allocator, %ld blocks live "
           "after (%ld before), %ld problems\n",
           work, allocations, after.live, before.live, after.problems - before.problems);
    assert_true(allocations >= min_allocations);
    assert_int_equal(after.problems, before.problems);
    assert_int_equal(after.live, before.live);
}
