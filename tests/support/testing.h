/*
 * testing.h - what every galloc test includes: CMocka and a few helpers for
 * checking blocks.
 */
#ifndef GALLOC_TESTING_H
#define GALLOC_TESTING_H

/* CMocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "galloc.h"

#include <stdbool.h>

/* True if ptr is a multiple of align. */
bool is_aligned(const void *ptr, size_t align);

/* Fills size bytes with a pattern that depends on seed and the offset. */
void fill_pattern(void *ptr, size_t size, unsigned seed);

/* True if the first size bytes still hold fill_pattern(seed). */
bool has_pattern(const void *ptr, size_t size, unsigned seed);

/* The offset of the first of size bytes that does not hold
 * fill_pattern(seed), or size if they all do; *expected (if not NULL) gets
 * the byte that should be there. */
size_t pattern_mismatch(const void *ptr, size_t size, unsigned seed,
                        unsigned char *expected);

/* True if size bytes are all zero. */
bool is_all_zero(const void *ptr, size_t size);

/* The layout {size, align}; the tests build invalid ones on purpose. */
galloc_layout layout_of(size_t size, size_t align);

#endif
