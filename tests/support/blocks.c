#include "blocks.h"

#include <stdint.h>

bool is_aligned(const void *ptr, size_t align) {
    return ((uintptr_t)ptr & (align - 1)) == 0;
}

static unsigned char pattern_byte(size_t offset, unsigned seed) {
    /* Varies within a page and across pages so shifted data is noticed. */
    return (unsigned char)((offset * 131u) ^ (offset >> 8) ^ (seed * 29u + 7u));
}

void fill_pattern_range(void *block, size_t from, size_t to, unsigned seed) {
    unsigned char *bytes = block;
    for (size_t i = from; i < to; i++)
        bytes[i] = pattern_byte(i, seed);
}

size_t pattern_mismatch(const void *block, size_t from, size_t to, unsigned seed,
                        unsigned char *expected) {
    const unsigned char *bytes = block;
    for (size_t i = from; i < to; i++) {
        if (bytes[i] != pattern_byte(i, seed)) {
            if (expected != NULL)
                *expected = pattern_byte(i, seed);
            return i;
        }
    }
    return to;
}

bool has_pattern_range(const void *block, size_t from, size_t to, unsigned seed) {
    return pattern_mismatch(block, from, to, seed, NULL) == to;
}

void fill_pattern(void *ptr, size_t size, unsigned seed) {
    fill_pattern_range(ptr, 0, size, seed);
}

bool has_pattern(const void *ptr, size_t size, unsigned seed) {
    return has_pattern_range(ptr, 0, size, seed);
}

bool is_all_zero(const void *ptr, size_t size) {
    const unsigned char *bytes = ptr;
    for (size_t i = 0; i < size; i++)
        if (bytes[i] != 0)
            return false;
    return true;
}

galloc_layout layout_of(size_t size, size_t align) {
    galloc_layout layout = {size, align};
    return layout;
}
