/*
 * test_layout.c - boundary tests for galloc's layout functions
 * (galloc_layout_validate, _from_size_align, _pad_to_align, _array,
 * _extend, GALLOC_LAYOUT_OF and galloc_strerror).
 *
 * Each test is named after the behaviour it proves.  Every layout function
 * writes its outputs only on success, so each failing call is made with the
 * outputs pre-filled with sentinels that are checked afterwards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "galloc.h"

/* ------------------------------------------------------------------------
 * Constants
 * --------------------------------------------------------------------- */

/** PTRDIFF_MAX as a size_t. */
#define PMAX ((size_t)PTRDIFF_MAX)
/** The largest alignment there is: 2^(bits-1), i.e. PTRDIFF_MAX + 1. */
#define TOP_ALIGN ((SIZE_MAX >> 1) + 1)
/** The largest valid size for a (power-of-two) alignment a. */
#define LARGEST(a) (PMAX - ((size_t)(a) - 1))

/* Sentinels for outputs.  SENTINEL.align is not a power of two, so no
 * successful call can ever produce SENTINEL. */
static const galloc_layout SENTINEL = {SIZE_MAX / 3, SIZE_MAX / 5};
#define OFFSET_SENTINEL (SIZE_MAX / 7)

static galloc_layout L(size_t size, size_t align) {
    galloc_layout l;
    l.size = size;
    l.align = align;
    return l;
}

/* ------------------------------------------------------------------------
 * Checking helpers.  They take the caller's file and line so that a failure
 * points at the case, and print the case before failing.
 * --------------------------------------------------------------------- */

static void expect_size(size_t actual, size_t expected, const char *what,
                        const char *file, int line) {
    if (actual != expected)
        /* Not %zu: mingw's msvcrt printf, which CMocka uses, lacks it. */
        print_message("  %s: got %llu (%#llx), expected %llu (%#llx)\n", what,
                      (unsigned long long)actual, (unsigned long long)actual,
                      (unsigned long long)expected, (unsigned long long)expected);
    _assert_int_equal(cast_to_largest_integral_type(actual),
                      cast_to_largest_integral_type(expected), file, line);
}

static void expect_rc(int actual, int expected, const char *what,
                      const char *file, int line) {
    if (actual != expected)
        print_message("  %s: got rc %d (%s), expected %d (%s)\n", what,
                      actual, galloc_strerror(actual), expected,
                      galloc_strerror(expected));
    _assert_int_equal(cast_to_largest_integral_type(actual),
                      cast_to_largest_integral_type(expected), file, line);
}

static void expect_layout(galloc_layout got, size_t size, size_t align,
                          const char *what, const char *file, int line) {
    expect_size(got.size, size, what, file, line);
    expect_size(got.align, align, what, file, line);
}

static void expect_sentinel(galloc_layout got, const char *what,
                            const char *file, int line) {
    expect_layout(got, SENTINEL.size, SENTINEL.align, what, file, line);
}

/* validate and from_size_align agree on (size, align); out is written only
 * on success; a valid input with out == NULL gives GALLOC_ENULL. */
static void check_from_size_align(size_t size, size_t align, int expected,
                                  const char *file, int line) {
    char what[160];
    galloc_layout out = SENTINEL;
    snprintf(what, sizeof what, "size=%#zx align=%#zx", size, align);

    expect_rc(galloc_layout_validate(L(size, align)), expected, what, file,
              line);
    expect_rc(galloc_layout_from_size_align(size, align, &out), expected, what,
              file, line);
    if (expected == GALLOC_OK) {
        expect_layout(out, size, align, what, file, line);
        expect_rc(galloc_layout_from_size_align(size, align, NULL),
                  GALLOC_ENULL, what, file, line);
    } else {
        expect_sentinel(out, what, file, line);
    }
}
#define CHECK_FSA(size, align, expected)                                       \
    check_from_size_align((size), (align), (expected), __FILE__, __LINE__)

/* galloc_layout_array(elem, n): rc, and out = {size, elem.align} on success,
 * out untouched otherwise. */
static void check_array(galloc_layout elem, size_t n, int expected,
                        size_t size, const char *file, int line) {
    char what[160];
    galloc_layout out = SENTINEL;
    snprintf(what, sizeof what, "array elem={%#zx,%#zx} n=%#zx", elem.size,
             elem.align, n);

    expect_rc(galloc_layout_array(elem, n, &out), expected, what, file, line);
    if (expected == GALLOC_OK)
        expect_layout(out, size, elem.align, what, file, line);
    else
        expect_sentinel(out, what, file, line);
}
#define CHECK_ARRAY_OK(elem, n, size)                                          \
    check_array((elem), (n), GALLOC_OK, (size), __FILE__, __LINE__)
#define CHECK_ARRAY_FAILS(elem, n, expected)                                   \
    check_array((elem), (n), (expected), 0, __FILE__, __LINE__)

/* galloc_layout_extend(base, next): rc; on success out = {size, align} and
 * *offset = offset, and the same result with offset == NULL; on failure
 * out and offset untouched (and the same code with offset == NULL). */
static void check_extend(galloc_layout base, galloc_layout next, int expected,
                         size_t offset, size_t size, size_t align,
                         const char *file, int line) {
    char what[200];
    galloc_layout out = SENTINEL;
    galloc_layout out2 = SENTINEL;
    size_t off = OFFSET_SENTINEL;
    snprintf(what, sizeof what, "extend base={%#zx,%#zx} next={%#zx,%#zx}",
             base.size, base.align, next.size, next.align);

    expect_rc(galloc_layout_extend(base, next, &out, &off), expected, what,
              file, line);
    expect_rc(galloc_layout_extend(base, next, &out2, NULL), expected, what,
              file, line);
    if (expected == GALLOC_OK) {
        expect_layout(out, size, align, what, file, line);
        expect_size(off, offset, what, file, line);
        expect_layout(out2, size, align, what, file, line);
    } else {
        expect_sentinel(out, what, file, line);
        expect_size(off, OFFSET_SENTINEL, what, file, line);
        expect_sentinel(out2, what, file, line);
    }
}
#define CHECK_EXTEND_OK(base, next, offset, size, align)                       \
    check_extend((base), (next), GALLOC_OK, (offset), (size), (align),         \
                 __FILE__, __LINE__)
#define CHECK_EXTEND_FAILS(base, next, expected)                               \
    check_extend((base), (next), (expected), 0, 0, 0, __FILE__, __LINE__)

