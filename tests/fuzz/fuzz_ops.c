/*
 * fuzz_ops.c - a libFuzzer harness: random sequences of alloc, alloc_zeroed,
 * realloc and dealloc with random layouts, checked against a model.
 *
 * The input encoding is described in fuzz.h.  Each operation goes to one of
 * four targets: the global front end (galloc_alloc...; the global allocator
 * is the System allocator), galloc_allocator_* on &galloc_system, the
 * libc-shaped functions (galloc_libc_*), and a checked allocator over the
 * System allocator.  The model knows, per slot, the block's layout and the
 * seed of its contents, and checks after every operation:
 *
 *   - every block returned is aligned (libc: to 16), does not overlap a
 *     live block, and a zeroed one is all zeros;
 *   - realloc keeps the first min(old, new) bytes, and a failed one leaves
 *     the block as it was;
 *   - a zero-size layout gives a non-NULL aligned pointer and allocates
 *     nothing; realloc to 0 releases; realloc from NULL or size 0 allocates;
 *   - an invalid layout gives NULL + EINVAL, an impossible size NULL +
 *     ENOMEM, and neither allocates; dealloc with an invalid layout does
 *     nothing; dealloc and free never change errno (nor GetLastError);
 *   - the checked allocator reports nothing (the harness never misuses it,
 *     so any report is a bug), its live blocks and bytes are the model's,
 *     its other counters agree, and its guard bytes are intact.
 *
 * A mismatch prints what was expected and aborts: libFuzzer saves the input
 * as a crash-* file, and the plain driver (replay.c) fails its test.
 * Everything is released at the end of each input.
 */
#include "fuzz.h"

#include "support/blocks.h"
#include "support/printf_format.h"

#include <galloc.h>
#include <galloc/checked.h>

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#endif

/* Requests larger than this (or aligned to more than MAX_SERVED_ALIGN) may
 * fail with ENOMEM: the model accepts either outcome, and releases a block
 * it gets at once, untouched.  Smaller ones must succeed. */
#define HUGE_SIZE ((size_t)64 << 20)
#define MAX_SERVED_ALIGN ((size_t)1 << 20)
/* Live memory the model allows at a time (sizes plus alignments), and how
 * many blocks above LARGE one input may ask for: an operation that would
 * go over either is skipped, so that inputs stay fast and far from
 * libFuzzer's RSS limit.  (Under ASan a 32 MiB realloc costs some 100 ms,
 * a small block microseconds; two are enough for glibc's remap path.) */
#define BUDGET ((size_t)160 << 20)
#define LARGE ((size_t)4 << 20)
#define LARGE_PER_INPUT 2
/* What the libc-shaped functions align to (galloc.h). */
#define LIBC_ALIGN 16
/* The errno and GetLastError values a deallocation must leave alone. */
#define KEPT_ERRNO ERANGE
#define KEPT_LAST_ERROR 0x2A2Au

/* The System family is the System allocator's blocks, through the global
 * front end too while the global allocator is System; a program linked with
 * an override (the linux-preload leg links galloc::mimalloc_global and
 * galloc::jemalloc_global) makes the global front end a family of its own. */
enum family { FAMILY_SYSTEM, FAMILY_GLOBAL, FAMILY_LIBC, FAMILY_CHECKED };

typedef struct slot {
    unsigned char *ptr; /* NULL: empty */
    size_t size;        /* 0: the zero-size pointer (galloc), malloc(0) (libc) */
    size_t align;       /* libc: LIBC_ALIGN */
    int target;         /* enum fuzz_target of the last operation on it */
    unsigned seed;      /* the contents are the pattern of this seed (contents()) */
} slot;

/* What a request must give. */
enum expect {
    EXPECT_EINVAL, /* NULL + EINVAL */
    EXPECT_ENOMEM, /* NULL + ENOMEM (libc: an overflowing calloc) */
    EXPECT_EMPTY,  /* the zero-size pointer: non-NULL, aligned, no memory */
    EXPECT_BLOCK,  /* a block */
    EXPECT_MAYBE,  /* a block or NULL + ENOMEM */
    EXPECT_SKIP    /* over the budget: not tried */
};

/* The checked allocator's counters as the model sees them.  A realloc to
 * the same size may be answered by the front end without asking the
 * allocator, so reallocs are known as a range. */
