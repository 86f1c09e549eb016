/*
 * m1_static_system.c - DESIGN.md row M1: an executable linked with the
 * static galloc and no override uses the System allocator, and its blocks
 * are the platform heap's own.
 */
#include "support/system_heap.h"
#include "support/testing.h"

static void without_an_override_the_global_allocator_is_system(void **state) {
    (void)state;
    assert_ptr_equal(galloc_global(), &galloc_system);
}

static void global_blocks_are_platform_heap_blocks(void **state) {
    (void)state;
    static const size_t sizes[] = {1, 16, 100, 5000, (size_t)1 << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        /* Alignment 8: a plain malloc / HeapAlloc block on every platform. */
        void *p = galloc_alloc(layout_of(sizes[i], 8));
        assert_non_null(p);
        assert_true(is_system_heap_block(p, sizes[i]));
        galloc_dealloc(p, layout_of(sizes[i], 8));
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(without_an_override_the_global_allocator_is_system),
        cmocka_unit_test(global_blocks_are_platform_heap_blocks),
    };
    return cmocka_run_group_tests_name("M1 static galloc, no override", tests, NULL, NULL);
}