/* The aligns the brief singles out for size boundaries. */
static const size_t SOME_ALIGNS[] = {1, 8, 16, 4096};
#define N_SOME_ALIGNS (sizeof SOME_ALIGNS / sizeof SOME_ALIGNS[0])

/* ========================================================================
 * galloc_layout_validate / galloc_layout_from_size_align: alignment
 * ===================================================================== */

static void from_size_align_rejects_align_zero(void **state) {
    (void)state;
    CHECK_FSA(0, 0, GALLOC_EALIGN);
    CHECK_FSA(1, 0, GALLOC_EALIGN);
    CHECK_FSA(SIZE_MAX, 0, GALLOC_EALIGN);
}

static void from_size_align_accepts_align_one_and_two(void **state) {
    (void)state;
    CHECK_FSA(0, 1, GALLOC_OK);
    CHECK_FSA(1, 1, GALLOC_OK);
    CHECK_FSA(0, 2, GALLOC_OK);
    CHECK_FSA(1, 2, GALLOC_OK);
    CHECK_FSA(3, 2, GALLOC_OK);
}

static void from_size_align_rejects_non_power_of_two_aligns(void **state) {
    (void)state;
    CHECK_FSA(0, 3, GALLOC_EALIGN);
    CHECK_FSA(8, 3, GALLOC_EALIGN);
    CHECK_FSA(0, 6, GALLOC_EALIGN);
    CHECK_FSA(6, 6, GALLOC_EALIGN);
    CHECK_FSA(0, 48, GALLOC_EALIGN);
    CHECK_FSA(48, 48, GALLOC_EALIGN);
    CHECK_FSA(0, 4097, GALLOC_EALIGN);
    CHECK_FSA(0, PMAX, GALLOC_EALIGN);          /* 0x7fff...f */
    CHECK_FSA(0, TOP_ALIGN + 1, GALLOC_EALIGN); /* 0x8000...1 */
    CHECK_FSA(0, TOP_ALIGN | (TOP_ALIGN >> 1), GALLOC_EALIGN);
}

/*
 * The README's row "alignment above half the address space".  No number
 * above 2^(bits-1) is a power of two, so every alignment there is
 * GALLOC_EALIGN for every layout function, whatever the size (the size
 * error of SIZE_MAX is not the one reported), and an allocation with it is
 * NULL + EINVAL.  2^(bits-1) = PTRDIFF_MAX + 1 itself is half the address
 * space, not above it: a power of two, valid with size 0, GALLOC_ESIZE with
 * any other (a size that rounds up past PTRDIFF_MAX).
 */
static void from_size_align_rejects_every_align_above_half_the_address_space(
    void **state) {
    (void)state;
    static const size_t sizes[] = {0, 1, 8, PMAX, TOP_ALIGN, SIZE_MAX};
    size_t aligns[sizeof(size_t) * CHAR_BIT + 1];
    size_t n_aligns = 0;
    /* The top bit with each lower bit, and the largest of them all. */
    for (size_t bit = 1; bit < TOP_ALIGN; bit <<= 1)
        aligns[n_aligns++] = TOP_ALIGN | bit;
    aligns[n_aligns++] = SIZE_MAX;
    for (size_t i = 0; i < n_aligns; i++) {
        size_t align = aligns[i];
        for (size_t j = 0; j < sizeof sizes / sizeof sizes[0]; j++)
            CHECK_FSA(sizes[j], align, GALLOC_EALIGN);
        CHECK_ARRAY_FAILS(L(1, align), 1, GALLOC_EALIGN);
        CHECK_EXTEND_FAILS(L(1, align), L(1, 1), GALLOC_EALIGN);
        CHECK_EXTEND_FAILS(L(1, 1), L(0, align), GALLOC_EALIGN);
        assert_int_equal(galloc_layout_pad_to_align(L(1, align)).size, 1);
        for (size_t size = 0; size <= 1; size++) {
            errno = 0;
            assert_null(galloc_alloc(L(size, align)));
            assert_int_equal(errno, EINVAL);
            errno = 0;
            assert_null(galloc_alloc_zeroed(L(size, align)));
            assert_int_equal(errno, EINVAL);
            errno = 0;
            assert_null(galloc_realloc(NULL, L(size, align), 8));
            assert_int_equal(errno, EINVAL);
        }
    }
    /* Half the address space itself. */
    CHECK_FSA(0, TOP_ALIGN, GALLOC_OK);
    CHECK_FSA(1, TOP_ALIGN, GALLOC_ESIZE);
}

static void from_size_align_accepts_every_power_of_two_align_with_size_zero(
    void **state) {
    (void)state;
    size_t count = 0;
    for (size_t a = 1; a != 0; a <<= 1) {
        CHECK_FSA(0, a, GALLOC_OK);
        CHECK_FSA(1, a, a == TOP_ALIGN ? GALLOC_ESIZE : GALLOC_OK);
        /* Neighbours of a power of two (>= 2) are not powers of two. */
        if (a >= 2)
            CHECK_FSA(0, a + 1, GALLOC_EALIGN);
        if (a >= 4) {
            CHECK_FSA(0, a - 1, GALLOC_EALIGN);
            CHECK_FSA(0, a + (a >> 1), GALLOC_EALIGN);
        }
        count++;
    }
    /* Every bit position was tried, the top one included. */
    assert_int_equal(count, sizeof(size_t) * CHAR_BIT);
}

static void from_size_align_accepts_top_bit_align_only_with_size_zero(
    void **state) {
    (void)state;
    assert_int_equal(TOP_ALIGN, PMAX + 1);
    CHECK_FSA(0, TOP_ALIGN, GALLOC_OK);
    CHECK_FSA(1, TOP_ALIGN, GALLOC_ESIZE);
    CHECK_FSA(PMAX, TOP_ALIGN, GALLOC_ESIZE);
    CHECK_FSA(SIZE_MAX, TOP_ALIGN, GALLOC_ESIZE);
    /* The next alignment down allows exactly its own size. */
    CHECK_FSA(TOP_ALIGN >> 1, TOP_ALIGN >> 1, GALLOC_OK);
    CHECK_FSA((TOP_ALIGN >> 1) + 1, TOP_ALIGN >> 1, GALLOC_ESIZE);
}

