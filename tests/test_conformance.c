/*
 * test_conformance.c - the conformance kit (galloc/conformance.h): it passes
 * allocators that keep galloc's contract and catches ones that break it.
 *
 * The broken allocators below are broken in one way each, and only in ways
 * that cannot corrupt memory, so that the kit's verdict is the only thing
 * under test: each forwards to galloc_system and then lies about alignment,
 * zeroing or realloc.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include <galloc.h>
#include <galloc/conformance.h>

#include <stdbool.h>
#include <string.h>

/* Small enough to keep each broken-allocator run well under a second. */
static const galloc_conformance_options quick = {
    2,               /* threads */
    2000,            /* ops_per_thread */
    0,               /* max_align: the default */
    (size_t)1 << 20, /* max_size */
    0,               /* skip_failure_checks */
};

/* Checks sizes from 1 byte to MiBs at ~17 alignments, many blocks each:
 * far more than a thousand individual checks. */
#define MEANINGFUL_CHECKS 1000u

/* ---------------------------------------------------------------------------
 * A conforming custom allocator: forwards alloc/dealloc to the System
 * allocator and counts the blocks it has out, to show that the kit frees
 * everything it allocates.  No alloc_zeroed, no realloc: the front end's
 * fallbacks are checked too.
 * ------------------------------------------------------------------------ */

typedef struct counting {
    galloc_allocator base; /* first: galloc passes &base as self */
    volatile long allocs;
    volatile long live;
} counting;

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
static void add(volatile long *counter, long n) { _InterlockedExchangeAdd(counter, n); }
static long load(const volatile long *counter) { return *counter; }
#else
static void add(volatile long *counter, long n) {
    __atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}
static long load(const volatile long *counter) {
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}
#endif

static void *counting_alloc(const galloc_allocator *self, galloc_layout layout) {
    counting *c = (counting *)(uintptr_t)self;
    void *p = galloc_allocator_alloc(&galloc_system, layout);
    if (p != NULL) {
        add(&c->allocs, 1);
        add(&c->live, 1);
    }
    return p;
}

static void counting_dealloc(const galloc_allocator *self, void *ptr,
                             galloc_layout layout) {
    counting *c = (counting *)(uintptr_t)self;
    add(&c->live, -1);
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

static counting counting_allocator = {
    {counting_alloc, counting_dealloc, NULL, NULL, "counting"}, 0, 0};

/* ---------------------------------------------------------------------------
 * Broken on purpose: alignment.  For align >= 16 it over-allocates by 8
 * bytes and returns the System block + 8, which is 8-aligned but never
 * 16-aligned: usable memory of the right size, at the wrong alignment.
 * ------------------------------------------------------------------------ */

#define SKEW 8

static void *skewed_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    if (layout.align < 16)
        return galloc_allocator_alloc(&galloc_system, layout);
    galloc_layout bigger = {layout.size + SKEW, layout.align};
    unsigned char *p = galloc_allocator_alloc(&galloc_system, bigger);
    return p != NULL ? p + SKEW : NULL;
}

static void skewed_dealloc(const galloc_allocator *self, void *ptr,
                           galloc_layout layout) {
    (void)self;
    if (layout.align < 16) {
        galloc_allocator_dealloc(&galloc_system, ptr, layout);
        return;
    }
    galloc_layout bigger = {layout.size + SKEW, layout.align};
    galloc_allocator_dealloc(&galloc_system, (unsigned char *)ptr - SKEW, bigger);
}

static const galloc_allocator under_aligning = {skewed_alloc, skewed_dealloc, NULL,
                                                NULL, "under-aligning"};

/* ---------------------------------------------------------------------------
 * Broken on purpose, the way mimalloc 2.0.9 is: a block whose size is a
 * multiple of its alignment is taken to be aligned by its size class.  Here
 * only {16384, 4096} and {32768, 8192} (four times the alignment), sizes no
 * other check of the kit asks for with those alignments, are skewed.
 * ------------------------------------------------------------------------ */

static bool size_class_shortcut(galloc_layout layout) {
    return (layout.align == 4096 || layout.align == 8192) && layout.size == 4 * layout.align;
}

static void *shortcut_alloc(const galloc_allocator *self, galloc_layout layout) {
    if (!size_class_shortcut(layout))
        return galloc_allocator_alloc(&galloc_system, layout);
    return skewed_alloc(self, layout);
}

static void shortcut_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    if (!size_class_shortcut(layout))
        galloc_allocator_dealloc(&galloc_system, ptr, layout);
    else
        skewed_dealloc(self, ptr, layout);
}

static const galloc_allocator size_class_trusting = {shortcut_alloc, shortcut_dealloc,
                                                     NULL, NULL, "size-class-trusting"};

/* ---------------------------------------------------------------------------
 * Broken on purpose: alloc_zeroed hands out dirty memory.
 * ------------------------------------------------------------------------ */

static void *forward_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    return galloc_allocator_alloc(&galloc_system, layout);
}

