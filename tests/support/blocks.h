/*
 * blocks.h - helpers for checking blocks: alignment, contents, zeroing.
 * Free of CMocka, so that the fuzz harness (tests/fuzz/) shares them with
 * the CMocka tests.
 */
#ifndef GALLOC_TEST_BLOCKS_H
#define GALLOC_TEST_BLOCKS_H

#include "galloc.h"

#include <stdbool.h>
#include <stddef.h>

/* True if ptr is a multiple of align. */
bool is_aligned(const void *ptr, size_t align);

/* Fills size bytes with a pattern that depends on seed and the offset. */
void fill_pattern(void *ptr, size_t size, unsigned seed);

/* True if the first size bytes still hold fill_pattern(seed). */
bool has_pattern(const void *ptr, size_t size, unsigned seed);

/* The same for bytes [from, to) of a block, with the values fill_pattern
 * gives them: a large block can be filled and checked in parts. */
void fill_pattern_range(void *block, size_t from, size_t to, unsigned seed);
bool has_pattern_range(const void *block, size_t from, size_t to, unsigned seed);

/* The offset of the first byte in [from, to) that does not hold the
 * pattern, or `to` if they all do; *expected (if not NULL) gets the byte
 * that should be there. */
size_t pattern_mismatch(const void *block, size_t from, size_t to, unsigned seed,
                        unsigned char *expected);

/* True if size bytes are all zero. */
bool is_all_zero(const void *ptr, size_t size);

/* The layout {size, align}; the tests build invalid ones on purpose. */
galloc_layout layout_of(size_t size, size_t align);

#endif
