/*
 * seeds.c - writes the seed corpus of the fuzz harness (tests/fuzz/corpus),
 * or checks that the committed one is what it writes:
 *
 *     fuzz_seeds write DIR    (re)writes every seed into DIR
 *     fuzz_seeds check DIR    fails if a seed in DIR is missing or differs
 *
 * Each seed is a short scenario in the encoding of fuzz.h, one theme per
 * file and, where the theme applies to every target, one file per target:
 * libFuzzer starts from these and mutates them, so each family of cases
 * (over-alignment, zero sizes, invalid layouts, huge sizes, the glibc-shaped
 * rules of the libc target...) is covered from the first second.
 */
#define _CRT_SECURE_NO_WARNINGS /* MSVC: fopen is what is wanted here */

#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct seed {
    uint8_t bytes[1024];
    size_t len;
} seed;

static void put(seed *s, unsigned byte) {
    if (s->len == sizeof s->bytes) {
        fprintf(stderr, "fuzz_seeds: a seed is longer than %zu bytes\n", sizeof s->bytes);
        exit(1);
    }
    s->bytes[s->len++] = (uint8_t)byte;
}

/* ---------------------------------------------------------------------------
 * The encoding, one field at a time (fuzz.h)
 * ------------------------------------------------------------------------ */

/* A command and its slot; `count` is the libc target's calloc count. */
static void command(seed *s, enum fuzz_op op, enum fuzz_target target, unsigned count,
                    unsigned slot) {
    put(s, (unsigned)op | (unsigned)target << 3 | count << 5);
    if (op != FUZZ_CHECK)
        put(s, slot);
}

/* The align byte for 1 << log2 (0..16). */
static void align_pow2(seed *s, unsigned log2) {
    if (log2 < 5)
        put(s, log2);
    else /* FUZZ_ALIGN_ANY + k gives 1 << ((FUZZ_ALIGN_ANY + k) % 17) */
        put(s, FUZZ_ALIGN_ANY + (log2 + 17 - FUZZ_ALIGN_ANY % 17) % 17);
}

static void align_odd(seed *s, enum fuzz_odd_align number) {
    put(s, FUZZ_ALIGN_ODD | (unsigned)number);
}

/* An ordinary size: one byte, or a 16-bit value, shifted left if need be
 * (never in the range a realloc reads as relative to the old size). */
static void size_plain(seed *s, size_t size) {
    if (size < FUZZ_SIZE_RELATIVE) {
        put(s, (unsigned)size);
        return;
    }
    for (unsigned shift = 0; shift <= 4; shift++) {
        if ((size >> shift) < 65536 && (size >> shift << shift) == size) {
            put(s, shift == 0 ? FUZZ_SIZE_WIDE : FUZZ_SIZE_SHIFTED + shift - 1);
            put(s, (unsigned)(size >> shift) & 0xFF);
            put(s, (unsigned)(size >> shift >> 8));
            return;
        }
    }
    fprintf(stderr, "fuzz_seeds: %zu cannot be encoded\n", size);
    exit(1);
}

static void size_extreme(seed *s, enum fuzz_extreme_size number) {
    put(s, FUZZ_SIZE_EXTREME | (unsigned)number);
}

/* ---------------------------------------------------------------------------
 * Operations: align first, then size, as the harness reads them
 * ------------------------------------------------------------------------ */

static void alloc(seed *s, enum fuzz_target t, unsigned slot, size_t size, unsigned log2) {
    command(s, FUZZ_ALLOC, t, 0, slot);
    align_pow2(s, log2);
    size_plain(s, size);
}

static void zeroed(seed *s, enum fuzz_target t, unsigned slot, size_t size, unsigned log2) {
    command(s, FUZZ_ZEROED, t, 1, slot); /* libc: calloc(1, size) */
    align_pow2(s, log2);
    size_plain(s, size);
}

/* The slot's own alignment is used for a live block: the align byte only
 * matters for an empty slot, or when it is invalid. */
static void resize(seed *s, enum fuzz_target t, unsigned slot, size_t size, unsigned log2) {
    command(s, FUZZ_REALLOC, t, 0, slot);
    align_pow2(s, log2);
    size_plain(s, size);
}

/* A realloc to a size relative to the slot's (fuzz.h: n - 8 for n <= 16,
 * 17 doubles, 18 halves). */
static void resize_by(seed *s, enum fuzz_target t, unsigned slot, unsigned n) {
    command(s, FUZZ_REALLOC, t, 0, slot);
    align_pow2(s, 0);
    put(s, FUZZ_SIZE_RELATIVE + n);
}