static void from_size_align_reports_ealign_before_esize(void **state) {
    (void)state;
    CHECK_FSA(SIZE_MAX, 0, GALLOC_EALIGN);
    CHECK_FSA(SIZE_MAX, 3, GALLOC_EALIGN);
    CHECK_FSA(PMAX + 1, 48, GALLOC_EALIGN);
    CHECK_FSA(SIZE_MAX, SIZE_MAX, GALLOC_EALIGN);
}

/* ========================================================================
 * galloc_layout_validate / galloc_layout_from_size_align: size
 * ===================================================================== */

static void from_size_align_accepts_size_zero_for_every_align(void **state) {
    (void)state;
    for (size_t i = 0; i < N_SOME_ALIGNS; i++)
        CHECK_FSA(0, SOME_ALIGNS[i], GALLOC_OK);
}

static void from_size_align_accepts_largest_size_ptrdiff_max_minus_align_minus_one(
    void **state) {
    (void)state;
    CHECK_FSA(PMAX, 1, GALLOC_OK);
    CHECK_FSA(PMAX - 7, 8, GALLOC_OK);
    CHECK_FSA(PMAX - 15, 16, GALLOC_OK);
    CHECK_FSA(PMAX - 4095, 4096, GALLOC_OK);
    for (size_t a = 1; a != 0; a <<= 1)
        CHECK_FSA(LARGEST(a), a, GALLOC_OK);
}

static void from_size_align_rejects_one_past_largest_size_with_esize(
    void **state) {
    (void)state;
    CHECK_FSA(PMAX + 1, 1, GALLOC_ESIZE);
    CHECK_FSA(PMAX - 6, 8, GALLOC_ESIZE);
    CHECK_FSA(PMAX - 14, 16, GALLOC_ESIZE);
    CHECK_FSA(PMAX - 4094, 4096, GALLOC_ESIZE);
    for (size_t a = 1; a != 0; a <<= 1)
        CHECK_FSA(LARGEST(a) + 1, a, GALLOC_ESIZE);
}

static void from_size_align_accepts_ptrdiff_max_only_with_align_one(
    void **state) {
    (void)state;
    CHECK_FSA(PMAX, 1, GALLOC_OK);
    CHECK_FSA(PMAX, 2, GALLOC_ESIZE);
    CHECK_FSA(PMAX, 8, GALLOC_ESIZE);
    CHECK_FSA(PMAX, 16, GALLOC_ESIZE);
    CHECK_FSA(PMAX, 4096, GALLOC_ESIZE);
}

static void from_size_align_rejects_sizes_above_ptrdiff_max_with_esize(
    void **state) {
    (void)state;
    for (size_t i = 0; i < N_SOME_ALIGNS; i++) {
        CHECK_FSA(PMAX + 1, SOME_ALIGNS[i], GALLOC_ESIZE);
        CHECK_FSA(PMAX + 2, SOME_ALIGNS[i], GALLOC_ESIZE);
        CHECK_FSA(SIZE_MAX - 1, SOME_ALIGNS[i], GALLOC_ESIZE);
        CHECK_FSA(SIZE_MAX, SOME_ALIGNS[i], GALLOC_ESIZE);
    }
}

static void from_size_align_leaves_out_untouched_on_every_failure(void **state) {
    (void)state;
    static const struct {
        size_t size, align;
        int rc;
    } cases[] = {
        {0, 0, GALLOC_EALIGN},
        {0, 3, GALLOC_EALIGN},
        {0, 6, GALLOC_EALIGN},
        {0, 48, GALLOC_EALIGN},
        {0, SIZE_MAX, GALLOC_EALIGN},
        {1, (SIZE_MAX >> 1) + 1, GALLOC_ESIZE},
        {(size_t)PTRDIFF_MAX - 6, 8, GALLOC_ESIZE},
        {(size_t)PTRDIFF_MAX, 16, GALLOC_ESIZE},
        {(size_t)PTRDIFF_MAX + 1, 1, GALLOC_ESIZE},
        {SIZE_MAX, 4096, GALLOC_ESIZE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        galloc_layout out = SENTINEL;
        int rc = galloc_layout_from_size_align(cases[i].size, cases[i].align,
                                               &out);
        assert_int_equal(rc, cases[i].rc);
        assert_memory_equal(&out, &SENTINEL, sizeof out);
    }
}

static void from_size_align_with_null_out_gives_enull_for_valid_input(
    void **state) {
    (void)state;
    assert_int_equal(galloc_layout_from_size_align(0, 1, NULL), GALLOC_ENULL);
    assert_int_equal(galloc_layout_from_size_align(8, 8, NULL), GALLOC_ENULL);
    assert_int_equal(galloc_layout_from_size_align(PMAX, 1, NULL),
                     GALLOC_ENULL);
    assert_int_equal(galloc_layout_from_size_align(PMAX - 4095, 4096, NULL),
                     GALLOC_ENULL);
    assert_int_equal(galloc_layout_from_size_align(0, TOP_ALIGN, NULL),
                     GALLOC_ENULL);
}

static void from_size_align_with_null_out_and_invalid_input_fails(
    void **state) {
    (void)state;
    /* Which of the two errors wins is not specified; it must be an error
     * and must not write through NULL. */
    assert_int_not_equal(galloc_layout_from_size_align(0, 3, NULL), GALLOC_OK);
    assert_int_not_equal(galloc_layout_from_size_align(PMAX + 1, 1, NULL),
                         GALLOC_OK);
}

/* ========================================================================
 * galloc_layout_pad_to_align
 * ===================================================================== */

static void pad_to_align_rounds_size_up_to_a_multiple_of_align(void **state) {
    (void)state;
    assert_int_equal(galloc_layout_pad_to_align(L(1, 8)).size, 8);
    assert_int_equal(galloc_layout_pad_to_align(L(8, 8)).size, 8);
    assert_int_equal(galloc_layout_pad_to_align(L(9, 8)).size, 16);
    assert_int_equal(galloc_layout_pad_to_align(L(0, 16)).size, 0);
    assert_int_equal(galloc_layout_pad_to_align(L(3, 4)).size, 4);
    assert_int_equal(galloc_layout_pad_to_align(L(7, 1)).size, 7);
    assert_int_equal(galloc_layout_pad_to_align(L(4097, 4096)).size, 8192);
    assert_int_equal(galloc_layout_pad_to_align(L(0, TOP_ALIGN)).size, 0);
}

static void pad_to_align_keeps_the_alignment(void **state) {
    (void)state;
    assert_int_equal(galloc_layout_pad_to_align(L(1, 8)).align, 8);
    assert_int_equal(galloc_layout_pad_to_align(L(9, 8)).align, 8);
    assert_int_equal(galloc_layout_pad_to_align(L(0, 16)).align, 16);
    assert_int_equal(galloc_layout_pad_to_align(L(0, TOP_ALIGN)).align,
                     TOP_ALIGN);
}

static void pad_to_align_largest_valid_size_rounds_to_ptrdiff_max_plus_one_minus_align(
    void **state) {
    (void)state;
    for (size_t a = 1; a != 0; a <<= 1) {
        galloc_layout p = galloc_layout_pad_to_align(L(LARGEST(a), a));
        expect_layout(p, PMAX + 1 - a, a, "pad largest", __FILE__, __LINE__);
        assert_true(p.size <= PMAX);
        assert_int_equal(galloc_layout_validate(p), GALLOC_OK);
        if (a >= 2 && a < TOP_ALIGN) {
            /* One past the previous multiple rounds up to the same value. */
            p = galloc_layout_pad_to_align(L(PMAX + 1 - 2 * a + 1, a));
            expect_layout(p, PMAX + 1 - a, a, "pad largest-a+1", __FILE__,
                          __LINE__);
        }
    }
    assert_int_equal(galloc_layout_pad_to_align(L(PMAX, 1)).size, PMAX);
    assert_int_equal(galloc_layout_pad_to_align(L(PMAX - 7, 8)).size,
                     PMAX + 1 - 8);
    assert_int_equal(galloc_layout_pad_to_align(L(PMAX - 14, 8)).size,
                     PMAX + 1 - 8);
    assert_int_equal(galloc_layout_pad_to_align(L(PMAX - 4095, 4096)).size,
                     PMAX + 1 - 4096);
}

static void pad_to_align_returns_invalid_layout_unchanged(void **state) {
    (void)state;
    static const galloc_layout invalid[] = {
        {0, 0},
        {5, 0},
        {(size_t)PTRDIFF_MAX + 1, 0},
        {9, 3},
        {5, 6},
        {1, 48},
        {5, SIZE_MAX},
        {SIZE_MAX, 0},
        {SIZE_MAX, 1},
        {(size_t)PTRDIFF_MAX + 1, 1},
        {(size_t)PTRDIFF_MAX - 6, 8},
        {(size_t)PTRDIFF_MAX, 4096},
        {1, (SIZE_MAX >> 1) + 1},
    };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        galloc_layout p = galloc_layout_pad_to_align(invalid[i]);
        assert_int_not_equal(galloc_layout_validate(invalid[i]), GALLOC_OK);
        expect_layout(p, invalid[i].size, invalid[i].align, "pad invalid",
                      __FILE__, __LINE__);
    }
}

