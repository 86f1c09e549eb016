/*
 * test_checked_global.c - a checked allocator as the program's global
 * allocator, through the override: galloc_alloc and friends, and the
 * libc-shaped functions, all go through it, and misuse of the global front
 * end is caught like misuse of the allocator object.
 */
#include "support/testing.h"

#include <galloc/checked.h>

#include <errno.h>
#include <string.h>

static galloc_checked checker = GALLOC_CHECKED_INIT(NULL, "global");
GALLOC_GLOBAL_ALLOCATOR(checker);

static int reports;
static galloc_checked_report last;

static void record(const galloc_checked_report *report, void *context) {
    (void)context;
    reports++;
    last = *report;
}

static int setup(void **state) {
    (void)state;
    galloc_checked_set_report(&checker, record, NULL);
    reports = 0;
    return 0;
}

static void the_checked_allocator_is_the_global_one(void **state) {
    (void)state;
    assert_ptr_equal(galloc_global(), &checker.allocator);
}

static void the_global_front_end_goes_through_it(void **state) {
    (void)state;
    galloc_checked_stats before = galloc_checked_get_stats(&checker);
    unsigned char *p = galloc_alloc(layout_of(40, 64));
    unsigned char *z = galloc_alloc_zeroed(layout_of(40, 8));
    assert_non_null(p);
    assert_non_null(z);
    assert_true(is_aligned(p, 64));
    assert_true(is_all_zero(z, 40));
    p = galloc_realloc(p, layout_of(40, 64), 4000);
    assert_non_null(p);
    assert_true(is_aligned(p, 64));
    galloc_checked_stats during = galloc_checked_get_stats(&checker);
    assert_int_equal(during.allocs - before.allocs, 2);
    assert_int_equal(during.reallocs - before.reallocs, 1);
    assert_int_equal(during.live_bytes - before.live_bytes, 4040);
    galloc_dealloc(p, layout_of(4000, 64));
    galloc_dealloc(z, layout_of(40, 8));
    /* The libc-shaped functions allocate through the global allocator too. */
    void *m = galloc_libc_malloc(100);
    assert_non_null(m);
    assert_int_equal(galloc_checked_get_stats(&checker).live_blocks, before.live_blocks + 1);
    galloc_libc_free(m);
    galloc_checked_stats after = galloc_checked_get_stats(&checker);
    assert_int_equal(after.live_blocks, before.live_blocks);
    assert_int_equal(after.live_bytes, before.live_bytes);
    assert_int_equal(reports, 0);
}

static void misuse_of_the_global_front_end_is_caught(void **state) {
    (void)state;
    void *p = galloc_alloc(layout_of(24, 8));
    galloc_dealloc(p, layout_of(32, 8));
    assert_int_equal(reports, 1);
    assert_int_equal(last.problem, GALLOC_CHECKED_LAYOUT_MISMATCH);
    assert_string_equal(last.allocator, "global");
    errno = 1234;
    galloc_dealloc(p, layout_of(24, 8));
    assert_int_equal(reports, 2);
    assert_int_equal(last.problem, GALLOC_CHECKED_DOUBLE_FREE);
    assert_int_equal(errno, 1234); /* a dealloc keeps errno, reported or not */
    assert_null(galloc_realloc(p, layout_of(24, 8), 100)); /* p is gone */
    assert_int_equal(reports, 3);
    assert_int_equal(last.problem, GALLOC_CHECKED_DOUBLE_FREE);
    void *q = galloc_alloc(layout_of(16, 16));
    ((unsigned char *)q)[16] = 0;
    galloc_dealloc(q, layout_of(16, 16));
    assert_int_equal(reports, 4);
    assert_int_equal(last.problem, GALLOC_CHECKED_OVERRUN);
    assert_int_equal(last.offset, 16);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(the_checked_allocator_is_the_global_one, setup),
        cmocka_unit_test_setup(the_global_front_end_goes_through_it, setup),
        cmocka_unit_test_setup(misuse_of_the_global_front_end_is_caught, setup),
    };
    int failed = cmocka_run_group_tests_name("checked allocator as the global", tests, NULL,
                                             NULL);
    /* Whatever the tests left live is a leak of the test itself. */
    return failed != 0 || galloc_checked_leaks(&checker, NULL, NULL) != 0;
}