static void release(seed *s, enum fuzz_target t, unsigned slot) {
    command(s, FUZZ_DEALLOC, t, 0, slot);
    align_pow2(s, 0);
}

static void check(seed *s) {
    command(s, FUZZ_CHECK, FUZZ_GLOBAL, 0, 0);
}

/* ---------------------------------------------------------------------------
 * The themes
 * ------------------------------------------------------------------------ */

/* alloc, zeroed, grow, shrink, release: the common path. */
static void basic(seed *s, enum fuzz_target t) {
    alloc(s, t, 0, 100, 3);
    zeroed(s, t, 1, 1000, 4);
    resize(s, t, 0, 5000, 3);
    resize(s, t, 1, 10, 4);
    command(s, FUZZ_REFILL, t, 0, 0);
    resize(s, t, 0, 64, 3);
    check(s);
    release(s, t, 0);
    release(s, t, 1);
}

/* Alignments above malloc's, small and large sizes around them, grown and
 * shrunk (the posix_memalign and over-allocated HeapAlloc paths). */
static void overaligned(seed *s, enum fuzz_target t) {
    static const unsigned logs[] = {5, 6, 7, 12, 13, 16};
    static const size_t sizes[] = {1, 64, 4096, 65536, 3000, 17};
    for (unsigned i = 0; i < 6; i++) {
        if (i % 2 == 0)
            alloc(s, t, i, sizes[i], logs[i]);
        else
            zeroed(s, t, i, sizes[i], logs[i]);
    }
    for (unsigned i = 0; i < 6; i++)
        resize(s, t, i, sizes[i] * 2 + 8, 0);
    for (unsigned i = 0; i < 6; i++)
        resize(s, t, i, sizes[i] / 2 + 1, 0);
    check(s);
    /* small alignments with sizes below them: malloc's guarantee is not
     * enough there */
    alloc(s, t, 6, 1, 4);
    alloc(s, t, 7, 8, 4);
    zeroed(s, t, 8, 3, 3);
    resize(s, t, 6, 40, 0);
    resize(s, t, 7, 2, 0);
    check(s);
}

/* Zero sizes: the non-NULL aligned pointer, realloc from it and to it. */
static void zero_size(seed *s, enum fuzz_target t) {
    alloc(s, t, 0, 0, 0);
    alloc(s, t, 1, 0, 6);
    zeroed(s, t, 2, 0, 16);
    resize(s, t, 0, 100, 0);   /* from the zero-size pointer */
    resize(s, t, 1, 0, 0);     /* to 0 from 0 */
    resize(s, t, 2, 4096, 0);  /* over-aligned, from 0 */
    resize(s, t, 2, 0, 0);     /* back to 0: released */
    resize(s, t, 0, 0, 0);
    release(s, t, 1);          /* a zero-size dealloc does nothing */
    check(s);
}

/* Reallocs by a byte more or less, to the same size, double and half, of
 * blocks aligned beyond malloc's guarantee or beyond their size: where an
 * in-place resize must stop and a copy must be exact. */
static void edges(seed *s, enum fuzz_target t) {
    static const unsigned logs[] = {3, 4, 6, 12, 16};
    static const size_t sizes[] = {7, 16, 100, 4096, 65536};
    static const unsigned steps[] = {9, 7, 8, 17, 18, 0, 16, 9};
    for (unsigned i = 0; i < 5; i++)
        alloc(s, t, i, sizes[i], logs[i]);
    for (unsigned j = 0; j < sizeof steps / sizeof steps[0]; j++)
        for (unsigned i = 0; i < 5; i++)
            resize_by(s, t, i, steps[j]);
    check(s);
}

/* Realloc of empty slots: realloc(NULL, ...) is an allocation. */
static void from_null(seed *s, enum fuzz_target t) {
    resize(s, t, 3, 24, 3);
    resize(s, t, 4, 300, 8);
    resize(s, t, 5, 0, 2);
    resize(s, t, 3, 48, 3);
    release(s, t, 6); /* dealloc(NULL) */
    check(s);
}

/* Invalid alignments and sizes: NULL + EINVAL (or ENOMEM) and nothing
 * allocated; a realloc or dealloc with an invalid layout leaves the block
 * alone. */