static void pad_to_align_is_idempotent(void **state) {
    (void)state;
    galloc_layout once = galloc_layout_pad_to_align(L(9, 8));
    galloc_layout twice = galloc_layout_pad_to_align(once);
    assert_int_equal(once.size, 16);
    assert_int_equal(twice.size, 16);
    assert_int_equal(twice.align, 8);
}

/* ========================================================================
 * galloc_layout_array
 * ===================================================================== */

static void array_pads_element_to_its_alignment_then_multiplies(void **state) {
    (void)state;
    CHECK_ARRAY_OK(L(3, 4), 5, 20);
    CHECK_ARRAY_OK(L(5, 8), 3, 24);
    CHECK_ARRAY_OK(L(8, 8), 3, 24);
    CHECK_ARRAY_OK(L(7, 1), 3, 21);
    CHECK_ARRAY_OK(L(1, 4096), 2, 8192);
    CHECK_ARRAY_OK(L(3, 4), 1, 4); /* even one element is padded */
}

static void array_of_zero_elements_has_size_zero(void **state) {
    (void)state;
    CHECK_ARRAY_OK(L(3, 4), 0, 0);
    CHECK_ARRAY_OK(L(1, 1), 0, 0);
    CHECK_ARRAY_OK(L(PMAX, 1), 0, 0);
    CHECK_ARRAY_OK(L(PMAX - 4095, 4096), 0, 0);
    CHECK_ARRAY_OK(L(0, TOP_ALIGN), 0, 0);
}

static void array_of_zero_size_elements_has_size_zero_for_any_n(void **state) {
    (void)state;
    CHECK_ARRAY_OK(L(0, 1), SIZE_MAX, 0);
    CHECK_ARRAY_OK(L(0, 16), SIZE_MAX, 0);
    CHECK_ARRAY_OK(L(0, TOP_ALIGN), SIZE_MAX, 0);
}

static void array_overflow_is_an_error_and_leaves_out_untouched(void **state) {
    (void)state;
    CHECK_ARRAY_FAILS(L(2, 1), SIZE_MAX / 2 + 1, GALLOC_EOVERFLOW);
    CHECK_ARRAY_FAILS(L(2, 2), SIZE_MAX, GALLOC_EOVERFLOW);
    CHECK_ARRAY_FAILS(L(3, 4), SIZE_MAX / 4 + 1, GALLOC_EOVERFLOW);
    CHECK_ARRAY_FAILS(L(PMAX, 1), 3, GALLOC_EOVERFLOW);
    CHECK_ARRAY_FAILS(L(PMAX, 1), SIZE_MAX, GALLOC_EOVERFLOW);
    CHECK_ARRAY_FAILS(L(TOP_ALIGN >> 1, TOP_ALIGN >> 1), 4, GALLOC_EOVERFLOW);
    CHECK_ARRAY_FAILS(L(4096, 4096), (SIZE_MAX >> 12) + 1, GALLOC_EOVERFLOW);
}

static void array_overflow_is_detected_on_the_padded_element(void **state) {
    (void)state;
    /* 5 * 2^(bits-3) fits size_t, but the padded stride 8 * 2^(bits-3)
     * does not. */
    size_t n = SIZE_MAX / 8 + 1;
    assert_true(n <= SIZE_MAX / 5);
    CHECK_ARRAY_FAILS(L(5, 8), n, GALLOC_EOVERFLOW);
}