typedef struct checked_model {
    unsigned long long allocs, deallocs, failures;
    unsigned long long reallocs_min, reallocs_max;
    size_t peak_blocks, peak_bytes;
} checked_model;

static struct {
    slot slots[FUZZ_SLOTS];
    size_t charged;   /* what live blocks count against BUDGET */
    unsigned large;   /* requests above LARGE so far */
    unsigned serial;  /* seeds of new contents */
    unsigned long op; /* operations so far, for messages */
    char doing[160]; /* the operation, for messages */
    checked_model model;
    galloc_checked checked;
} fz;

static const char *const op_names[] = {"alloc", "alloc_zeroed", "realloc", "dealloc",
                                       "refill", "check", "alloc", "realloc"};

int fuzz_trace;

/* ---------------------------------------------------------------------------
 * Failing
 * ------------------------------------------------------------------------ */

static PRINTF_FORMAT(1, 2) _Noreturn void mismatch(const char *format, ...) {
    va_list args;
    fprintf(stderr, "fuzz: model mismatch at operation %lu (%s): ", fz.op, fz.doing);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}

/* ---------------------------------------------------------------------------
 * Decoding (fuzz.h)
 * ------------------------------------------------------------------------ */

typedef struct reader {
    const uint8_t *data;
    size_t size, pos;
} reader;

static uint8_t next_byte(reader *in) {
    return in->pos < in->size ? in->data[in->pos++] : 0;
}

static const size_t odd_aligns[16] = {
    [FUZZ_ODD_ZERO] = 0,
    [FUZZ_ODD_3] = 3,
    [FUZZ_ODD_5] = 5,
    [FUZZ_ODD_6] = 6,
    [FUZZ_ODD_12] = 12,
    [FUZZ_ODD_24] = 24,
    [FUZZ_ODD_48] = 48,
    [FUZZ_ODD_100] = 100,
    [FUZZ_ODD_65535] = 65535,
    [FUZZ_ODD_65537] = 65537,
    [FUZZ_ODD_TWO_BITS] = 0x10010,
    [FUZZ_ODD_1M] = (size_t)1 << 20,
    [FUZZ_ODD_PTRDIFF_MAX] = (size_t)PTRDIFF_MAX,
    [FUZZ_ODD_QUARTER] = SIZE_MAX / 4 + 1,
    [FUZZ_ODD_HALF] = SIZE_MAX / 2 + 1,
    [FUZZ_ODD_SIZE_MAX] = SIZE_MAX,
};

static size_t decode_align(reader *in) {
    uint8_t byte = next_byte(in);
    if (byte < FUZZ_ALIGN_ANY)
        return (size_t)1 << (byte % 5);
    if (byte < FUZZ_ALIGN_ODD)
        return (size_t)1 << (byte % 17);
    return odd_aligns[byte & 15];
}

/* The model's own statement of the validity rule (galloc.h), written apart
 * from the library's; every use also checks that galloc_layout_validate
 * agrees.  Any power of two is a valid alignment, even SIZE_MAX / 2 + 1:
 * with size 0, nothing rounds up past PTRDIFF_MAX (as in Rust's Layout). */
static bool valid_align(size_t align) {
    return align != 0 && (align & (align - 1)) == 0;
}

static bool valid_layout(size_t size, size_t align) {
    bool valid = valid_align(align) && size <= (size_t)PTRDIFF_MAX - (align - 1);
    if ((galloc_layout_validate(layout_of(size, align)) == GALLOC_OK) != valid)
        mismatch("galloc_layout_validate(%zu, %zu) says %s", size, align,
                 valid ? "invalid" : "valid");
    return valid;
}

static size_t largest_valid_size(size_t align) {
    return valid_align(align) ? (size_t)PTRDIFF_MAX - (align - 1) : (size_t)PTRDIFF_MAX;
}