static void invalid(seed *s, enum fuzz_target t) {
    for (unsigned n = 0; n < 16; n++) {
        command(s, FUZZ_ALLOC, t, 0, n);
        align_odd(s, (enum fuzz_odd_align)n);
        size_plain(s, 64);
    }
    for (unsigned n = 0; n < 16; n++) {
        if (n == FUZZ_EXT_32M || n == FUZZ_EXT_48M)
            continue; /* possible and large: see large() */
        command(s, FUZZ_ALLOC, t, 0, 16 + n);
        align_pow2(s, n % 7);
        size_extreme(s, (enum fuzz_extreme_size)n);
    }
    alloc(s, t, 0, 200, 4);
    for (unsigned n = 0; n < 16; n++) {
        if (n == FUZZ_ODD_1M || n == FUZZ_ODD_QUARTER)
            continue; /* valid: these would resize */
        command(s, FUZZ_REALLOC, t, 0, 0);
        align_odd(s, (enum fuzz_odd_align)n);
        size_plain(s, 400);
        command(s, FUZZ_DEALLOC, t, 0, 0);
        align_odd(s, (enum fuzz_odd_align)n);
    }
    for (unsigned n = 0; n < 16; n++) {
        if (n == FUZZ_EXT_32M || n == FUZZ_EXT_48M || n == FUZZ_EXT_1M_ODD)
            continue; /* possible: these would succeed */
        command(s, FUZZ_REALLOC, t, 0, 0);
        align_pow2(s, 4);
        size_extreme(s, (enum fuzz_extreme_size)n);
    }
    check(s);
    release(s, t, 0);
}

/* Valid layouts that no one can have, and the edge of validity for each
 * alignment. */
static void huge(seed *s, enum fuzz_target t) {
    for (unsigned log2 = 0; log2 <= 16; log2 += 4) {
        command(s, FUZZ_ALLOC, t, 0, log2);
        align_pow2(s, log2);
        size_extreme(s, FUZZ_EXT_LARGEST_VALID);
        command(s, FUZZ_ZEROED, t, 2, log2 + 1);
        align_pow2(s, log2);
        size_extreme(s, FUZZ_EXT_SMALLEST_INVALID);
    }
    command(s, FUZZ_ALLOC, t, 0, 2);
    align_odd(s, FUZZ_ODD_QUARTER); /* a valid alignment beyond any heap */
    size_plain(s, 8);
    command(s, FUZZ_ALLOC, t, 0, 3);
    align_odd(s, FUZZ_ODD_1M); /* served */
    size_plain(s, 100);
    resize(s, t, 3, 70000, 0);
    check(s);
}

/* Blocks big enough for the platform's large-block paths (glibc's mmap
 * and mremap), over-aligned too. */
static void large(seed *s, enum fuzz_target t) {
    command(s, FUZZ_ALLOC, t, 0, 0);
    align_pow2(s, 6);
    size_extreme(s, FUZZ_EXT_32M);
    command(s, FUZZ_REALLOC, t, 0, 0);
    align_pow2(s, 6);
    size_extreme(s, FUZZ_EXT_48M);
    command(s, FUZZ_ZEROED, t, 1, 1);
    align_pow2(s, 12);
    size_extreme(s, FUZZ_EXT_1M_ODD);
    resize(s, t, 1, 200000, 0);
    resize(s, t, 0, 1000, 0);
    check(s);
}

/* All 32 slots in use at once, resized and refilled in turn. */
static void many(seed *s, enum fuzz_target t) {
    for (unsigned i = 0; i < FUZZ_SLOTS; i++) {
        if (i % 3 == 0)
            zeroed(s, t, i, i * 37 % 191, i % 8);
        else
            alloc(s, t, i, (size_t)i * 977, i % 11);
    }
    for (unsigned i = 0; i < FUZZ_SLOTS; i += 2)
        resize(s, t, i, (size_t)(FUZZ_SLOTS - i) * 301, 0);
    for (unsigned i = 1; i < FUZZ_SLOTS; i += 4)
        command(s, FUZZ_REFILL, t, 0, i);
    check(s);
    for (unsigned i = 0; i < FUZZ_SLOTS; i += 3)
        release(s, t, i);
    check(s);
}

/* The global front end and galloc_allocator_* on &galloc_system are one
 * allocator: blocks go from one to the other.  Slots are also reused by
 * other families. */
static void mixed(seed *s, enum fuzz_target t) {
    (void)t;
    alloc(s, FUZZ_GLOBAL, 0, 100, 6);
    resize(s, FUZZ_SYSTEM, 0, 10000, 0);
    resize(s, FUZZ_GLOBAL, 0, 50, 0);
    release(s, FUZZ_SYSTEM, 0);
    zeroed(s, FUZZ_SYSTEM, 1, 4000, 12);
    resize(s, FUZZ_GLOBAL, 1, 9000, 0);
    alloc(s, FUZZ_CHECKED, 2, 64, 5);
    alloc(s, FUZZ_LIBC, 3, 64, 0);
    alloc(s, FUZZ_CHECKED, 1, 10, 0);  /* replaces a System block */
    alloc(s, FUZZ_GLOBAL, 2, 10, 0);   /* replaces a checked block */
    resize(s, FUZZ_LIBC, 2, 77, 0);    /* stays with the slot's family */
    release(s, FUZZ_CHECKED, 3);       /* the libc block, freed by libc */
    check(s);
}