static void array_product_fitting_size_t_but_above_largest_size_gives_esize(
    void **state) {
    (void)state;
    CHECK_ARRAY_FAILS(L(1, 1), PMAX + 1, GALLOC_ESIZE);
    CHECK_ARRAY_FAILS(L(1, 1), SIZE_MAX, GALLOC_ESIZE);
    CHECK_ARRAY_FAILS(L(2, 1), SIZE_MAX / 2, GALLOC_ESIZE);
    CHECK_ARRAY_FAILS(L(PMAX, 1), 2, GALLOC_ESIZE);
    CHECK_ARRAY_FAILS(L(3, 4), SIZE_MAX / 4, GALLOC_ESIZE);
    CHECK_ARRAY_FAILS(L(3, 4), (PMAX - 3) / 4 + 1, GALLOC_ESIZE);
    CHECK_ARRAY_FAILS(L(8, 8), (PMAX - 7) / 8 + 1, GALLOC_ESIZE);
    CHECK_ARRAY_FAILS(L(16, 16), (PMAX - 15) / 16 + 1, GALLOC_ESIZE);
    CHECK_ARRAY_FAILS(L(4096, 4096), (PMAX - 4095) / 4096 + 1, GALLOC_ESIZE);
    CHECK_ARRAY_FAILS(L(TOP_ALIGN >> 1, TOP_ALIGN >> 1), 2, GALLOC_ESIZE);
    CHECK_ARRAY_FAILS(L(TOP_ALIGN >> 1, TOP_ALIGN >> 1), 3, GALLOC_ESIZE);
}

static void array_product_equal_to_largest_valid_size_succeeds(void **state) {
    (void)state;
    CHECK_ARRAY_OK(L(1, 1), PMAX, PMAX);
    CHECK_ARRAY_OK(L(3, 4), (PMAX - 3) / 4, PMAX - 3);
    CHECK_ARRAY_OK(L(8, 8), (PMAX - 7) / 8, PMAX - 7);
    CHECK_ARRAY_OK(L(5, 8), (PMAX - 7) / 8, PMAX - 7);
    CHECK_ARRAY_OK(L(16, 16), (PMAX - 15) / 16, PMAX - 15);
    CHECK_ARRAY_OK(L(4096, 4096), (PMAX - 4095) / 4096, PMAX - 4095);
    CHECK_ARRAY_OK(L(TOP_ALIGN >> 1, TOP_ALIGN >> 1), 1, TOP_ALIGN >> 1);
    CHECK_ARRAY_OK(L(PMAX, 1), 1, PMAX);
}

static void array_invalid_element_gives_its_code_and_leaves_out_untouched(
    void **state) {
    (void)state;
    static const size_t ns[] = {0, 1, 2, SIZE_MAX};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        CHECK_ARRAY_FAILS(L(1, 0), ns[i], GALLOC_EALIGN);
        CHECK_ARRAY_FAILS(L(4, 3), ns[i], GALLOC_EALIGN);
        CHECK_ARRAY_FAILS(L(0, 48), ns[i], GALLOC_EALIGN);
        CHECK_ARRAY_FAILS(L(0, SIZE_MAX), ns[i], GALLOC_EALIGN);
        CHECK_ARRAY_FAILS(L(PMAX - 6, 8), ns[i], GALLOC_ESIZE);
        CHECK_ARRAY_FAILS(L(PMAX + 1, 1), ns[i], GALLOC_ESIZE);
        CHECK_ARRAY_FAILS(L(SIZE_MAX, 1), ns[i], GALLOC_ESIZE);
        CHECK_ARRAY_FAILS(L(1, TOP_ALIGN), ns[i], GALLOC_ESIZE);
    }
}

static void array_with_null_out_gives_enull_for_valid_input(void **state) {
    (void)state;
    assert_int_equal(galloc_layout_array(L(3, 4), 5, NULL), GALLOC_ENULL);
    assert_int_equal(galloc_layout_array(L(3, 4), 0, NULL), GALLOC_ENULL);
    assert_int_equal(galloc_layout_array(L(1, 1), PMAX, NULL), GALLOC_ENULL);
}

/* ========================================================================
 * galloc_layout_extend
 * ===================================================================== */

struct cds {
    char c;
    double d;
    short s;
};

static void extend_builds_char_double_short_struct_like_the_compiler(
    void **state) {
    (void)state;
    galloc_layout l = {0, 1};
    size_t off = OFFSET_SENTINEL;

    assert_int_equal(galloc_layout_extend(l, GALLOC_LAYOUT_OF(char), &l, &off),
                     GALLOC_OK);
    assert_int_equal(off, offsetof(struct cds, c));
    assert_int_equal(l.size, offsetof(struct cds, c) + sizeof(char));
    assert_int_equal(l.align, _Alignof(char));

    assert_int_equal(
        galloc_layout_extend(l, GALLOC_LAYOUT_OF(double), &l, &off), GALLOC_OK);
    assert_int_equal(off, offsetof(struct cds, d));
    assert_int_equal(l.size, offsetof(struct cds, d) + sizeof(double));

    assert_int_equal(galloc_layout_extend(l, GALLOC_LAYOUT_OF(short), &l, &off),
                     GALLOC_OK);
    assert_int_equal(off, offsetof(struct cds, s));
    /* No trailing padding yet: the layout ends right after s. */
    assert_int_equal(l.size, offsetof(struct cds, s) + sizeof(short));
    assert_int_equal(l.align, _Alignof(struct cds));

    l = galloc_layout_pad_to_align(l);
    assert_int_equal(l.size, sizeof(struct cds));
    assert_int_equal(l.align, _Alignof(struct cds));
}

struct pair {
    short x;
    char y;
};

struct mixed {
    char a;
    struct pair p;
    int i;
    max_align_t m;
    char tail[3];
    long long ll;
    char last;
};

/* Appends a field of type T to layout l and checks that its offset and the
 * new (unpadded) end match member of struct S. */
#define APPEND(l, T, member, S)                                                \
    do {                                                                       \
        size_t off_ = OFFSET_SENTINEL;                                         \
        assert_int_equal(galloc_layout_extend((l), GALLOC_LAYOUT_OF(T), &(l),  \
                                              &off_),                          \
                         GALLOC_OK);                                           \
        assert_int_equal(off_, offsetof(S, member));                           \
        assert_int_equal((l).size, offsetof(S, member) + sizeof(T));           \
    } while (0)

