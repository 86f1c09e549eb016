/*
 * test_global.c - the global allocator without an override, and the front
 * end's work for explicit allocator objects: completing allocators that
 * leave alloc_zeroed/realloc NULL, shielding them from zero sizes, invalid
 * layouts and NULL blocks, errno, and galloc_handle_alloc_error's hook.
 * (That a NULL allocator object means the global allocator is proved where
 * the global is not System: tests/modules/override_host.c.)
 */
#include "support/counting.h"
#include "support/testing.h"

#include "support/allocator_round_trip.h"

#include <errno.h>
#include <string.h>

static void global_is_system_without_an_override(void **state) {
    (void)state;
    assert_ptr_equal(galloc_global(), &galloc_system);
    assert_string_equal(galloc_global()->name, "system");
}

static void an_allocator_with_every_function_gets_every_call(void **state) {
    (void)state;
    static counting_allocator counting = COUNTING_ALLOCATOR_INIT("counting");
    allocator_round_trip(&counting.base);
    assert_counted(&counting, 1, 1, 1, 2);
}

/* ------------------------------------------------------------------------
 * A minimal allocator: alloc and dealloc only.  Its blocks come back filled
 * with 0xCC so that a zeroed allocation proves the front end zeroed it.
 * ------------------------------------------------------------------------ */

typedef struct minimal_allocator {
    galloc_allocator base;
    int allocs, deallocs, violations;
    int fail_next_alloc; /* make the next alloc fail */
} minimal_allocator;

static void *minimal_alloc(const galloc_allocator *self, galloc_layout layout) {
    minimal_allocator *m = (minimal_allocator *)(uintptr_t)self;
    if (layout.size == 0 || galloc_layout_validate(layout) != GALLOC_OK)
        m->violations++;
    if (m->fail_next_alloc) {
        m->fail_next_alloc = 0;
        errno = EPERM; /* a wrong errno the front end must replace */
        return NULL;
    }
    m->allocs++;
    void *p = galloc_allocator_alloc(&galloc_system, layout);
    if (p != NULL)
        memset(p, 0xcc, layout.size);
    return p;
}

static void minimal_dealloc(const galloc_allocator *self, void *ptr,
                            galloc_layout layout) {
    minimal_allocator *m = (minimal_allocator *)(uintptr_t)self;
    if (ptr == NULL || layout.size == 0 || galloc_layout_validate(layout) != GALLOC_OK)
        m->violations++;
    m->deallocs++;
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
    errno = EBADF; /* clobbers errno, as some free()s do */
}

static minimal_allocator minimal(void) {
    minimal_allocator m = {{minimal_alloc, minimal_dealloc, NULL, NULL, "minimal"},
                           0, 0, 0, 0};
    return m;
}

static void zeroed_allocation_without_alloc_zeroed_is_zero(void **state) {
    (void)state;
    minimal_allocator m = minimal();
    for (size_t align = 1; align <= 4096; align <<= 1) {
        galloc_layout layout = layout_of(3 * align + 5, align);
        unsigned char *p = galloc_allocator_alloc_zeroed(&m.base, layout);
        assert_non_null(p);
        assert_true(is_aligned(p, align));
        assert_true(is_all_zero(p, layout.size));
        galloc_allocator_dealloc(&m.base, p, layout);
    }
    assert_int_equal(m.allocs, 13);
    assert_int_equal(m.deallocs, 13);
    assert_int_equal(m.violations, 0);
}

static void realloc_without_realloc_copies_and_keeps_alignment(void **state) {
    (void)state;
    minimal_allocator m = minimal();
    static const size_t steps[] = {10, 1000, 3, 70000, 64};
    for (size_t align = 1; align <= 4096; align <<= 2) {
        size_t size = steps[0];
        unsigned char *p = galloc_allocator_alloc(&m.base, layout_of(size, align));
        assert_non_null(p);
        fill_pattern(p, size, 5);
        for (size_t i = 1; i < sizeof steps / sizeof steps[0]; i++) {
            p = galloc_allocator_realloc(&m.base, p, layout_of(size, align), steps[i]);
            assert_non_null(p);
            assert_true(is_aligned(p, align));
            assert_true(has_pattern(p, size < steps[i] ? size : steps[i], 5));
            size = steps[i];
            fill_pattern(p, size, 5);
        }
        galloc_allocator_dealloc(&m.base, p, layout_of(size, align));
    }
    assert_int_equal(m.allocs, m.deallocs);
    assert_int_equal(m.violations, 0);
}

