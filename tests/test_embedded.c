/*
 * test_embedded.c - two shared libraries (DLLs on Windows), each embedding
 * its own static copy of galloc.  A block allocated by one copy can be
 * reallocated and freed by the other, even when that other copy has never
 * allocated anything before (no per-module state, such as a cached heap
 * handle, may be needed to free).
 */
#include "modules/embedded.h"
#include "support/testing.h"

#include <string.h>

static const size_t aligns[] = {1, 8, 16, 32, 64, 4096};
#define N_ALIGNS (sizeof aligns / sizeof aligns[0])

/* Must run first: embedded_b's first galloc call is a realloc of a block
 * that embedded_a allocated. */
static void a_block_from_a_is_reallocated_and_freed_by_b_before_b_allocates(void **state) {
    (void)state;
    void *blocks[N_ALIGNS];
    for (size_t i = 0; i < N_ALIGNS; i++) {
        blocks[i] = embedded_a_alloc(100, aligns[i]);
        assert_non_null(blocks[i]);
        fill_pattern(blocks[i], 100, (unsigned)i);
    }
    for (size_t i = 0; i < N_ALIGNS; i++) {
        unsigned char *p = embedded_b_realloc(blocks[i], 100, aligns[i], 70000);
        assert_non_null(p);
        assert_true(is_aligned(p, aligns[i]));
        assert_true(has_pattern(p, 100, (unsigned)i));
        embedded_b_dealloc(p, 70000, aligns[i]);
    }
}

static void a_block_from_b_is_reallocated_and_freed_by_a(void **state) {
    (void)state;
    for (size_t i = 0; i < N_ALIGNS; i++) {
        unsigned char *p = embedded_b_alloc_zeroed(5000, aligns[i]);
        assert_non_null(p);
        assert_true(is_all_zero(p, 5000));
        fill_pattern(p, 5000, 40);
        p = embedded_a_realloc(p, 5000, aligns[i], 10);
        assert_non_null(p);
        assert_true(is_aligned(p, aligns[i]));
        assert_true(has_pattern(p, 10, 40));
        embedded_a_dealloc(p, 10, aligns[i]);
    }
}

/* The premise: there really are two copies, and each uses System. */
static void each_library_has_its_own_copy_using_the_system_allocator(void **state) {
    (void)state;
    assert_ptr_not_equal(embedded_a_system(), embedded_b_system());
    assert_ptr_equal(embedded_a_global(), embedded_a_system());
    assert_ptr_equal(embedded_b_global(), embedded_b_system());
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_block_from_a_is_reallocated_and_freed_by_b_before_b_allocates),
        cmocka_unit_test(a_block_from_b_is_reallocated_and_freed_by_a),
        cmocka_unit_test(each_library_has_its_own_copy_using_the_system_allocator),
    };
    return cmocka_run_group_tests_name("libraries embedding galloc", tests, NULL, NULL);
}