static void extend_builds_nested_struct_with_max_align_t_like_the_compiler(
    void **state) {
    (void)state;
    galloc_layout pair = {0, 1};
    APPEND(pair, short, x, struct pair);
    APPEND(pair, char, y, struct pair);
    pair = galloc_layout_pad_to_align(pair);
    assert_int_equal(pair.size, sizeof(struct pair));
    assert_int_equal(pair.align, _Alignof(struct pair));

    galloc_layout l = {0, 1};
    size_t off = OFFSET_SENTINEL;
    APPEND(l, char, a, struct mixed);
    assert_int_equal(galloc_layout_extend(l, pair, &l, &off), GALLOC_OK);
    assert_int_equal(off, offsetof(struct mixed, p));
    APPEND(l, int, i, struct mixed);
    APPEND(l, max_align_t, m, struct mixed);
    APPEND(l, char[3], tail, struct mixed);
    APPEND(l, long long, ll, struct mixed);
    APPEND(l, char, last, struct mixed);
    assert_int_equal(l.align, _Alignof(struct mixed));

    l = galloc_layout_pad_to_align(l);
    assert_int_equal(l.size, sizeof(struct mixed));
    assert_int_equal(l.align, _Alignof(struct mixed));
}

static void extend_accepts_null_offset(void **state) {
    (void)state;
    galloc_layout out = SENTINEL;
    assert_int_equal(galloc_layout_extend(L(1, 1), L(4, 4), &out, NULL),
                     GALLOC_OK);
    assert_int_equal(out.size, 8);
    assert_int_equal(out.align, 4);
}

static void extend_result_alignment_is_the_larger_of_the_two(void **state) {
    (void)state;
    CHECK_EXTEND_OK(L(1, 1), L(1, 8), 8, 9, 8);
    CHECK_EXTEND_OK(L(1, 8), L(1, 1), 1, 2, 8);
    CHECK_EXTEND_OK(L(4, 4), L(4, 4), 4, 8, 4);
    CHECK_EXTEND_OK(L(0, 16), L(0, 4096), 0, 0, 4096);
    CHECK_EXTEND_OK(L(0, 4096), L(0, 16), 0, 0, 4096);
    CHECK_EXTEND_OK(L(0, 1), L(0, TOP_ALIGN), 0, 0, TOP_ALIGN);
    CHECK_EXTEND_OK(L(0, TOP_ALIGN), L(0, 1), 0, 0, TOP_ALIGN);
}

static void extend_adds_no_trailing_padding(void **state) {
    (void)state;
    CHECK_EXTEND_OK(L(1, 1), L(1, 1), 1, 2, 1);
    CHECK_EXTEND_OK(L(4, 4), L(1, 1), 4, 5, 4);
    CHECK_EXTEND_OK(L(8, 8), L(2, 2), 8, 10, 8);
    CHECK_EXTEND_OK(L(1, 16), L(0, 1), 1, 1, 16);
}

static void extend_places_field_at_next_multiple_of_its_alignment(
    void **state) {
    (void)state;
    CHECK_EXTEND_OK(L(0, 1), L(8, 8), 0, 8, 8);
    CHECK_EXTEND_OK(L(1, 1), L(4, 4), 4, 8, 4);
    CHECK_EXTEND_OK(L(4, 4), L(4, 4), 4, 8, 4);
    CHECK_EXTEND_OK(L(5, 1), L(0, 16), 16, 16, 16);
    CHECK_EXTEND_OK(L(16, 16), L(1, 16), 16, 17, 16);
    CHECK_EXTEND_OK(L(17, 1), L(3, 4096), 4096, 4099, 4096);
    CHECK_EXTEND_OK(L(4096, 1), L(3, 4096), 4096, 4099, 4096);
}

static void extend_largest_valid_result_succeeds(void **state) {
    (void)state;
    CHECK_EXTEND_OK(L(PMAX - 1, 1), L(1, 1), PMAX - 1, PMAX, 1);
    CHECK_EXTEND_OK(L(PMAX, 1), L(0, 1), PMAX, PMAX, 1);
    CHECK_EXTEND_OK(L(PMAX - 1, 1), L(0, 2), PMAX - 1, PMAX - 1, 2);
    CHECK_EXTEND_OK(L(0, 1), L(PMAX, 1), 0, PMAX, 1);
    CHECK_EXTEND_OK(L(1, 1), L(PMAX - 31, 16), 16, PMAX - 15, 16);
    CHECK_EXTEND_OK(L(PMAX - 7, 8), L(0, 1), PMAX - 7, PMAX - 7, 8);
    CHECK_EXTEND_OK(L(PMAX - 4096 - 4095, 4096), L(4096, 4096),
                    PMAX + 1 - 8192, PMAX - 4095, 4096);
    CHECK_EXTEND_OK(L(0, 1), L(0, TOP_ALIGN), 0, 0, TOP_ALIGN);
    CHECK_EXTEND_OK(L(TOP_ALIGN >> 2, 1), L(TOP_ALIGN >> 2, TOP_ALIGN >> 2),
                    TOP_ALIGN >> 2, TOP_ALIGN >> 1, TOP_ALIGN >> 2);
}

static void extend_result_above_largest_valid_size_gives_esize_and_leaves_outputs_untouched(
    void **state) {
    (void)state;
    CHECK_EXTEND_FAILS(L(PMAX, 1), L(1, 1), GALLOC_ESIZE);
    CHECK_EXTEND_FAILS(L(8, 1), L(PMAX - 15, 16), GALLOC_ESIZE);
    /* Size <= PTRDIFF_MAX, but not once rounded up to the combined align. */
    CHECK_EXTEND_FAILS(L(1, 1), L(PMAX - 16, 16), GALLOC_ESIZE);
    CHECK_EXTEND_FAILS(L(PMAX - 7, 8), L(1, 1), GALLOC_ESIZE);
    CHECK_EXTEND_FAILS(L(PMAX - 2, 1), L(1, 2), GALLOC_ESIZE);
}

static void extend_padded_offset_past_ptrdiff_max_gives_esize(void **state) {
    (void)state;
    /* The field's offset itself, base.size rounded up to next.align, is
     * already beyond PTRDIFF_MAX (but within size_t). */
    CHECK_EXTEND_FAILS(L(PMAX, 1), L(0, 2), GALLOC_ESIZE);
    CHECK_EXTEND_FAILS(L(PMAX, 1), L(0, TOP_ALIGN), GALLOC_ESIZE);
    CHECK_EXTEND_FAILS(L(1, 1), L(0, TOP_ALIGN), GALLOC_ESIZE);
    CHECK_EXTEND_FAILS(L(PMAX, 1), L(TOP_ALIGN >> 1, TOP_ALIGN >> 1),
                       GALLOC_ESIZE);
    CHECK_EXTEND_FAILS(L(PMAX - 4095, 4096), L(0, TOP_ALIGN), GALLOC_ESIZE);
}