static void a_failed_realloc_by_copy_keeps_the_old_block(void **state) {
    (void)state;
    minimal_allocator m = minimal();
    galloc_layout layout = layout_of(200, 64);
    unsigned char *p = galloc_allocator_alloc(&m.base, layout);
    assert_non_null(p);
    fill_pattern(p, 200, 8);
    m.fail_next_alloc = 1;
    errno = 0;
    assert_null(galloc_allocator_realloc(&m.base, p, layout, 400));
    assert_int_equal(errno, ENOMEM);
    assert_int_equal(m.deallocs, 0); /* the old block was not released */
    assert_true(has_pattern(p, 200, 8));
    galloc_allocator_dealloc(&m.base, p, layout);
    assert_int_equal(m.deallocs, 1);
}

static void a_failing_allocator_gives_enomem(void **state) {
    (void)state;
    minimal_allocator m = minimal();
    m.fail_next_alloc = 1;
    errno = 0;
    assert_null(galloc_allocator_alloc(&m.base, layout_of(10, 8)));
    assert_int_equal(errno, ENOMEM);
    m.fail_next_alloc = 1;
    errno = 0;
    assert_null(galloc_allocator_alloc_zeroed(&m.base, layout_of(10, 8)));
    assert_int_equal(errno, ENOMEM);
}

static void dealloc_restores_errno_clobbered_by_the_allocator(void **state) {
    (void)state;
    minimal_allocator m = minimal();
    void *p = galloc_allocator_alloc(&m.base, layout_of(32, 8));
    assert_non_null(p);
    errno = ERANGE;
    galloc_allocator_dealloc(&m.base, p, layout_of(32, 8));
    assert_int_equal(m.deallocs, 1); /* the allocator did run, and clobbered */
    assert_int_equal(errno, ERANGE);
}

/* Zero sizes, NULL blocks and invalid layouts are handled by the front end;
 * the allocator is never called with them. */
static void the_allocator_never_sees_zero_sizes_null_or_invalid_layouts(void **state) {
    (void)state;
    static counting_allocator counting = COUNTING_ALLOCATOR_INIT("counting");
    const galloc_allocator *a = &counting.base;

    void *z = galloc_allocator_alloc(a, layout_of(0, 32));
    void *zz = galloc_allocator_alloc_zeroed(a, layout_of(0, 32));
    assert_non_null(z);
    assert_non_null(zz);
    galloc_allocator_dealloc(a, z, layout_of(0, 32));
    galloc_allocator_dealloc(a, zz, layout_of(0, 32));
    galloc_allocator_dealloc(a, NULL, layout_of(16, 16));
    assert_null(galloc_allocator_alloc(a, layout_of(8, 3)));
    assert_null(galloc_allocator_alloc_zeroed(a, layout_of(SIZE_MAX, 8)));
    assert_null(galloc_allocator_realloc(a, NULL, layout_of(8, 0), 8));
    assert_int_equal(counting_read(&counting.allocs), 0);
    assert_int_equal(counting_read(&counting.zeroed_allocs), 0);
    assert_int_equal(counting_read(&counting.deallocs), 0);
    assert_int_equal(counting_read(&counting.reallocs), 0);

    /* Growing from zero size is an alloc; shrinking to zero is a dealloc. */
    void *p = galloc_allocator_realloc(a, z, layout_of(0, 32), 100);
    assert_non_null(p);
    assert_int_equal(counting_read(&counting.allocs), 1);
    void *q = galloc_allocator_realloc(a, p, layout_of(100, 32), 0);
    assert_ptr_equal(q, z);
    assert_int_equal(counting_read(&counting.deallocs), 1);
    assert_int_equal(counting_read(&counting.reallocs), 0);
    assert_int_equal(counting_read(&counting.contract_violations), 0);
}

/* A NULL block is no block: galloc_realloc(NULL, l, n) allocates n bytes at
 * l.align, whatever l.size says (the allocator sees an alloc, never a
 * realloc of NULL), and galloc_dealloc(NULL, l) does nothing.  On a custom
 * allocator and on System, through the global front end and explicitly. */
