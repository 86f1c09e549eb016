#include "testing.h"

bool is_aligned(const void *ptr, size_t align) {
    return ((uintptr_t)ptr & (align - 1)) == 0;
}

static unsigned char pattern_byte(size_t offset, unsigned seed) {
    /* Varies within a page and across pages so shifted data is noticed. */
    return (unsigned char)((offset * 131u) ^ (offset >> 8) ^ (seed * 29u + 7u));
}

void fill_pattern(void *ptr, size_t size, unsigned seed) {
    unsigned char *bytes = ptr;
    for (size_t i = 0; i < size; i++)
        bytes[i] = pattern_byte(i, seed);
}

size_t pattern_mismatch(const void *ptr, size_t size, unsigned seed,
                        unsigned char *expected) {
    const unsigned char *bytes = ptr;
    for (size_t i = 0; i < size; i++) {
        if (bytes[i] != pattern_byte(i, seed)) {
            if (expected != NULL)
                *expected = pattern_byte(i, seed);
            return i;
        }
    }
    return size;
}

bool has_pattern(const void *ptr, size_t size, unsigned seed) {
    return pattern_mismatch(ptr, size, seed, NULL) == size;
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