/*
 * For valid inputs an addition in extend cannot overflow size_t:
 * base.size <= PTRDIFF_MAX and next.align - 1 <= PTRDIFF_MAX, so the
 * rounding sum is <= SIZE_MAX - 1; the padded offset is <= PTRDIFF_MAX + 1
 * and next.size <= PTRDIFF_MAX + 1 - next.align, so the end is <= SIZE_MAX.
 * The extremes are therefore GALLOC_ESIZE, never GALLOC_EOVERFLOW.
 */
static void extend_extreme_valid_inputs_cannot_overflow_and_give_esize(
    void **state) {
    (void)state;
    /* field + next.size = SIZE_MAX - 1 */
    CHECK_EXTEND_FAILS(L(PMAX, 1), L(PMAX, 1), GALLOC_ESIZE);
    /* base.size + mask = SIZE_MAX - 1, padded offset PTRDIFF_MAX + 1 */
    CHECK_EXTEND_FAILS(L(PMAX, 1), L(0, TOP_ALIGN), GALLOC_ESIZE);
    /* offset PTRDIFF_MAX + 1, end SIZE_MAX + 1 - 2^(bits-2) */
    CHECK_EXTEND_FAILS(L(PMAX, 1), L(TOP_ALIGN >> 1, TOP_ALIGN >> 1),
                       GALLOC_ESIZE);
    /* offset PTRDIFF_MAX + 1, end SIZE_MAX - 1 */
    CHECK_EXTEND_FAILS(L(PMAX, 1), L(PMAX - 1, 2), GALLOC_ESIZE);

    /* Every pair of alignments, both sizes at their largest. */
    size_t checked = 0;
    for (size_t ba = 1; ba != 0; ba <<= 1) {
        for (size_t na = 1; na != 0; na <<= 1) {
            galloc_layout base = L(LARGEST(ba), ba);
            galloc_layout next = L(LARGEST(na), na);
            galloc_layout out = SENTINEL;
            size_t off = OFFSET_SENTINEL;
            int rc = galloc_layout_extend(base, next, &out, &off);
            if (rc != GALLOC_OK && rc != GALLOC_ESIZE)
                print_message("  base={%#llx,%#llx} next={%#llx,%#llx} rc=%d\n",
                              (unsigned long long)base.size,
                              (unsigned long long)base.align,
                              (unsigned long long)next.size,
                              (unsigned long long)next.align, rc);
            assert_true(rc == GALLOC_OK || rc == GALLOC_ESIZE);
            if (rc == GALLOC_OK) {
                /* Only possible when both sizes are 0 (both aligns top). */
                assert_int_equal(galloc_layout_validate(out), GALLOC_OK);
                assert_int_equal(out.size, off + next.size);
                assert_int_equal(off % na, 0);
                assert_true(off >= base.size);
                assert_int_equal(out.align, ba > na ? ba : na);
            } else {
                assert_memory_equal(&out, &SENTINEL, sizeof out);
                assert_int_equal(off, OFFSET_SENTINEL);
            }
            checked++;
        }
    }
    assert_int_equal(checked,
                     (sizeof(size_t) * CHAR_BIT) * (sizeof(size_t) * CHAR_BIT));
}

static void extend_invalid_input_gives_its_code_and_leaves_outputs_untouched(
    void **state) {
    (void)state;
    /* invalid base */
    CHECK_EXTEND_FAILS(L(0, 0), L(1, 1), GALLOC_EALIGN);
    CHECK_EXTEND_FAILS(L(1, 3), L(1, 1), GALLOC_EALIGN);
    CHECK_EXTEND_FAILS(L(1, 48), L(1, 1), GALLOC_EALIGN);
    CHECK_EXTEND_FAILS(L(1, SIZE_MAX), L(1, 1), GALLOC_EALIGN);
    CHECK_EXTEND_FAILS(L(PMAX - 6, 8), L(0, 1), GALLOC_ESIZE);
    CHECK_EXTEND_FAILS(L(PMAX + 1, 1), L(0, 1), GALLOC_ESIZE);
    CHECK_EXTEND_FAILS(L(SIZE_MAX, 1), L(0, 1), GALLOC_ESIZE);
    CHECK_EXTEND_FAILS(L(1, TOP_ALIGN), L(0, 1), GALLOC_ESIZE);
    /* invalid next */
    CHECK_EXTEND_FAILS(L(1, 1), L(1, 0), GALLOC_EALIGN);
    CHECK_EXTEND_FAILS(L(1, 1), L(1, 6), GALLOC_EALIGN);
    CHECK_EXTEND_FAILS(L(0, 1), L(0, SIZE_MAX), GALLOC_EALIGN);
    CHECK_EXTEND_FAILS(L(1, 1), L(PMAX - 14, 16), GALLOC_ESIZE);
    CHECK_EXTEND_FAILS(L(0, 1), L(PMAX + 1, 1), GALLOC_ESIZE);
    CHECK_EXTEND_FAILS(L(0, 1), L(SIZE_MAX, 1), GALLOC_ESIZE);
    CHECK_EXTEND_FAILS(L(0, 1), L(1, TOP_ALIGN), GALLOC_ESIZE);
}

static void extend_with_null_out_gives_enull_and_leaves_offset_untouched(
    void **state) {
    (void)state;
    size_t off = OFFSET_SENTINEL;
    assert_int_equal(galloc_layout_extend(L(1, 1), L(4, 4), NULL, &off),
                     GALLOC_ENULL);
    assert_int_equal(off, OFFSET_SENTINEL);
    assert_int_equal(galloc_layout_extend(L(0, 1), L(0, 1), NULL, NULL),
                     GALLOC_ENULL);
    assert_int_equal(galloc_layout_extend(L(PMAX, 1), L(0, 1), NULL, &off),
                     GALLOC_ENULL);
    assert_int_equal(off, OFFSET_SENTINEL);
}

/* ========================================================================
 * GALLOC_LAYOUT_OF
 * ===================================================================== */