static size_t extreme_size(unsigned number, size_t align) {
    static const size_t sizes[16] = {
        [FUZZ_EXT_SIZE_MAX] = SIZE_MAX,
        [FUZZ_EXT_SIZE_MAX_1] = SIZE_MAX - 1,
        [FUZZ_EXT_SIZE_MAX_PAGE] = SIZE_MAX - 4095,
        [FUZZ_EXT_PTRDIFF_MAX_P1] = (size_t)PTRDIFF_MAX + 1,
        [FUZZ_EXT_PTRDIFF_MAX] = (size_t)PTRDIFF_MAX,
        [FUZZ_EXT_PTRDIFF_MAX_1] = (size_t)PTRDIFF_MAX - 1,
        [FUZZ_EXT_PTRDIFF_MAX_15] = (size_t)PTRDIFF_MAX - 15,
        [FUZZ_EXT_PTRDIFF_MAX_16] = (size_t)PTRDIFF_MAX - 16,
        [FUZZ_EXT_PTRDIFF_MAX_64K] = (size_t)PTRDIFF_MAX - 65535,
        [FUZZ_EXT_QUARTER] = SIZE_MAX / 4 + 1,
        [FUZZ_EXT_THIRD] = SIZE_MAX / 3,
        [FUZZ_EXT_32M] = ((size_t)32 << 20) + 8192,
        [FUZZ_EXT_48M] = (size_t)48 << 20,
        [FUZZ_EXT_1M_ODD] = ((size_t)1 << 20) + 1,
    };
    if (number == FUZZ_EXT_LARGEST_VALID)
        return largest_valid_size(align);
    if (number == FUZZ_EXT_SMALLEST_INVALID)
        return largest_valid_size(align) + 1;
    return sizes[number];
}

/* A size relative to a realloc's old size: the boundaries (one byte more
 * or less, the same size, double, half) that random sizes rarely hit. */
static size_t relative_size(unsigned number, size_t old) {
    if (number <= 16)
        return number >= 8 || old >= 8 - number ? old + number - 8 : 0;
    if (number == 17)
        return old * 2;
    if (number == 18)
        return old / 2;
    return old + ((size_t)1 << (number - 15)); /* + 16 ... + 65536 */
}

/* The size bytes follow the align byte, as some extreme sizes depend on
 * it; `old` is a realloc's old size (NULL for an allocation). */
static size_t decode_size(reader *in, size_t align, const size_t *old) {
    uint8_t byte = next_byte(in);
    if (old != NULL && byte >= FUZZ_SIZE_RELATIVE && byte < FUZZ_SIZE_WIDE)
        return relative_size(byte - FUZZ_SIZE_RELATIVE, *old);
    if (byte < FUZZ_SIZE_WIDE)
        return byte;
    if (byte < FUZZ_SIZE_EXTREME) {
        size_t low = next_byte(in);
        size_t wide = low | (size_t)next_byte(in) << 8;
        return byte < FUZZ_SIZE_SHIFTED ? wide : wide << (1 + (byte - FUZZ_SIZE_SHIFTED) % 4);
    }
    return extreme_size(byte & 15u, align);
}

/* ---------------------------------------------------------------------------
 * The model
 * ------------------------------------------------------------------------ */

static enum family family_of(int target) {
    switch (target) {
    case FUZZ_LIBC: return FAMILY_LIBC;
    case FUZZ_CHECKED: return FAMILY_CHECKED;
    case FUZZ_GLOBAL: return galloc_global() == &galloc_system ? FAMILY_SYSTEM : FAMILY_GLOBAL;
    default: return FAMILY_SYSTEM;
    }
}

/* Counts an event of the checked allocator's, if the target is it. */
static void count(int target, unsigned long long *counter) {
    if (family_of(target) == FAMILY_CHECKED)
        (*counter)++;
}

static size_t charge(size_t size, size_t align) {
    return size + align;
}

/* Whether `more` bytes fit in the budget once `freed` are given back; a
 * large request that fits uses up one of the input's large ones. */
static bool affordable(size_t more, size_t freed) {
    if (fz.charged - freed + more > BUDGET)
        return false;
    if (more > LARGE && fz.large++ >= LARGE_PER_INPUT)
        return false;
    return true;
}

/* What requesting (size, align) from a galloc target must give; `freed` is
 * what the request gives back (a realloc's old block). */
static enum expect expect_layout(size_t size, size_t align, size_t freed) {
    if (!valid_layout(size, align))
        return EXPECT_EINVAL;
    if (size == 0)
        return EXPECT_EMPTY;
    if (size > HUGE_SIZE || align > MAX_SERVED_ALIGN)
        return EXPECT_MAYBE;
    return affordable(charge(size, align), freed) ? EXPECT_BLOCK : EXPECT_SKIP;
}