static void forward_dealloc(const galloc_allocator *self, void *ptr,
                            galloc_layout layout) {
    (void)self;
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

static void *dirty_alloc_zeroed(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    void *p = galloc_allocator_alloc(&galloc_system, layout);
    if (p != NULL)
        memset(p, 0xCC, layout.size);
    return p;
}

static const galloc_allocator non_zeroing = {forward_alloc, forward_dealloc,
                                             dirty_alloc_zeroed, NULL, "non-zeroing"};

/* ---------------------------------------------------------------------------
 * Broken on purpose: realloc moves to a new block and forgets to copy.
 * ------------------------------------------------------------------------ */

static void *forgetful_realloc(const galloc_allocator *self, void *ptr,
                               galloc_layout layout, size_t new_size) {
    (void)self;
    galloc_layout new_layout = {new_size, layout.align};
    void *p = galloc_allocator_alloc(&galloc_system, new_layout);
    if (p == NULL)
        return NULL; /* the failure path is right: the old block is kept */
    memset(p, 0, new_size);
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
    return p;
}

static const galloc_allocator data_losing = {forward_alloc, forward_dealloc, NULL,
                                             forgetful_realloc, "data-losing"};

/* ---------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------ */

static void the_system_allocator_conforms(void **state) {
    (void)state;
    galloc_conformance_options defaults;
    memset(&defaults, 0, sizeof defaults);
    galloc_conformance_report report;
    memset(&report, 0x5A, sizeof report); /* every field must be written */

    int failures = galloc_conformance_check(&galloc_system, &defaults, &report);

    assert_string_equal(report.first_failure, "");
    assert_int_equal(failures, 0);
    assert_int_equal(report.failures, 0);
    assert_true(report.checks > MEANINGFUL_CHECKS);
}

static void a_counting_allocator_conforms(void **state) {
    (void)state;
    galloc_conformance_report report;

    int failures = galloc_conformance_check(&counting_allocator.base, NULL, &report);

    assert_string_equal(report.first_failure, "");
    assert_int_equal(failures, 0);
    assert_int_equal(report.failures, 0);
    assert_true(report.checks > MEANINGFUL_CHECKS);
    /* The kit went through this allocator, and gave everything back. */
    assert_true(load(&counting_allocator.allocs) > 0);
    assert_int_equal(load(&counting_allocator.live), 0);
}

static void an_under_aligning_allocator_is_caught(void **state) {
    (void)state;
    galloc_conformance_report report;

    int failures = galloc_conformance_check(&under_aligning, &quick, &report);

    assert_true(failures > 0);
    assert_int_equal((unsigned)failures, report.failures);
    assert_non_null(strstr(report.first_failure, "align"));
    assert_non_null(strstr(report.first_failure, "not aligned"));
}

static void an_allocator_trusting_its_size_classes_for_alignment_is_caught(void **state) {
    (void)state;
    galloc_conformance_report report;

    int failures = galloc_conformance_check(&size_class_trusting, &quick, &report);

    assert_true(failures > 0);
    /* Both layouts, plain and zeroed, many blocks each. */
    assert_true(report.failures >= 4);
    assert_non_null(strstr(report.first_failure, "{size 16384, align 4096}"));
    assert_non_null(strstr(report.first_failure, "not aligned"));
}

static void a_non_zeroing_allocator_is_caught(void **state) {
    (void)state;
    galloc_conformance_report report;

    int failures = galloc_conformance_check(&non_zeroing, &quick, &report);

    assert_true(failures > 0);
    assert_true(report.failures > 0);
    assert_non_null(strstr(report.first_failure, "alloc_zeroed"));
    assert_non_null(strstr(report.first_failure, "zero"));
}

static void a_realloc_that_loses_data_is_caught(void **state) {
    (void)state;
    galloc_conformance_report report;

    int failures = galloc_conformance_check(&data_losing, &quick, &report);

    assert_true(failures > 0);
    assert_true(report.failures > 0);
    assert_non_null(strstr(report.first_failure, "realloc"));
    assert_non_null(strstr(report.first_failure, "lost"));
}

static void options_NULL_and_report_NULL_are_accepted(void **state) {
    (void)state;
    assert_int_equal(galloc_conformance_check(&galloc_system, NULL, NULL), 0);
    assert_int_equal(galloc_conformance_check(&galloc_system, &quick, NULL), 0);
    /* Without a report, the return value alone still tells. */
    assert_true(galloc_conformance_check(&non_zeroing, &quick, NULL) > 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_system_allocator_conforms),
        cmocka_unit_test(a_counting_allocator_conforms),
        cmocka_unit_test(an_under_aligning_allocator_is_caught),
        cmocka_unit_test(an_allocator_trusting_its_size_classes_for_alignment_is_caught),
        cmocka_unit_test(a_non_zeroing_allocator_is_caught),
        cmocka_unit_test(a_realloc_that_loses_data_is_caught),
        cmocka_unit_test(options_NULL_and_report_NULL_are_accepted),
    };
    return cmocka_run_group_tests_name("conformance", tests, NULL, NULL);
}