static void layout_of_matches_sizeof_and_alignof(void **state) {
    (void)state;
    galloc_layout c = GALLOC_LAYOUT_OF(char);
    galloc_layout d = GALLOC_LAYOUT_OF(double);
    galloc_layout s = GALLOC_LAYOUT_OF(struct cds);
    galloc_layout m = GALLOC_LAYOUT_OF(max_align_t);
    galloc_layout a = GALLOC_LAYOUT_OF(char[3]);

    assert_int_equal(c.size, 1);
    assert_int_equal(c.align, 1);
    assert_int_equal(d.size, sizeof(double));
    assert_int_equal(d.align, _Alignof(double));
    assert_int_equal(s.size, sizeof(struct cds));
    assert_int_equal(s.align, _Alignof(struct cds));
    assert_int_equal(m.size, sizeof(max_align_t));
    assert_int_equal(m.align, _Alignof(max_align_t));
    assert_int_equal(a.size, 3);
    assert_int_equal(a.align, 1);

    assert_int_equal(galloc_layout_validate(c), GALLOC_OK);
    assert_int_equal(galloc_layout_validate(d), GALLOC_OK);
    assert_int_equal(galloc_layout_validate(s), GALLOC_OK);
    assert_int_equal(galloc_layout_validate(m), GALLOC_OK);
    /* A type's size is already a multiple of its alignment. */
    assert_int_equal(galloc_layout_pad_to_align(s).size, s.size);
    assert_int_equal(galloc_layout_pad_to_align(m).size, m.size);
}

/* ========================================================================
 * galloc_strerror
 * ===================================================================== */

static void strerror_gives_distinct_non_empty_string_for_every_code(
    void **state) {
    (void)state;
    static const int codes[] = {GALLOC_OK, GALLOC_EALIGN, GALLOC_ESIZE,
                                GALLOC_EOVERFLOW, GALLOC_ENULL};
    const size_t n = sizeof codes / sizeof codes[0];
    const char *unknown = galloc_strerror(999);
    assert_non_null(unknown);
    for (size_t i = 0; i < n; i++) {
        const char *s = galloc_strerror(codes[i]);
        assert_non_null(s);
        assert_true(s[0] != '\0');
        assert_string_not_equal(s, unknown);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(s, galloc_strerror(codes[j]));
    }
}

static void strerror_gives_unknown_error_string_for_unknown_codes(
    void **state) {
    (void)state;
    static const int unknown[] = {-1, 5, 999, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *s = galloc_strerror(unknown[i]);
        assert_non_null(s);
        assert_string_equal(s, "unknown galloc error");
    }
}

/* ======================================================================== */

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(from_size_align_rejects_align_zero),
        cmocka_unit_test(from_size_align_accepts_align_one_and_two),
        cmocka_unit_test(from_size_align_rejects_non_power_of_two_aligns),
        cmocka_unit_test(
            from_size_align_rejects_every_align_above_half_the_address_space),
        cmocka_unit_test(
            from_size_align_accepts_every_power_of_two_align_with_size_zero),
        cmocka_unit_test(
            from_size_align_accepts_top_bit_align_only_with_size_zero),
        cmocka_unit_test(from_size_align_reports_ealign_before_esize),
        cmocka_unit_test(from_size_align_accepts_size_zero_for_every_align),
        cmocka_unit_test(
            from_size_align_accepts_largest_size_ptrdiff_max_minus_align_minus_one),
        cmocka_unit_test(
            from_size_align_rejects_one_past_largest_size_with_esize),
        cmocka_unit_test(
            from_size_align_accepts_ptrdiff_max_only_with_align_one),
        cmocka_unit_test(
            from_size_align_rejects_sizes_above_ptrdiff_max_with_esize),
        cmocka_unit_test(from_size_align_leaves_out_untouched_on_every_failure),
        cmocka_unit_test(
            from_size_align_with_null_out_gives_enull_for_valid_input),
        cmocka_unit_test(from_size_align_with_null_out_and_invalid_input_fails),
        cmocka_unit_test(pad_to_align_rounds_size_up_to_a_multiple_of_align),
        cmocka_unit_test(pad_to_align_keeps_the_alignment),
        cmocka_unit_test(
            pad_to_align_largest_valid_size_rounds_to_ptrdiff_max_plus_one_minus_align),
        cmocka_unit_test(pad_to_align_returns_invalid_layout_unchanged),
        cmocka_unit_test(pad_to_align_is_idempotent),
        cmocka_unit_test(array_pads_element_to_its_alignment_then_multiplies),
        cmocka_unit_test(array_of_zero_elements_has_size_zero),
        cmocka_unit_test(array_of_zero_size_elements_has_size_zero_for_any_n),
        cmocka_unit_test(array_overflow_is_an_error_and_leaves_out_untouched),
        cmocka_unit_test(array_overflow_is_detected_on_the_padded_element),
        cmocka_unit_test(
            array_product_fitting_size_t_but_above_largest_size_gives_esize),
        cmocka_unit_test(array_product_equal_to_largest_valid_size_succeeds),
        cmocka_unit_test(
            array_invalid_element_gives_its_code_and_leaves_out_untouched),
        cmocka_unit_test(array_with_null_out_gives_enull_for_valid_input),
        cmocka_unit_test(
            extend_builds_char_double_short_struct_like_the_compiler),
        cmocka_unit_test(
            extend_builds_nested_struct_with_max_align_t_like_the_compiler),
        cmocka_unit_test(extend_accepts_null_offset),
        cmocka_unit_test(extend_result_alignment_is_the_larger_of_the_two),
        cmocka_unit_test(extend_adds_no_trailing_padding),
        cmocka_unit_test(extend_places_field_at_next_multiple_of_its_alignment),
        cmocka_unit_test(extend_largest_valid_result_succeeds),
        cmocka_unit_test(
            extend_result_above_largest_valid_size_gives_esize_and_leaves_outputs_untouched),
        cmocka_unit_test(extend_padded_offset_past_ptrdiff_max_gives_esize),
        cmocka_unit_test(
            extend_extreme_valid_inputs_cannot_overflow_and_give_esize),
        cmocka_unit_test(
            extend_invalid_input_gives_its_code_and_leaves_outputs_untouched),
        cmocka_unit_test(
            extend_with_null_out_gives_enull_and_leaves_offset_untouched),
        cmocka_unit_test(layout_of_matches_sizeof_and_alignof),
        cmocka_unit_test(strerror_gives_distinct_non_empty_string_for_every_code),
        cmocka_unit_test(strerror_gives_unknown_error_string_for_unknown_codes),
    };
    return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