/* The same for malloc-shaped requests: there, size 0 is a block. */
static enum expect expect_libc(size_t size, size_t freed) {
    if (size > HUGE_SIZE)
        return EXPECT_MAYBE;
    return affordable(charge(size, LIBC_ALIGN), freed) ? EXPECT_BLOCK : EXPECT_SKIP;
}

/* Memory behind the pointer: not the zero-size pointer. */
static bool is_real_block(const slot *s) {
    return s->ptr != NULL && (s->size != 0 || family_of(s->target) == FAMILY_LIBC);
}

/*
 * Contents.  A block of up to DENSE bytes is patterned and checked whole; a
 * larger one in its first and last DENSE / 2 bytes and in one RUN-byte run
 * every STRIDE bytes between: a lost or shifted copy still shows, at a
 * small part of the cost (for a 48 MiB block, 64 KiB and 768 runs instead
 * of touching every byte and every page; page faults are what big blocks
 * cost most).  The runs depend on the size only, so after a realloc the
 * runs of the old size are checked up to the bytes kept.
 */
#define DENSE ((size_t)64 << 10)
#define RUN ((size_t)64)
#define STRIDE ((size_t)64 << 10)

enum contents_action { FILL, CHECK, CHECK_ZERO };

/* Bytes [from, to) of the block, clipped to limit. */
static bool contents_run(unsigned char *ptr, size_t from, size_t to, size_t limit,
                         unsigned seed, enum contents_action action) {
    if (to > limit)
        to = limit;
    if (from >= to)
        return true;
    switch (action) {
    case FILL:
        fill_pattern_range(ptr, from, to, seed);
        return true;
    case CHECK:
        return has_pattern_range(ptr, from, to, seed);
    default:
        return is_all_zero(ptr + from, to - from);
    }
}

/* The runs of a `size`-byte block that are below `limit`. */
static bool contents(unsigned char *ptr, size_t size, size_t limit, unsigned seed,
                     enum contents_action action) {
    if (size <= DENSE)
        return contents_run(ptr, 0, size, limit, seed, action);
    size_t tail = size - DENSE / 2;
    bool ok = contents_run(ptr, 0, DENSE / 2, limit, seed, action);
    for (size_t run = DENSE / 2; ok && run < tail; run += STRIDE)
        ok = contents_run(ptr, run, run + RUN, limit, seed, action);
    return ok && contents_run(ptr, tail, size, limit, seed, action);
}

static void verify_contents(const slot *s) {
    if (s->ptr != NULL && !contents(s->ptr, s->size, s->size, s->seed, CHECK))
        mismatch("the contents of a %zu-byte block (align %zu, %s) changed", s->size,
                 s->align, fuzz_target_names[s->target]);
}

/* A new block must not overlap any other live one (a malloc(0) block is
 * one byte here: it is unique too). */
static void verify_disjoint(const slot *self, const unsigned char *ptr, size_t size) {
    uintptr_t start = (uintptr_t)ptr, end = start + (size != 0 ? size : 1);
    for (size_t i = 0; i < FUZZ_SLOTS; i++) {
        const slot *other = &fz.slots[i];
        if (other == self || !is_real_block(other))
            continue;
        uintptr_t other_start = (uintptr_t)other->ptr;
        uintptr_t other_end = other_start + (other->size != 0 ? other->size : 1);
        if (start < other_end && other_start < end)
            mismatch("a new block [%p, +%zu) overlaps the live block [%p, +%zu)",
                     (void *)ptr, size, (void *)other->ptr, other->size);
    }
}

static void verify_errno(int expected, const char *what) {
    if (errno != expected)
        mismatch("%s: errno %d, expected %d", what, errno, expected);
}

