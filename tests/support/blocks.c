#include "blocks.h"

#include <stdint.h>
#include <string.h>

bool is_aligned(const void *ptr, size_t align) {
    return ((uintptr_t)ptr & (align - 1)) == 0;
}

static unsigned char pattern_byte(size_t offset, unsigned seed) {
    /* Varies within a page and across pages so shifted data is noticed. */
    return (unsigned char)((offset * 131u) ^ (offset >> 8) ^ (seed * 29u + 7u));
}

/*
 * Large blocks (the suite fills and checks blocks of tens of MiB, also under
 * Valgrind and the sanitizers) go 256 bytes at a time: within a 256-aligned
 * chunk, offset * 131 mod 256 depends only on the offset within the chunk
 * and offset >> 8 is constant, so the chunk's pattern is one fixed row XORed
 * with one byte, word by word, then copied or compared with memcpy/memcmp.
 * Byte for byte the same pattern as pattern_byte().
 */
enum { CHUNK = 256, SMALL = 4 * CHUNK };

typedef struct pattern_rows {
    unsigned char base[CHUNK]; /* (j * 131) mod 256 */
    unsigned char row[CHUNK];  /* the current chunk's pattern */
} pattern_rows;

static void rows_init(pattern_rows *r) {
    for (unsigned j = 0; j < CHUNK; j++)
        r->base[j] = (unsigned char)(j * 131u);
}

static void rows_for_chunk(pattern_rows *r, size_t chunk_start, unsigned seed) {
    uint64_t k = UINT64_C(0x0101010101010101) *
                 (unsigned char)((chunk_start >> 8) ^ (seed * 29u + 7u));
    for (size_t w = 0; w < CHUNK; w += 8) {
        uint64_t v;
        memcpy(&v, r->base + w, 8);
        v ^= k;
        memcpy(r->row + w, &v, 8);
    }
}

/* Walks [from, to) of a block chunk by chunk, handing each piece and its
 * pattern to `piece`; stops at the first piece it rejects and returns that
 * piece's start, or `to`.  Filling and checking differ only in the piece. */
typedef bool (*piece_fn)(unsigned char *at, const unsigned char *pattern, size_t n);

static size_t by_chunks(unsigned char *bytes, size_t from, size_t to, unsigned seed,
                        piece_fn piece) {
    pattern_rows r;
    rows_init(&r);
    for (size_t chunk = from - from % CHUNK; chunk < to; chunk += CHUNK) {
        size_t lo = chunk < from ? from : chunk;
        size_t hi = chunk + CHUNK > to ? to : chunk + CHUNK;
        rows_for_chunk(&r, chunk, seed);
        if (!piece(bytes + lo, r.row + (lo - chunk), hi - lo))
            return lo;
    }
    return to;
}

static bool copy_piece(unsigned char *at, const unsigned char *pattern, size_t n) {
    memcpy(at, pattern, n);
    return true;
}

static bool same_piece(unsigned char *at, const unsigned char *pattern, size_t n) {
    return memcmp(at, pattern, n) == 0;
}

void fill_pattern_range(void *block, size_t from, size_t to, unsigned seed) {
    unsigned char *bytes = block;
    if (to - from >= SMALL) {
        by_chunks(bytes, from, to, seed, copy_piece);
        return;
    }
    for (size_t i = from; i < to; i++)
        bytes[i] = pattern_byte(i, seed);
}

size_t pattern_mismatch(const void *block, size_t from, size_t to, unsigned seed,
                        unsigned char *expected) {
    const unsigned char *bytes = block;
    size_t i = from;
    /* Large ranges are compared a chunk at a time; the byte loop then finds
     * the first difference in the chunk that differs (same_piece only reads,
     * hence the cast). */
    if (to - from >= SMALL)
        i = by_chunks((unsigned char *)(uintptr_t)bytes, from, to, seed, same_piece);
    for (; i < to; i++) {
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