/* The libc target's own rules: malloc(0) is a unique pointer to free,
 * calloc overflow is ENOMEM, realloc(p, 0) frees, realloc(NULL) mallocs. */
static void libc_rules(seed *s, enum fuzz_target t) {
    (void)t;
    for (unsigned i = 0; i < 6; i++)
        alloc(s, FUZZ_LIBC, i, 0, 0);
    for (unsigned count = 0; count < 8; count++) {
        command(s, FUZZ_ZEROED, FUZZ_LIBC, count, 8 + count);
        align_pow2(s, 0);
        size_plain(s, 1000 + count);
    }
    for (unsigned count = 2; count < 8; count += 2) {
        command(s, FUZZ_ZEROED, FUZZ_LIBC, count, 16 + count);
        align_pow2(s, 0);
        size_extreme(s, FUZZ_EXT_THIRD); /* overflows for count >= 3 */
        command(s, FUZZ_ZEROED, FUZZ_LIBC, count, 17 + count);
        align_pow2(s, 0);
        size_extreme(s, FUZZ_EXT_QUARTER);
    }
    resize(s, FUZZ_LIBC, 0, 100, 0);
    resize(s, FUZZ_LIBC, 1, 0, 0);     /* frees */
    resize(s, FUZZ_LIBC, 30, 500, 0);  /* realloc(NULL) */
    command(s, FUZZ_REALLOC, FUZZ_LIBC, 0, 30);
    align_pow2(s, 0);
    size_extreme(s, FUZZ_EXT_SIZE_MAX); /* fails, block kept */
    release(s, FUZZ_LIBC, 31);          /* free(NULL) */
    check(s);
}

typedef void theme_fn(seed *s, enum fuzz_target t);

static const struct theme {
    const char *name;
    theme_fn *write;
    int per_target; /* one file per target, or one file */
} themes[] = {
    {"basic", basic, 1},         {"overaligned", overaligned, 1},
    {"zero-size", zero_size, 1}, {"from-null", from_null, 1},
    {"invalid", invalid, 1},     {"huge", huge, 1},
    {"large", large, 1},         {"many", many, 1},
    {"edges", edges, 1},
    {"mixed", mixed, 0},         {"libc-rules", libc_rules, 0},
};


/* Writes the seed to path, or (check) compares it with the file there. */
static int emit(const char *path, const seed *s, int check_only) {
    FILE *file = fopen(path, check_only ? "rb" : "wb");
    if (file == NULL) {
        perror(path);
        return -1;
    }
    int ok;
    if (check_only) {
        uint8_t there[sizeof s->bytes + 1];
        size_t n = fread(there, 1, sizeof there, file);
        ok = n == s->len && memcmp(there, s->bytes, n) == 0;
        if (!ok)
            fprintf(stderr, "%s: not what fuzz_seeds writes (run `make fuzz-seeds`)\n", path);
    } else {
        ok = fwrite(s->bytes, 1, s->len, file) == s->len;
        if (!ok)
            perror(path);
    }
    return (fclose(file) == 0 && ok) ? 0 : -1;
}

int main(int argc, char **argv) {
    int check_only = argc == 3 && strcmp(argv[1], "check") == 0;
    if (argc != 3 || (!check_only && strcmp(argv[1], "write") != 0)) {
        fprintf(stderr, "usage: %s write|check DIR\n", argv[0]);
        return 2;
    }
    int failures = 0, files = 0;
    for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++) {
        int targets = themes[i].per_target ? 4 : 1;
        for (int t = 0; t < targets; t++) {
            seed s = {{0}, 0};
            char path[1024];
            themes[i].write(&s, (enum fuzz_target)t);
            if (themes[i].per_target)
                snprintf(path, sizeof path, "%s/%s-%s", argv[2], themes[i].name,
                         fuzz_target_names[t]);
            else
                snprintf(path, sizeof path, "%s/%s", argv[2], themes[i].name);
            failures += emit(path, &s, check_only) != 0;
            files++;
        }
    }
    printf("%s %d seeds in %s: %d %s\n", check_only ? "checked" : "wrote", files, argv[2],
           failures, check_only ? "differ" : "failed");
    return failures == 0 ? 0 : 1;
}
