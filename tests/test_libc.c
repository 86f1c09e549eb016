/*
 * test_libc.c - the libc-shaped functions (galloc_libc_malloc & co.): the
 * contract of malloc/calloc/realloc/free as glibc gives it, on top of the
 * global allocator.
 */
#include "support/child.h"
#include "support/testing.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *self_path;

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

/* The usable size is the size asked for, exactly, through every realloc
 * (SQLite's xSize relies on it), whatever the shift inside the block. */
static void usable_size_is_the_size_asked_for(void **state) {
    (void)state;
    assert_int_equal(galloc_libc_usable_size(NULL), 0);
    static const size_t sizes[] = {0, 1, 15, 16, 17, 4064, 4080, 4096, 100000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char *p = galloc_libc_malloc(sizes[i]);
        unsigned char *z = galloc_libc_calloc(sizes[i], 1);
        assert_non_null(p);
        assert_non_null(z);
        assert_int_equal(galloc_libc_usable_size(p), sizes[i]);
        assert_int_equal(galloc_libc_usable_size(z), sizes[i]);
        p = galloc_libc_realloc(p, sizes[i] * 3 + 1);
        assert_non_null(p);
        assert_int_equal(galloc_libc_usable_size(p), sizes[i] * 3 + 1);
        galloc_libc_free(p);
        galloc_libc_free(z);
    }
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

/* ------------------------------------------------------------------------
 * Pointers that are not theirs.
 * --------------------------------------------------------------------- */

static _Alignas(16) unsigned char static_bytes[8192];

static void their_blocks_are_recognised_and_no_other_pointer_is(void **state) {
    (void)state;
    static const size_t sizes[] = {0, 1, 16, 100, 4096, 100000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char *p = galloc_libc_malloc(sizes[i]);
        unsigned char *z = galloc_libc_calloc(1, sizes[i]);
        assert_non_null(p);
        assert_non_null(z);
        assert_true(galloc_libc_owns(p));
        assert_true(galloc_libc_owns(z));
        /* Never the first byte of a page: the header is in the same page. */
        assert_true(((uintptr_t)p & 4095) != 0);
        if (sizes[i] >= 32) {
            memset(p, 0, sizes[i]);
            assert_false(galloc_libc_owns(p + 16)); /* inside a block */
        }
        assert_false(galloc_libc_owns(p + 1));
        unsigned char *r = galloc_libc_realloc(p, sizes[i] + 5000);
        assert_non_null(r);
        assert_true(galloc_libc_owns(r));
        galloc_libc_free(r);
        galloc_libc_free(z);
    }
    assert_false(galloc_libc_owns(NULL));
    /* The C library's own blocks, static memory, a page-aligned block. */
    void *c = malloc(100);
    assert_non_null(c);
    assert_false(galloc_libc_owns(c));
    free(c);
    assert_false(galloc_libc_owns(static_bytes + 64));
    assert_false(galloc_libc_owns(static_bytes + 4096 - (uintptr_t)static_bytes % 4096));
    void *page = galloc_alloc(layout_of(4096, 4096));
    assert_non_null(page);
    assert_false(galloc_libc_owns(page));
    galloc_dealloc(page, layout_of(4096, 4096));
}

static void a_freed_block_is_no_longer_theirs(void **state) {
    (void)state;
    unsigned char *p = galloc_libc_malloc(40);
    assert_non_null(p);
    assert_true(galloc_libc_owns(p));
    galloc_libc_free(p);
    /* Reading a freed block is what the check is for; small blocks stay
     * mapped, and AddressSanitizer and Valgrind are asked first. */
    assert_false(galloc_libc_owns(p));
}

/* What the children print, and the parent checks. */
#define NOT_OURS "): not a block of galloc's libc-shaped functions"

static int child_main(const char *scenario) {
    if (strcmp(scenario, "double-free") == 0) {
        unsigned char *p = galloc_libc_malloc(40);
        if (p == NULL)
            return 2;
        galloc_libc_free(p);
        galloc_libc_free(p);
        printf("survived the second free\n");
        return 0;
    }
    /* A block of the C library's, handed to the libc-shaped functions. */
    unsigned char *c = malloc(100);
    if (c == NULL)
        return 2;
    memset(c, 7, 100);
    errno = EILSEQ;
    if (strcmp(scenario, "free-foreign") == 0) {
        galloc_libc_free(c);
        printf("errno kept: %d\n", errno == EILSEQ);
    } else if (strcmp(scenario, "size-foreign") == 0) {
        printf("usable size: %zu\n", galloc_libc_usable_size(c));
    } else if (strcmp(scenario, "realloc-foreign") == 0) {
        void *moved = galloc_libc_realloc(c, 200);
        printf("realloc: %s, errno %s\n", moved == NULL ? "NULL" : "a block",
               errno == EINVAL ? "EINVAL" : "other");
    } else {
        return 3;
    }
    /* Left alone, not freed: still the C library's, unchanged. */
    printf("block kept: %d\n", c[99] == 7);
    free(c);
    return 0;
}

/* Runs a child scenario, which must exit normally after `function` reported
 * a pointer that is not its own, and print each of the `expected` lines. */
static void expect_report(const char *scenario, const char *function,
                          const char *const *expected) {
    char output[4096], report[64];
    int status = run_self(self_path, scenario, output, sizeof output);
    assert_int_equal(status, 0);
    snprintf(report, sizeof report, "galloc: %s(0x", function);
    assert_non_null(strstr(output, report));
    assert_non_null(strstr(output, NOT_OURS));
    for (; *expected != NULL; expected++)
        assert_non_null(strstr(output, *expected));
}

static void a_foreign_pointer_is_reported_and_left_alone(void **state) {
    (void)state;
    static const char *const freed[] = {"left alone", "errno kept: 1", "block kept: 1", NULL};
    expect_report("free-foreign", "galloc_libc_free", freed);
    static const char *const reallocated[] = {"realloc: NULL, errno EINVAL", "block kept: 1",
                                              NULL};
    expect_report("realloc-foreign", "galloc_libc_realloc", reallocated);
    static const char *const sized[] = {"usable size: 0\n", "block kept: 1", NULL};
    expect_report("size-foreign", "galloc_libc_usable_size", sized);
}

static void a_double_free_is_reported_not_a_crash(void **state) {
    (void)state;
    static const char *const survived[] = {"survived the second free", NULL};
    expect_report("double-free", "galloc_libc_free", survived);
}

int main(int argc, char **argv) {
    if (argc > 1)
        return child_main(argv[1]);
    self_path = argv[0];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(malloc_gives_16_aligned_writable_blocks),
        cmocka_unit_test(malloc_of_zero_gives_unique_pointers_to_free),
        cmocka_unit_test(calloc_zeroes),
        cmocka_unit_test(an_overflowing_calloc_is_enomem_not_a_short_block),
        cmocka_unit_test(an_impossible_malloc_is_null_and_enomem),
        cmocka_unit_test(realloc_keeps_contents_growing_and_shrinking),
        cmocka_unit_test(usable_size_is_the_size_asked_for),
        cmocka_unit_test(realloc_of_null_allocates_and_to_zero_frees),
        cmocka_unit_test(a_failed_realloc_keeps_the_block),
        cmocka_unit_test(free_keeps_errno_and_ignores_null),
        cmocka_unit_test(their_blocks_are_recognised_and_no_other_pointer_is),
        cmocka_unit_test(a_freed_block_is_no_longer_theirs),
        cmocka_unit_test(a_foreign_pointer_is_reported_and_left_alone),
        cmocka_unit_test(a_double_free_is_reported_not_a_crash),
    };
    return cmocka_run_group_tests_name("libc-shaped functions", tests, NULL, NULL);
}
