/*
 * test_libc.c - the libc-shaped functions (galloc_libc_malloc & co.): the
 * contract of malloc/calloc/realloc/free as glibc gives it, on top of the
 * global allocator.
 */
#include "support/testing.h"

#include <errno.h>
#include <string.h>

static void malloc_gives_16_aligned_writable_blocks(void **state) {
    (void)state;
    static const size_t sizes[] = {1, 7, 16, 100, 4096, 100000, (size_t)3 << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char *p = galloc_libc_malloc(sizes[i]);
        assert_non_null(p);
        assert_true(is_aligned(p, 16));
        fill_pattern(p, sizes[i], (unsigned)i);
        assert_true(has_pattern(p, sizes[i], (unsigned)i));
        galloc_libc_free(p);
    }
}

static void malloc_of_zero_gives_unique_pointers_to_free(void **state) {
    (void)state;
    void *a = galloc_libc_malloc(0);
    void *b = galloc_libc_malloc(0);
    void *c = galloc_libc_calloc(0, 8);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_ptr_not_equal(a, b);
    assert_ptr_not_equal(b, c);
    galloc_libc_free(a);
    galloc_libc_free(b);
    galloc_libc_free(c);
}

static void calloc_zeroes(void **state) {
    (void)state;
    unsigned char *dirty = galloc_libc_malloc(5000);
    assert_non_null(dirty);
    memset(dirty, 0xee, 5000);
    galloc_libc_free(dirty);
    unsigned char *p = galloc_libc_calloc(1000, 5);
    assert_non_null(p);
    assert_true(is_all_zero(p, 5000));
    galloc_libc_free(p);
}

static void an_overflowing_calloc_is_enomem_not_a_short_block(void **state) {
    (void)state;
    errno = 0;
    assert_null(galloc_libc_calloc(SIZE_MAX / 2 + 1, 2));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(galloc_libc_calloc(2, SIZE_MAX / 2 + 1));
    assert_int_equal(errno, ENOMEM);
}

static void an_impossible_malloc_is_null_and_enomem(void **state) {
    (void)state;
    static const size_t sizes[] = {SIZE_MAX, (size_t)PTRDIFF_MAX, (size_t)PTRDIFF_MAX - 64};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        errno = 0;
        assert_null(galloc_libc_malloc(sizes[i]));
        assert_int_equal(errno, ENOMEM);
    }
}

static void realloc_keeps_contents_growing_and_shrinking(void **state) {
    (void)state;
    static const size_t steps[] = {10, 1000, 3, 200000, 64, (size_t)2 << 20, 1};
    size_t size = 5;
    unsigned char *p = galloc_libc_malloc(size);
    assert_non_null(p);
    fill_pattern(p, size, 4);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        p = galloc_libc_realloc(p, steps[i]);
        assert_non_null(p);
        assert_true(is_aligned(p, 16));
        assert_true(has_pattern(p, size < steps[i] ? size : steps[i], 4));
        size = steps[i];
        fill_pattern(p, size, 4);
    }
    galloc_libc_free(p);
}

static void realloc_of_null_allocates_and_to_zero_frees(void **state) {
    (void)state;
    unsigned char *p = galloc_libc_realloc(NULL, 40);
    assert_non_null(p);
    memset(p, 1, 40);
    assert_null(galloc_libc_realloc(p, 0)); /* freed, as glibc does */
}

static void a_failed_realloc_keeps_the_block(void **state) {
    (void)state;
    unsigned char *p = galloc_libc_malloc(300);
    assert_non_null(p);
    fill_pattern(p, 300, 6);
    static const size_t sizes[] = {SIZE_MAX, (size_t)PTRDIFF_MAX - 64};
    for (size_t i = 0; i < 2; i++) {
        errno = 0;
        assert_null(galloc_libc_realloc(p, sizes[i]));
        assert_int_equal(errno, ENOMEM);
        assert_true(has_pattern(p, 300, 6));
    }
    galloc_libc_free(p);
}

static void free_keeps_errno_and_ignores_null(void **state) {
    (void)state;
    void *p = galloc_libc_malloc(64);
    assert_non_null(p);
    errno = EILSEQ;
    galloc_libc_free(p);
    galloc_libc_free(NULL);
    assert_int_equal(errno, EILSEQ);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(malloc_gives_16_aligned_writable_blocks),
        cmocka_unit_test(malloc_of_zero_gives_unique_pointers_to_free),
        cmocka_unit_test(calloc_zeroes),
        cmocka_unit_test(an_overflowing_calloc_is_enomem_not_a_short_block),
        cmocka_unit_test(an_impossible_malloc_is_null_and_enomem),
        cmocka_unit_test(realloc_keeps_contents_growing_and_shrinking),
        cmocka_unit_test(realloc_of_null_allocates_and_to_zero_frees),
        cmocka_unit_test(a_failed_realloc_keeps_the_block),
        cmocka_unit_test(free_keeps_errno_and_ignores_null),
    };
    return cmocka_run_group_tests_name("libc-shaped functions", tests, NULL, NULL);
}