static void realloc_of_a_null_block_allocates_and_dealloc_of_one_does_nothing(
    void **state) {
    (void)state;
    static counting_allocator counting = COUNTING_ALLOCATOR_INIT("counting");
    /* Not static: a DLL's galloc_system has no constant address. */
    const galloc_allocator *const system_routes[] = {NULL, &galloc_system};
    static const galloc_layout olds[] = {{16, 8}, {4000, 8}, {16, 256}, {0, 4096}};
    const size_t new_size = 1000;
    for (size_t i = 0; i < sizeof olds / sizeof olds[0]; i++) {
        size_t align = olds[i].align;
        galloc_layout fresh = layout_of(new_size, align);
        unsigned char *p = galloc_allocator_realloc(&counting.base, NULL, olds[i], new_size);
        assert_non_null(p);
        assert_true(is_aligned(p, align));
        fill_pattern(p, new_size, 3);
        galloc_allocator_dealloc(&counting.base, NULL, fresh);
        assert_true(has_pattern(p, new_size, 3));
        galloc_allocator_dealloc(&counting.base, p, fresh);
        for (size_t r = 0; r < 2; r++) {
            const galloc_allocator *a = system_routes[r];
            p = a == NULL ? galloc_realloc(NULL, olds[i], new_size)
                          : galloc_allocator_realloc(a, NULL, olds[i], new_size);
            assert_non_null(p);
            assert_true(is_aligned(p, align));
            fill_pattern(p, new_size, 4);
            if (a == NULL)
                galloc_dealloc(NULL, fresh);
            else
                galloc_allocator_dealloc(a, NULL, fresh);
            assert_true(has_pattern(p, new_size, 4));
            galloc_allocator_dealloc(a, p, fresh);
        }
    }
    assert_counted(&counting, 4, 0, 0, 4);
}

/* A layout that cannot describe any block cannot describe this one either:
 * the dealloc does nothing and the block stays allocated, rather than being
 * released with a layout that is certainly wrong. */
static void a_dealloc_with_an_invalid_layout_does_nothing(void **state) {
    (void)state;
    static counting_allocator counting = COUNTING_ALLOCATOR_INIT("counting");
    const galloc_allocator *a = &counting.base;
    void *p = galloc_allocator_alloc(a, layout_of(16, 16));
    assert_non_null(p);
    galloc_allocator_dealloc(a, p, layout_of(16, 3));
    galloc_allocator_dealloc(a, p, layout_of(SIZE_MAX, 16));
    assert_int_equal(counting_read(&counting.deallocs), 0);
    galloc_allocator_dealloc(a, p, layout_of(16, 16));
    assert_int_equal(counting_read(&counting.deallocs), 1);
    assert_int_equal(counting_read(&counting.contract_violations), 0);
}

/* ------------------------------------------------------------------------
 * galloc_handle_alloc_error with a hook.  The hook leaves by longjmp so the
 * test survives; galloc itself never longjmps.
 * ------------------------------------------------------------------------ */

static jmp_buf hook_exit;
static galloc_layout hook_saw;
static int hook_calls;

static void recording_hook(galloc_layout layout) {
    hook_saw = layout;
    hook_calls++;
    longjmp(hook_exit, 1);
}

static void handle_alloc_error_calls_the_hook_with_the_layout(void **state) {
    (void)state;
    assert_null(galloc_set_alloc_error_hook(recording_hook)); /* default */
    hook_calls = 0;
    if (setjmp(hook_exit) == 0) {
        galloc_handle_alloc_error(layout_of(12345, 64));
        fail_msg("galloc_handle_alloc_error returned");
    }
    assert_int_equal(hook_calls, 1);
    assert_int_equal(hook_saw.size, 12345);
    assert_int_equal(hook_saw.align, 64);
    /* Setting returns the previous hook; NULL restores the default. */
    assert_ptr_equal(galloc_set_alloc_error_hook(NULL), recording_hook);
    assert_null(galloc_set_alloc_error_hook(NULL));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(global_is_system_without_an_override),
        cmocka_unit_test(an_allocator_with_every_function_gets_every_call),
        cmocka_unit_test(zeroed_allocation_without_alloc_zeroed_is_zero),
        cmocka_unit_test(realloc_without_realloc_copies_and_keeps_alignment),
        cmocka_unit_test(a_failed_realloc_by_copy_keeps_the_old_block),
        cmocka_unit_test(a_failing_allocator_gives_enomem),
        cmocka_unit_test(dealloc_restores_errno_clobbered_by_the_allocator),
        cmocka_unit_test(the_allocator_never_sees_zero_sizes_null_or_invalid_layouts),
        cmocka_unit_test(realloc_of_a_null_block_allocates_and_dealloc_of_one_does_nothing),
        cmocka_unit_test(a_dealloc_with_an_invalid_layout_does_nothing),
        cmocka_unit_test(handle_alloc_error_calls_the_hook_with_the_layout),
    };
    return cmocka_run_group_tests_name("global allocator and allocator objects",
                                       tests, NULL, NULL);
}
