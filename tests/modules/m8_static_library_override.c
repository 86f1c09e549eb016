/*
 * m8_static_library_override.c - DESIGN.md row M8: the override comes from a
 * static library the executable links; the executable itself writes no
 * GALLOC_GLOBAL_ALLOCATOR, and still every global call reaches it.
 */
#include "support/counting.h"
#include "support/testing.h"

static void an_override_from_a_linked_static_library_takes_effect(void **state) {
    (void)state;
    const galloc_allocator *global = galloc_global();
    assert_string_equal(global->name, "static library override");
    counting_allocator *provided = (counting_allocator *)(uintptr_t)global;
    long before = counting_read(&provided->allocs);
    void *p = galloc_alloc(layout_of(32, 32));
    assert_non_null(p);
    galloc_dealloc(p, layout_of(32, 32));
    assert_int_equal(counting_read(&provided->allocs), before + 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_override_from_a_linked_static_library_takes_effect),
    };
    return cmocka_run_group_tests_name("M8 override from a static library", tests,
                                       NULL, NULL);
}