/* The checked allocator's statistics against the model's. */
static void verify_checked(void) {
    size_t blocks = 0, bytes = 0;
    for (size_t i = 0; i < FUZZ_SLOTS; i++) {
        const slot *s = &fz.slots[i];
        if (family_of(s->target) == FAMILY_CHECKED && is_real_block(s)) {
            blocks++;
            bytes += s->size;
        }
    }
    checked_model *m = &fz.model;
    if (blocks > m->peak_blocks)
        m->peak_blocks = blocks;
    if (bytes > m->peak_bytes)
        m->peak_bytes = bytes;
    galloc_checked_stats got = galloc_checked_get_stats(&fz.checked);
    if (got.live_blocks != blocks || got.live_bytes != bytes)
        mismatch("checked: %zu live blocks of %zu bytes, the model has %zu of %zu",
                 got.live_blocks, got.live_bytes, blocks, bytes);
    if (got.allocs != m->allocs || got.deallocs != m->deallocs ||
        got.failures != m->failures || got.problems != 0)
        mismatch("checked: %llu allocs, %llu deallocs, %llu failures, %llu problems; "
                 "the model has %llu, %llu, %llu, 0",
                 got.allocs, got.deallocs, got.failures, got.problems, m->allocs,
                 m->deallocs, m->failures);
    if (got.reallocs < m->reallocs_min || got.reallocs > m->reallocs_max)
        mismatch("checked: %llu reallocs, the model has %llu to %llu", got.reallocs,
                 m->reallocs_min, m->reallocs_max);
    if (got.peak_blocks < m->peak_blocks || got.peak_bytes < m->peak_bytes)
        mismatch("checked: peak %zu blocks, %zu bytes; the model reached %zu, %zu",
                 got.peak_blocks, got.peak_bytes, m->peak_blocks, m->peak_bytes);
}

/* The harness never misuses the checked allocator: any report is a bug. */
static void checked_report(const galloc_checked_report *report, void *context) {
    char text[256];
    (void)context;
    galloc_checked_describe(report, text, sizeof text);
    mismatch("the checked allocator reported: %s", text);
}

/* ---------------------------------------------------------------------------
 * The targets
 * ------------------------------------------------------------------------ */

/* The allocator object behind galloc_allocator_* for a target (FUZZ_GLOBAL
 * goes through galloc_alloc and friends instead). */
static const galloc_allocator *allocator_of(int target) {
    return target == FUZZ_CHECKED ? &fz.checked.allocator : &galloc_system;
}

static void *target_alloc(int target, galloc_layout layout, bool zeroed) {
    if (target == FUZZ_GLOBAL)
        return zeroed ? galloc_alloc_zeroed(layout) : galloc_alloc(layout);
    const galloc_allocator *a = allocator_of(target);
    return zeroed ? galloc_allocator_alloc_zeroed(a, layout) : galloc_allocator_alloc(a, layout);
}

static void *target_realloc(int target, void *ptr, galloc_layout layout, size_t new_size) {
    if (target == FUZZ_LIBC)
        return galloc_libc_realloc(ptr, new_size);
    if (target == FUZZ_GLOBAL)
        return galloc_realloc(ptr, layout, new_size);
    return galloc_allocator_realloc(allocator_of(target), ptr, layout, new_size);
}

/* A deallocation or free, checking that errno (and GetLastError) survive. */
static void target_dealloc(int target, void *ptr, galloc_layout layout) {
    errno = KEPT_ERRNO;
#ifdef _WIN32
    SetLastError(KEPT_LAST_ERROR);
#endif
    if (target == FUZZ_LIBC)
        galloc_libc_free(ptr);
    else if (target == FUZZ_GLOBAL)
        galloc_dealloc(ptr, layout);
    else
        galloc_allocator_dealloc(allocator_of(target), ptr, layout);
    verify_errno(KEPT_ERRNO, "a deallocation changed errno");
#ifdef _WIN32
    if (GetLastError() != KEPT_LAST_ERROR)
        mismatch("a deallocation changed GetLastError() to %lu",
                 (unsigned long)GetLastError());
#endif
}

/* ---------------------------------------------------------------------------
 * Operations
 * ------------------------------------------------------------------------ */

static void empty_slot(slot *s) {
    if (is_real_block(s))
        fz.charged -= charge(s->size, s->align);
    s->ptr = NULL;
    s->size = 0;
}

/* The slot now holds (ptr, size, align) from `target`, with new contents. */
static void fill_slot(slot *s, unsigned char *ptr, size_t size, size_t align, int target) {
    s->ptr = ptr;
    s->size = size;
    s->align = align;
    s->target = target;
    s->seed = ++fz.serial;
    if (is_real_block(s))
        fz.charged += charge(size, align);
    contents(ptr, size, size, s->seed, FILL);
}

