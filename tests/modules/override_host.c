/*
 * override_host.c - an executable that overrides the global allocator with
 * GALLOC_GLOBAL_ALLOCATOR.  The host of two rows of DESIGN.md's linking
 * matrix:
 *   M2  with the static galloc, and a library linked at load time (early)
 *       that allocates in DllMain / its constructor;
 *   M3  with the shared galloc, and another shared library (plugin.c built
 *       against the shared galloc) that allocates through it.
 * In both the override gets every call, including one made by the
 * executable's own constructor before main().
 */
#include "support/constructor.h"
#include "support/counting.h"
#include "support/testing.h"

#include "support/allocator_round_trip.h"

#include <errno.h>
#include <string.h>

#if defined(GALLOC_TEST_WITH_PEER)
#include "modules/plugin.h"
#endif
#if defined(GALLOC_TEST_WITH_EARLY)
#include "modules/early.h"
#endif

static counting_allocator counting = COUNTING_ALLOCATOR_INIT("counting override");
GALLOC_GLOBAL_ALLOCATOR(counting);

/* What the constructor saw, checked once main() runs. */
static void *constructor_block;
static long constructor_allocs = -1;
static const galloc_allocator *constructor_global;

RUN_BEFORE_MAIN(allocate_before_main) {
    long before = counting_read(&counting.allocs);
    constructor_global = galloc_global();
    constructor_block = galloc_alloc(layout_of(64, 8));
    constructor_allocs = counting_read(&counting.allocs) - before;
}

static void global_is_the_override(void **state) {
    (void)state;
    assert_ptr_equal(galloc_global(), &counting.base);
    assert_string_equal(galloc_global()->name, "counting override");
}

static void an_allocation_before_main_reached_the_override(void **state) {
    (void)state;
    assert_ptr_equal(constructor_global, &counting.base);
    assert_non_null(constructor_block);
    assert_int_equal(constructor_allocs, 1);
    long before = counting_read(&counting.deallocs);
    galloc_dealloc(constructor_block, layout_of(64, 8));
    assert_int_equal(counting_read(&counting.deallocs), before + 1);
}

#if defined(GALLOC_TEST_WITH_EARLY)
/* The library's initialisation (DllMain on Windows, a constructor on ELF)
 * ran before the executable's main and its constructors, with its own
 * static copy of galloc, and still reached the executable's override. */
static void a_library_initialiser_reached_the_override(void **state) {
    (void)state;
    assert_string_equal(early_global_name(), "counting override");
    assert_non_null(early_block());
    assert_true(is_aligned(early_block(), 16));
    long before = counting_read(&counting.deallocs);
    early_release();
    assert_int_equal(counting_read(&counting.deallocs), before + 1);
}
#endif

static void every_global_call_reaches_the_override(void **state) {
    (void)state;
    counting_reset(&counting);
    galloc_layout small = layout_of(40, 8);
    galloc_layout big = layout_of(5000, 256);
    void *a = galloc_alloc(small);
    void *b = galloc_alloc_zeroed(big);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(is_aligned(b, 256));
    assert_true(is_all_zero(b, 5000));
    a = galloc_realloc(a, small, 400);
    assert_non_null(a);
    galloc_dealloc(a, layout_of(400, 8));
    galloc_dealloc(b, big);
    assert_counted(&counting, 1, 1, 1, 2);
}

/* A NULL allocator object means the global allocator.  Only a program
 * whose global is not System can tell that from "NULL means galloc_system":
 * here every call must reach the override. */
static void a_null_allocator_means_the_global_one(void **state) {
    (void)state;
    counting_reset(&counting);
    allocator_round_trip(NULL);
    assert_counted(&counting, 1, 1, 1, 2);
}

/* The System allocator stays reachable explicitly, and bypasses the
 * override (the counting allocator itself relies on that). */
static void the_system_allocator_is_still_reachable_directly(void **state) {
    (void)state;
    counting_reset(&counting);
    void *p = galloc_allocator_alloc(&galloc_system, layout_of(100, 32));
    assert_non_null(p);
    galloc_allocator_dealloc(&galloc_system, p, layout_of(100, 32));
    assert_int_equal(counting_read(&counting.allocs), 0);
    assert_int_equal(counting_read(&counting.deallocs), 0);
}

/* The libc-shaped functions are one more door to the same allocator. */
static void the_libc_shaped_functions_reach_the_override(void **state) {
    (void)state;
    counting_reset(&counting);
    char *p = galloc_libc_malloc(10);
    char *z = galloc_libc_calloc(4, 4);
    assert_non_null(p);
    assert_non_null(z);
    p = galloc_libc_realloc(p, 5000);
    assert_non_null(p);
    galloc_libc_free(p);
    galloc_libc_free(z);
    assert_int_equal(counting_read(&counting.allocs), 1);
    assert_int_equal(counting_read(&counting.zeroed_allocs), 1);
    assert_int_equal(counting_read(&counting.reallocs), 1);
    assert_int_equal(counting_read(&counting.deallocs), 2);
}

#if defined(GALLOC_TEST_WITH_PEER)
/* With the shared galloc, a library that allocates through galloc reaches
 * the executable's override, and blocks cross between the two freely. */
static void another_shared_library_reaches_the_override(void **state) {
    (void)state;
    counting_reset(&counting);
    assert_string_equal(plugin_global_name(), "counting override");
    unsigned char *p = plugin_alloc(100, 64);
    assert_non_null(p);
    assert_true(is_aligned(p, 64));
    fill_pattern(p, 100, 1);
    p = plugin_realloc(p, 100, 64, 3000);
    assert_non_null(p);
    assert_true(has_pattern(p, 100, 1));
    galloc_dealloc(p, layout_of(3000, 64)); /* freed by the executable */
    void *q = galloc_alloc(layout_of(10, 2));
    assert_non_null(q);
    plugin_dealloc(q, 10, 2); /* freed by the library */
    assert_int_equal(counting_read(&counting.allocs), 2);
    assert_int_equal(counting_read(&counting.reallocs), 1);
    assert_int_equal(counting_read(&counting.deallocs), 2);
}
#endif

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(global_is_the_override),
        cmocka_unit_test(an_allocation_before_main_reached_the_override),
#if defined(GALLOC_TEST_WITH_EARLY)
        cmocka_unit_test(a_library_initialiser_reached_the_override),
#endif
        cmocka_unit_test(every_global_call_reaches_the_override),
        cmocka_unit_test(a_null_allocator_means_the_global_one),
        cmocka_unit_test(the_system_allocator_is_still_reachable_directly),
        cmocka_unit_test(the_libc_shaped_functions_reach_the_override),
#if defined(GALLOC_TEST_WITH_PEER)
        cmocka_unit_test(another_shared_library_reaches_the_override),
#endif
    };
    return cmocka_run_group_tests_name(GALLOC_TEST_GROUP, tests, NULL, NULL);
}
