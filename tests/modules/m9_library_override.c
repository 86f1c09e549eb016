/*
 * m9_library_override.c - DESIGN.md row M9: an executable without an
 * override, linked with the shared galloc and with a shared library that
 * defines GALLOC_GLOBAL_ALLOCATOR.  The documented behaviour: an override
 * compiled into a shared library is ignored; the global allocator stays
 * System.
 */
#include "support/testing.h"

const galloc_allocator *library_override_allocator(void);

static void an_override_in_a_shared_library_is_ignored(void **state) {
    (void)state;
    /* The library really is loaded and really defines an allocator. */
    assert_non_null(library_override_allocator());
    assert_string_equal(library_override_allocator()->name, "library override");
    assert_ptr_equal(galloc_global(), &galloc_system);
    void *p = galloc_alloc(layout_of(100, 16));
    assert_non_null(p); /* the library's allocator would have refused */
    galloc_dealloc(p, layout_of(100, 16));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_override_in_a_shared_library_is_ignored),
    };
    return cmocka_run_group_tests_name("override in a shared library", tests, NULL, NULL);
}