/* Releases whatever the slot holds, through its own target. */
static void release(slot *s) {
    if (s->ptr == NULL)
        return;
    verify_contents(s);
    if (is_real_block(s))
        count(s->target, &fz.model.deallocs);
    target_dealloc(s->target, s->ptr, layout_of(s->size, s->align));
    empty_slot(s);
}

/* A NULL result: checks that NULL, and errno, are what was expected. */
static void verify_failure(enum expect expected, int target, const char *what) {
    if (fuzz_trace)
        fprintf(stderr, "fuzz:   NULL, errno %d\n", errno);
    switch (expected) {
    case EXPECT_EINVAL:
        verify_errno(EINVAL, what);
        break;
    case EXPECT_MAYBE:
        count(target, &fz.model.failures);
        /* fall through */
    case EXPECT_ENOMEM:
        verify_errno(ENOMEM, what);
        break;
    default:
        mismatch("%s returned NULL (errno %d)", what, errno);
    }
}

/* A non-NULL result for a request that was expected to give `expected`:
 * checks it, then keeps it in the (empty) slot with new contents, or, if it
 * is one of the huge ones, releases it at once, untouched (its end may not
 * even be addressable as a uintptr_t sum on a 32-bit target). */
static void take_result(slot *s, enum expect expected, unsigned char *ptr, size_t size,
                        size_t align, int target, bool zeroed, const char *what) {
    if (fuzz_trace)
        fprintf(stderr, "fuzz:   %p\n", (void *)ptr);
    if (expected == EXPECT_EINVAL || expected == EXPECT_ENOMEM)
        mismatch("%s gave %p, expected NULL + %s", what, (void *)ptr,
                 expected == EXPECT_EINVAL ? "EINVAL" : "ENOMEM");
    if (!is_aligned(ptr, align))
        mismatch("%s gave %p, not aligned to %zu", what, (void *)ptr, align);
    if (expected == EXPECT_EMPTY) {
        fill_slot(s, ptr, 0, align, target);
        return;
    }
    if (expected == EXPECT_MAYBE) {
        count(target, &fz.model.deallocs);
        target_dealloc(target, ptr, layout_of(size, align));
        return;
    }
    verify_disjoint(s, ptr, size);
    if (zeroed && !contents(ptr, size, size, 0, CHECK_ZERO))
        mismatch("%s: the %zu-byte block (align %zu) is not all zeros", what, size, align);
    fill_slot(s, ptr, size, align, target);
}

/* An allocation's result: new block (counted) or failure. */
static void allocated(slot *s, enum expect expected, unsigned char *ptr, size_t size,
                      size_t align, int target, bool zeroed, const char *what) {
    if (ptr == NULL) {
        verify_failure(expected, target, what);
        return;
    }
    if (expected != EXPECT_EMPTY)
        count(target, &fz.model.allocs);
    take_result(s, expected, ptr, size, align, target, zeroed, what);
}

static void op_alloc_libc(slot *s, unsigned n, size_t size, bool zeroed) {
    /* calloc(n, size) must not overflow into a short block */
    bool overflows = zeroed && n != 0 && size > SIZE_MAX / n;
    size_t total = zeroed && !overflows ? n * size : size;
    enum expect expected = overflows ? EXPECT_ENOMEM : expect_libc(total, 0);
    if (expected == EXPECT_SKIP)
        return;
    errno = 0;
    unsigned char *ptr = zeroed ? galloc_libc_calloc(n, size) : galloc_libc_malloc(size);
    allocated(s, expected, ptr, total, LIBC_ALIGN, FUZZ_LIBC, zeroed,
              zeroed ? "calloc" : "malloc");
}

static void op_alloc(slot *s, int target, unsigned calloc_count, size_t size, size_t align,
                     bool zeroed) {
    release(s);
    if (target == FUZZ_LIBC) {
        op_alloc_libc(s, calloc_count, size, zeroed);
        return;
    }
    enum expect expected = expect_layout(size, align, 0);
    if (expected == EXPECT_SKIP)
        return;
    errno = 0;
    unsigned char *ptr = target_alloc(target, layout_of(size, align), zeroed);
    allocated(s, expected, ptr, size, align, target, zeroed,
              zeroed ? "alloc_zeroed" : "alloc");
}

/* realloc(ptr, new_size) of the libc target: NULL is malloc, 0 frees. */
static void op_realloc_libc(slot *s, size_t new_size) {
    if (s->ptr == NULL) {
        enum expect expected = expect_libc(new_size, 0);
        if (expected == EXPECT_SKIP)
            return;
        errno = 0;
        allocated(s, expected, galloc_libc_realloc(NULL, new_size), new_size, LIBC_ALIGN,
                  FUZZ_LIBC, false, "realloc(NULL)");
        return;
    }
    verify_contents(s);
    if (new_size == 0) {
        if (galloc_libc_realloc(s->ptr, 0) != NULL)
            mismatch("realloc(p, 0) gave a block: it frees and gives NULL");
        empty_slot(s);
        return;
    }
    enum expect expected = expect_libc(new_size, charge(s->size, s->align));
    if (expected == EXPECT_SKIP)
        return;
    errno = 0;
    unsigned char *ptr = galloc_libc_realloc(s->ptr, new_size);
    if (ptr == NULL) {
        verify_failure(expected, FUZZ_LIBC, "realloc");
        verify_contents(s);
        return;
    }
    if (!contents(ptr, s->size, new_size, s->seed, CHECK))
        mismatch("realloc from %zu to %zu lost the contents", s->size, new_size);
    empty_slot(s);
    take_result(s, expected, ptr, new_size, LIBC_ALIGN, FUZZ_LIBC, false, "realloc");
}

/* galloc_realloc and galloc_allocator_realloc.  `align` is the slot's, or
 * an invalid one the input asked for: the front end must refuse it and
 * leave the block alone. */
static void op_realloc(slot *s, int target, size_t new_size, size_t align) {
    bool real = is_real_block(s);
    size_t old_size = real ? s->size : 0;
    galloc_layout layout = layout_of(old_size, align);
    if (!valid_layout(old_size, align) || !valid_layout(new_size, align)) {
        errno = 0;
        if (target_realloc(target, s->ptr, layout, new_size) != NULL)
            mismatch("realloc of (%zu, %zu) to %zu succeeded: the layout is invalid",
                     old_size, align, new_size);
        verify_failure(EXPECT_EINVAL, target, "realloc");
        verify_contents(s);
        return;
    }
    if (!real) {
        /* From NULL or from the zero-size pointer: an allocation. */
        enum expect expected = expect_layout(new_size, align, 0);
        if (expected == EXPECT_SKIP)
            return;
        errno = 0;
        unsigned char *ptr = target_realloc(target, s->ptr, layout, new_size);
        if (ptr != NULL)
            empty_slot(s); /* the zero-size pointer owned nothing */
        allocated(s, expected, ptr, new_size, align, target, false, "realloc from nothing");
        return;
    }
    verify_contents(s);
    enum expect expected = expect_layout(new_size, align, charge(s->size, s->align));
    if (expected == EXPECT_SKIP)
        return;
    errno = 0;
    unsigned char *ptr = target_realloc(target, s->ptr, layout, new_size);
    if (ptr == NULL) {
        verify_failure(expected, target, "realloc");
        verify_contents(s);
        return;
    }
    if (expected == EXPECT_EMPTY) {
        count(target, &fz.model.deallocs); /* to size 0: released */
    } else {
        if (!contents(ptr, old_size, new_size, s->seed, CHECK))
            mismatch("realloc from %zu to %zu (align %zu) lost the contents", old_size,
                     new_size, align);
        count(target, &fz.model.reallocs_max);
        if (new_size != old_size)
            count(target, &fz.model.reallocs_min);
    }
    empty_slot(s);
    take_result(s, expected, ptr, new_size, align, target, false, "realloc");
}

/* Whether the input's alignment makes a valid layout with the slot's
 * size: then the operation uses the slot's own layout (the harness never
 * misuses a block); else the invalid one, which must be refused. */
static bool asks_valid(const slot *s, size_t align) {
    return valid_layout(s->size, align);
}

/* An invalid layout describes no block: nothing happens, and the block
 * stays the caller's. */
static void op_dealloc(slot *s, int target, size_t align) {
    if (s->ptr == NULL) {
        target_dealloc(target, NULL, layout_of(0, align)); /* does nothing */
    } else if (target == FUZZ_LIBC || asks_valid(s, align)) {
        release(s);
    } else {
        target_dealloc(target, s->ptr, layout_of(s->size, align));
        verify_contents(s);
    }
}

static void op_refill(slot *s) {
    if (s->ptr != NULL) {
        verify_contents(s);
        s->seed = ++fz.serial;
        contents(s->ptr, s->size, s->size, s->seed, FILL);
    }
}

static void op_check(void) {
    for (size_t i = 0; i < FUZZ_SLOTS; i++)
        verify_contents(&fz.slots[i]);
    if (galloc_checked_verify(&fz.checked) != 0)
        mismatch("galloc_checked_verify found damaged blocks");
}

/* ---------------------------------------------------------------------------
 * One input
 * ------------------------------------------------------------------------ */

/* One operation, decoded. */
typedef struct request {
    int op, target;
    unsigned slot, count; /* count: the libc target's calloc count */
    size_t size, align;
} request;

static request decode(reader *in) {
    request r = {0, 0, 0, 0, 0, 0};
    uint8_t command = next_byte(in);
    r.op = command & 7;
    r.target = (command >> 3) & 3;
    r.count = command >> 5;
    if (r.op == FUZZ_CHECK)
        return r;
    r.slot = next_byte(in) % FUZZ_SLOTS;
    if (r.op == FUZZ_REFILL)
        return r;
    r.align = decode_align(in);
    if (r.op != FUZZ_DEALLOC)
        r.size = decode_size(in, r.align,
                             r.op == FUZZ_REALLOC || r.op == FUZZ_REALLOC_2
                                 ? &fz.slots[r.slot].size : NULL);
    return r;
}

static void run_one(request r) {
    slot *s = &fz.slots[r.slot];
    bool allocating = r.op == FUZZ_ALLOC || r.op == FUZZ_ALLOC_2 || r.op == FUZZ_ZEROED;
    /* A block stays in its family; within the System family the input
     * chooses the entry point. */
    if (!allocating && s->ptr != NULL && family_of(r.target) != family_of(s->target))
        r.target = s->target;
    /* A live block is resized and released with its own layout, unless the
     * input's alignment makes the layout invalid (refused, block kept). */
    if (!allocating && s->ptr != NULL && asks_valid(s, r.align))
        r.align = s->align;
    if (r.op == FUZZ_DEALLOC || r.op == FUZZ_REFILL)
        r.size = s->size; /* for messages */
    fz.op++;
    snprintf(fz.doing, sizeof fz.doing, "%s via %s, slot %u, size %zu, align %zu, count %u",
             op_names[r.op], fuzz_target_names[r.target], r.slot, r.size, r.align, r.count);
    if (fuzz_trace)
        fprintf(stderr, "fuzz: #%lu %s\n", fz.op, fz.doing);
    switch (r.op) {
    case FUZZ_ALLOC:
    case FUZZ_ALLOC_2:
    case FUZZ_ZEROED:
        op_alloc(s, r.target, r.count, r.size, r.align, r.op == FUZZ_ZEROED);
        break;
    case FUZZ_REALLOC:
    case FUZZ_REALLOC_2:
        if (r.target == FUZZ_LIBC)
            op_realloc_libc(s, r.size);
        else
            op_realloc(s, r.target, r.size, r.align);
        break;
    case FUZZ_DEALLOC:
        op_dealloc(s, r.target, r.align);
        break;
    case FUZZ_REFILL:
        op_refill(s);
        break;
    default:
        op_check();
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    reader in = {data, size, 0};
    memset(&fz, 0, sizeof fz);
    galloc_checked_init(&fz.checked, &galloc_system, "fuzz");
    galloc_checked_set_report(&fz.checked, checked_report, NULL);
    while (in.pos < in.size) {
        run_one(decode(&in));
        verify_checked();
    }
    snprintf(fz.doing, sizeof fz.doing, "releasing everything");
    for (size_t i = 0; i < FUZZ_SLOTS; i++)
        release(&fz.slots[i]);
    verify_checked();
    if (galloc_checked_destroy(&fz.checked) != 0)
        mismatch("the checked allocator still had live blocks");
    return 0;
}
