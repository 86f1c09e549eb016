/*
 * conformance/conformance.c - the allocator conformance kit
 * (include/galloc/conformance.h).
 *
 * Every check goes through galloc's front end (galloc_allocator_*), because
 * that is how galloc uses an allocator: the front end settles zero sizes,
 * invalid layouts and errno, and the allocator only sees what galloc.h
 * promises it.  Checking through the same door means the kit reports what
 * a program would actually see.
 *
 * A failed check never stops the run: it is counted, the first one is
 * described, and the kit moves on, skipping only what would touch memory it
 * was not given (a NULL block).  The kit's own bookkeeping (the per-thread
 * tables) comes from calloc/free, not from the allocator under test, so a
 * broken allocator cannot corrupt the kit.
 *
 * The only dependencies are galloc and the OS: a small thread and mutex
 * shim below maps onto pthreads or Win32.
 */

/* mingw-w64 links msvcrt, whose printf lacks %zu; mingw's own stdio has it.
 * Must come before the first system header. */
#if defined(__MINGW32__) && !defined(__USE_MINGW_ANSI_STDIO)
#define __USE_MINGW_ANSI_STDIO 1
#endif

#include <galloc/conformance.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * Threads and mutexes: just what the concurrent check needs.
 * ------------------------------------------------------------------------ */

typedef struct kit_worker kit_worker;
static void worker_run(kit_worker *w);

#if defined(_WIN32)
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

typedef CRITICAL_SECTION kit_mutex;
typedef HANDLE kit_thread;

/* InitializeCriticalSection cannot fail since Windows Vista. */
static bool mutex_init(kit_mutex *m) {
    InitializeCriticalSection(m);
    return true;
}
static void mutex_destroy(kit_mutex *m) { DeleteCriticalSection(m); }
static void mutex_lock(kit_mutex *m) { EnterCriticalSection(m); }
static void mutex_unlock(kit_mutex *m) { LeaveCriticalSection(m); }

static DWORD WINAPI thread_entry(LPVOID arg) {
    worker_run((kit_worker *)arg);
    return 0;
}

static bool thread_start(kit_thread *thread, kit_worker *w) {
    *thread = CreateThread(NULL, 0, thread_entry, w, 0, NULL);
    return *thread != NULL;
}

static void thread_join(kit_thread thread) {
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
}
#else
#include <pthread.h>

typedef pthread_mutex_t kit_mutex;
typedef pthread_t kit_thread;

static bool mutex_init(kit_mutex *m) { return pthread_mutex_init(m, NULL) == 0; }
static void mutex_destroy(kit_mutex *m) { pthread_mutex_destroy(m); }
static void mutex_lock(kit_mutex *m) { pthread_mutex_lock(m); }
static void mutex_unlock(kit_mutex *m) { pthread_mutex_unlock(m); }

static void *thread_entry(void *arg) {
    worker_run((kit_worker *)arg);
    return NULL;
}

static bool thread_start(kit_thread *thread, kit_worker *w) {
    return pthread_create(thread, NULL, thread_entry, w) == 0;
}

static void thread_join(kit_thread thread) { pthread_join(thread, NULL); }
#endif

/* ---------------------------------------------------------------------------
 * The run's state and failure recording.
 * ------------------------------------------------------------------------ */

#define DEFAULT_THREADS 4u
#define MAX_THREADS 64u
#define DEFAULT_OPS 20000u
#define DEFAULT_MAX_ALIGN ((size_t)65536)
#define DEFAULT_MAX_SIZE ((size_t)4 << 20)

/* What errno must survive a deallocation unchanged; any value no errno
 * constant has. */
#define ERRNO_SENTINEL 4242

typedef struct kit {
    const galloc_allocator *allocator;
    size_t max_align;
    size_t max_size;
    unsigned threads;
    unsigned ops_per_thread;
    bool skip_failure_checks;
    /* Counted directly by the sequential checks; workers keep their own
     * count and add it when they finish. */
    unsigned checks;
    /* The fields below are written under `lock`: workers fail concurrently. */
    unsigned failures;
    char first_failure[256];
    kit_mutex lock;
} kit;

#if defined(__MINGW32__) && defined(__MINGW_PRINTF_FORMAT)
#define KIT_PRINTF(f, a) __attribute__((format(__MINGW_PRINTF_FORMAT, f, a)))
#elif defined(__GNUC__) || defined(__clang__)
#define KIT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define KIT_PRINTF(f, a)
#endif

/* How layouts and pointers appear in messages. */
#define LAYOUT_FMT "{size %zu, align %zu}"
#define PTR_FMT "0x%" PRIxPTR
#define PTR_ARG(p) ((uintptr_t)(const void *)(p))

static KIT_PRINTF(2, 0) void record_failure(kit *k, const char *format, va_list args) {
    mutex_lock(&k->lock);
    if (k->failures++ == 0)
        vsnprintf(k->first_failure, sizeof k->first_failure, format, args);
    mutex_unlock(&k->lock);
}

/*
 * Counts one check in *checks and records a failure unless `ok`.  Returns
 * `ok`, so that callers can skip what depends on it.  The message is only
 * formatted for a failure (and only for the first), so checking in hot
 * loops costs one call.
 */
static KIT_PRINTF(4, 5) bool expect(kit *k, unsigned *checks, bool ok,
                                    const char *format, ...) {
    ++*checks;
    if (!ok) {
        va_list args;
        va_start(args, format);
        record_failure(k, format, args);
        va_end(args);
    }
    return ok;
}

/* ---------------------------------------------------------------------------
 * Block contents.
 * ------------------------------------------------------------------------ */

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/*
 * The pattern byte at offset i of a block with seed s.  It varies within
 * every 256 bytes and from one 256-byte run to the next, so data shifted by
 * any amount (a realloc that copies from the wrong place, an under-aligned
 * block moved by its padding) is noticed, and different seeds tell blocks
 * apart (overlapping blocks).
 */
#define PATTERN(i, s)                                                          \
    ((unsigned char)(((i) * 131u) ^ ((i) >> 8) ^ ((s) * 29u + 7u)))

/*
 * Ranges shorter than this are filled and compared a byte at a time; longer
 * ones 256 bytes at a time.  The kit is often built without optimisation,
 * where a byte loop over the MiB-sized blocks would dominate its run time.
 */
#define BYTEWISE_LIMIT 1024
#define RUN 256

/*
 * The pattern bytes of run r (offsets r*256 .. r*256+255): the low byte of
 * i * 131 depends only on i mod 256, so every run is one per-seed table
 * XORed with the run number's low byte, eight bytes per operation.
 */
typedef struct pattern_runs {
    uint64_t base[RUN / 8]; /* run 0 */
    uint64_t run[RUN / 8];  /* the current run */
} pattern_runs;

static void pattern_runs_init(pattern_runs *runs, unsigned seed) {
    unsigned char *base = (unsigned char *)runs->base;
    for (size_t i = 0; i < RUN; i++)
        base[i] = PATTERN(i, seed);
}

static const unsigned char *pattern_run(pattern_runs *runs, size_t r) {
    uint64_t spread = (uint64_t)(r & 0xFF) * UINT64_C(0x0101010101010101);
    for (size_t w = 0; w < RUN / 8; w++)
        runs->run[w] = runs->base[w] ^ spread;
    return (const unsigned char *)runs->run;
}

static void fill_pattern(unsigned char *p, size_t from, size_t to, unsigned seed) {
    if (to - from < BYTEWISE_LIMIT) {
        for (size_t i = from; i < to; i++)
            p[i] = PATTERN(i, seed);
        return;
    }
    pattern_runs runs;
    pattern_runs_init(&runs, seed);
    while (from < to) {
        size_t r = from / RUN, in_run = from % RUN;
        size_t n = min_size(RUN - in_run, to - from);
        memcpy(p + from, pattern_run(&runs, r) + in_run, n);
        from += n;
    }
}

/* The offset of the first byte in [from, to) that is not the pattern, or
 * `to` if there is none. */
static size_t pattern_mismatch(const unsigned char *p, size_t from, size_t to,
                               unsigned seed) {
    if (to - from >= BYTEWISE_LIMIT) {
        pattern_runs runs;
        pattern_runs_init(&runs, seed);
        while (from < to) {
            size_t r = from / RUN, in_run = from % RUN;
            size_t n = min_size(RUN - in_run, to - from);
            if (memcmp(p + from, pattern_run(&runs, r) + in_run, n) != 0)
                break; /* the byte loop below finds the byte */
            from += n;
        }
    }
    for (size_t i = from; i < to; i++)
        if (p[i] != PATTERN(i, seed))
            return i;
    return to;
}

/* The offset of the first non-zero byte, or n if there is none.  Compared
 * against zeros a page at a time, for the same reason as the pattern. */
static size_t first_nonzero(const unsigned char *p, size_t n) {
    static const unsigned char zeros[4096];
    size_t i = 0;
    while (n - i >= sizeof zeros && memcmp(p + i, zeros, sizeof zeros) == 0)
        i += sizeof zeros;
    for (; i < n; i++)
        if (p[i] != 0)
            return i;
    return n;
}

static bool is_aligned(const void *p, size_t align) {
    return ((uintptr_t)p & (align - 1)) == 0;
}

static galloc_layout layout_of(size_t size, size_t align) {
    galloc_layout layout;
    layout.size = size;
    layout.align = align;
    return layout;
}

/* Adds `value` to the sorted set values[0..*n) if it is in [1, max] and not
 * there yet (sizes, alignments).  The sets are short: insertion is fine. */
static void add_sorted(size_t *values, size_t *n, size_t capacity, size_t value,
                       size_t max) {
    if (value == 0 || value > max || *n == capacity)
        return;
    size_t i = 0;
    while (i < *n && values[i] < value)
        i++;
    if (i < *n && values[i] == value)
        return;
    memmove(values + i + 1, values + i, (*n - i) * sizeof *values);
    values[i] = value;
    ++*n;
}

/* Whether there is an alignment after `align` up to max_align; written so
 * that a max_align near the top of size_t cannot make `align * 2` wrap. */
static bool next_align(size_t *align, size_t max_align) {
    if (*align >= max_align)
        return false;
    *align *= 2;
    return true;
}

/* ---------------------------------------------------------------------------
 * 1. Alignment and writability.
 * ------------------------------------------------------------------------ */

#define MAX_LIVE 256

/*
 * How many blocks of {size, align} to keep live at once.  Small blocks come
 * from size classes where one lucky, well-aligned address proves nothing,
 * so 256 are taken.  Larger ones are limited to about 64 KiB of data in all
 * (the time to write and read them).  Alignments above 1 KiB are limited to
 * about 256 KiB of address space, but never fewer than 8 blocks: an
 * allocator may well spend `align` bytes per block, and glibc then grows and
 * trims its heap on every round, which is slow.
 */
static size_t live_count(size_t size, size_t align) {
    size_t n = MAX_LIVE;
    if (size > 256)
        n = min_size(n, ((size_t)64 << 10) / size);
    if (align > 1024) {
        size_t by_align = ((size_t)256 << 10) / align;
        n = min_size(n, by_align < 8 ? 8 : by_align);
    }
    return n == 0 ? 1 : n;
}

/* Allocates live_count(size, align) blocks of {size, align}, fills each
 * with its own pattern, then reads every one back before releasing them: a
 * block that overlaps another, or is shorter than asked for, loses its
 * pattern. */
static void check_live_blocks(kit *k, size_t size, size_t align) {
    unsigned char *blocks[MAX_LIVE];
    size_t count = live_count(size, align);
    galloc_layout layout = layout_of(size, align);

    for (size_t i = 0; i < count; i++) {
        unsigned char *p = galloc_allocator_alloc(k->allocator, layout);
        int error = errno;
        blocks[i] = p;
        if (!expect(k, &k->checks, p != NULL,
                    "alloc " LAYOUT_FMT " returned NULL (errno %d)", size,
                    align, error))
            continue;
        expect(k, &k->checks, is_aligned(p, align),
               "alloc " LAYOUT_FMT " returned " PTR_FMT " not aligned", size,
               align, PTR_ARG(p));
        fill_pattern(p, 0, size, (unsigned)(i + size));
    }
    for (size_t i = 0; i < count; i++) {
        unsigned char *p = blocks[i];
        if (p == NULL)
            continue;
        unsigned seed = (unsigned)(i + size);
        size_t bad = pattern_mismatch(p, 0, size, seed);
        expect(k, &k->checks, bad == size,
               "alloc " LAYOUT_FMT " returned " PTR_FMT
               " that does not keep what was written: byte %zu is 0x%02x, "
               "expected 0x%02x (block too small or overlapping another?)",
               size, align, PTR_ARG(p), bad, bad < size ? p[bad] : 0u,
               bad < size ? PATTERN(bad, seed) : 0u);
        galloc_allocator_dealloc(k->allocator, p, layout);
    }
}

static void check_alignment(kit *k) {
    /* Sizes every allocator has a size class or a threshold near: tiny
     * ones, powers of two and their neighbours, the page, the usual mmap
     * thresholds.  Each alignment adds sizes around itself, below it
     * included (2 with 4, 8 with 16, align/2 + 1), because a block smaller
     * than its alignment is where allocators cut corners. */
    static const size_t common[] = {
        1,     2,     3,     4,     5,     7,     8,     9,      12,
        15,    16,    17,    24,    31,    32,    33,    48,     63,
        64,    65,    96,    127,   128,   129,   255,   256,    257,
        511,   512,   513,   1000,  1024,  2047,  2048,  2049,   4095,
        4096,  4097,  8191,  8192,  8193,  16387, 65535, 65536,  65537,
        (size_t)1 << 20, ((size_t)1 << 20) + 1};
    size_t align = 1;
    do {
        size_t sizes[80];
        size_t n = 0;
        size_t max = k->max_size;
        for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
            add_sorted(sizes, &n, 80, common[i], max);
        add_sorted(sizes, &n, 80, align / 2 + 1, max);
        add_sorted(sizes, &n, 80, align - 1, max);
        add_sorted(sizes, &n, 80, align, max);
        if (align < max)
            add_sorted(sizes, &n, 80, align + 1, max);
        if (max >= 3 && align <= (max - 3) / 2)
            add_sorted(sizes, &n, 80, 2 * align + 3, max);
        add_sorted(sizes, &n, 80, max, max);
        for (size_t i = 0; i < n; i++)
            check_live_blocks(k, sizes[i], align);
    } while (next_align(&align, k->max_align));
}

/*
 * Sizes that are a multiple of their alignment: align, 2 * align and
 * 4 * align, for every alignment from 32 to max_align, many blocks at once,
 * plain and zeroed.  An allocator may assume such a block is naturally
 * aligned by its size class and skip the alignment work; mimalloc 2.0.9
 * does, and hands out 128-aligned {256, 256}, {512, 256} and {1024, 1024}
 * blocks - through posix_memalign too, so the System allocator in a process
 * that links it.  (Defined after section 3, whose zeroed check it uses.)
 */
static void check_zeroed_layout(kit *k, size_t size, size_t align, size_t count);
#define ZEROED_BLOCKS 32

static void check_multiple_sizes(kit *k) {
    for (size_t align = 32; align <= k->max_align && align != 0; align *= 2) {
        for (size_t times = 1; times <= 4; times *= 2) {
            if (align > k->max_size / times)
                break;
            size_t size = align * times;
            check_live_blocks(k, size, align);
            check_zeroed_layout(k, size, align, min_size(live_count(size, align), ZEROED_BLOCKS));
        }
    }
}

/* ---------------------------------------------------------------------------
 * 2. Zero size.
 * ------------------------------------------------------------------------ */

static void check_zero_size(kit *k) {
    size_t align = 1;
    do {
        galloc_layout empty = layout_of(0, align);
        void *p = galloc_allocator_alloc(k->allocator, empty);
        if (expect(k, &k->checks, p != NULL && is_aligned(p, align),
                   "alloc " LAYOUT_FMT " returned " PTR_FMT
                   ", expected a non-NULL aligned pointer",
                   (size_t)0, align, PTR_ARG(p))) {
            errno = ERRNO_SENTINEL;
            galloc_allocator_dealloc(k->allocator, p, empty);
            int error = errno;
            expect(k, &k->checks, error == ERRNO_SENTINEL,
                   "dealloc " LAYOUT_FMT " changed errno from %d to %d",
                   (size_t)0, align, ERRNO_SENTINEL, error);
        }

        p = galloc_allocator_alloc_zeroed(k->allocator, empty);
        if (expect(k, &k->checks, p != NULL && is_aligned(p, align),
                   "alloc_zeroed " LAYOUT_FMT " returned " PTR_FMT
                   ", expected a non-NULL aligned pointer",
                   (size_t)0, align, PTR_ARG(p)))
            galloc_allocator_dealloc(k->allocator, p, empty);

        /* From the zero-size block to a real one and back. */
        size_t size = min_size(24, k->max_size);
        p = galloc_allocator_alloc(k->allocator, empty);
        if (p == NULL)
            continue; /* already reported above */
        unsigned char *q = galloc_allocator_realloc(k->allocator, p, empty, size);
        if (!expect(k, &k->checks, q != NULL && is_aligned(q, align),
                    "realloc " LAYOUT_FMT " to %zu returned " PTR_FMT
                    ", expected a non-NULL aligned block",
                    (size_t)0, align, size, PTR_ARG(q))) {
            if (q != NULL)
                galloc_allocator_dealloc(k->allocator, q, layout_of(size, align));
            continue;
        }
        fill_pattern(q, 0, size, 1);
        void *r = galloc_allocator_realloc(k->allocator, q, layout_of(size, align), 0);
        if (!expect(k, &k->checks, r != NULL && is_aligned(r, align),
                    "realloc " LAYOUT_FMT " to 0 returned " PTR_FMT
                    ", expected a non-NULL aligned pointer",
                    size, align, PTR_ARG(r))) {
            /* A NULL realloc keeps the block; it is still the caller's. */
            if (r == NULL)
                galloc_allocator_dealloc(k->allocator, q, layout_of(size, align));
            continue;
        }
        galloc_allocator_dealloc(k->allocator, r, empty);
    } while (next_align(&align, k->max_align));
}

/* ---------------------------------------------------------------------------
 * 3. Zeroing.
 * ------------------------------------------------------------------------ */

/*
 * Dirties the heap with `count` blocks of the layout filled with 0xA5 and
 * released, so that alloc_zeroed is likely to get that memory back, then
 * checks `count` zeroed blocks.  A fresh heap is all zeros anyway, which
 * would hide an alloc_zeroed that does not zero.
 */
static void check_zeroed_layout(kit *k, size_t size, size_t align, size_t count) {
    unsigned char *blocks[ZEROED_BLOCKS];
    galloc_layout layout = layout_of(size, align);

    for (size_t i = 0; i < count; i++) {
        blocks[i] = galloc_allocator_alloc(k->allocator, layout);
        int error = errno;
        if (expect(k, &k->checks, blocks[i] != NULL,
                   "alloc " LAYOUT_FMT " returned NULL (errno %d)", size, align,
                   error))
            memset(blocks[i], 0xA5, size);
    }
    /* Last in, first out: most allocators hand the last freed block back
     * first. */
    for (size_t i = count; i-- > 0;)
        galloc_allocator_dealloc(k->allocator, blocks[i], layout);

    for (size_t i = 0; i < count; i++) {
        unsigned char *p = galloc_allocator_alloc_zeroed(k->allocator, layout);
        int error = errno;
        blocks[i] = p;
        if (!expect(k, &k->checks, p != NULL,
                    "alloc_zeroed " LAYOUT_FMT " returned NULL (errno %d)", size,
                    align, error))
            continue;
        expect(k, &k->checks, is_aligned(p, align),
               "alloc_zeroed " LAYOUT_FMT " returned " PTR_FMT " not aligned",
               size, align, PTR_ARG(p));
        size_t bad = first_nonzero(p, size);
        expect(k, &k->checks, bad == size,
               "alloc_zeroed " LAYOUT_FMT " returned " PTR_FMT
               " with byte %zu = 0x%02x, not zero",
               size, align, PTR_ARG(p), bad, bad < size ? p[bad] : 0u);
        /* Dirty again, for the next layout. */
        memset(p, 0xA5, size);
    }
    for (size_t i = count; i-- > 0;)
        galloc_allocator_dealloc(k->allocator, blocks[i], layout);
}

static void check_zeroing(kit *k) {
    static const size_t small[] = {1, 8, 16, 24, 100, 256, 1000, 4096, 4097};
    static const size_t large[] = {65536, (256u << 10) + 3, (size_t)1 << 20};
    /* The usual alignments and max_align, each once. */
    size_t aligns[6];
    size_t n = 0;
    static const size_t usual[] = {1, 8, 16, 64, 4096};
    for (size_t a = 0; a < sizeof usual / sizeof usual[0]; a++)
        add_sorted(aligns, &n, 6, usual[a], k->max_align);
    add_sorted(aligns, &n, 6, k->max_align, k->max_align);

    for (size_t a = 0; a < n; a++)
        for (size_t i = 0; i < sizeof small / sizeof small[0]; i++)
            if (small[i] <= k->max_size)
                check_zeroed_layout(k, small[i], aligns[a], ZEROED_BLOCKS);
    /* A few big ones, up to max_size: these come from a different source in
     * most allocators (mmap, a large-object heap). */
    static const size_t big_aligns[] = {16, 4096};
    for (size_t a = 0; a < sizeof big_aligns / sizeof big_aligns[0]; a++) {
        if (big_aligns[a] > k->max_align)
            continue;
        for (size_t i = 0; i < sizeof large / sizeof large[0]; i++)
            if (large[i] < k->max_size)
                check_zeroed_layout(k, large[i], big_aligns[a], 2);
        check_zeroed_layout(k, k->max_size, big_aligns[a], 2);
    }
}

/* ---------------------------------------------------------------------------
 * 4. Realloc.
 * ------------------------------------------------------------------------ */

/*
 * Walks one block up through sizes 1 .. max_size and back down, one realloc
 * at a time.  The pattern depends only on the offset, so each grow fills
 * just the new tail, and each step checks the min(old, new) bytes kept.
 */
static void check_realloc_walk(kit *k, size_t align) {
    static const size_t common[] = {1,     2,     3,      8,      17,
                                    64,    100,   1000,   4095,   4096,
                                    4097,  10000, 65549,  262145, (1u << 20) - 1};
    size_t sizes[24];
    size_t n = 0;
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        add_sorted(sizes, &n, 24, common[i], k->max_size);
    add_sorted(sizes, &n, 24, align + 1, k->max_size);
    add_sorted(sizes, &n, 24, k->max_size, k->max_size);

    const unsigned seed = (unsigned)align;
    size_t size = sizes[0];
    unsigned char *p = galloc_allocator_alloc(k->allocator, layout_of(size, align));
    int error = errno;
    if (!expect(k, &k->checks, p != NULL,
                "alloc " LAYOUT_FMT " returned NULL (errno %d)", size, align, error))
        return;
    fill_pattern(p, 0, size, seed);

    /* Steps 1 .. n-1 go up, n .. 2n-2 come back down. */
    for (size_t step = 1; step < 2 * n - 1; step++) {
        size_t new_size = step < n ? sizes[step] : sizes[2 * n - 2 - step];
        unsigned char *q =
            galloc_allocator_realloc(k->allocator, p, layout_of(size, align), new_size);
        error = errno;
        if (!expect(k, &k->checks, q != NULL,
                    "realloc " LAYOUT_FMT " to %zu returned NULL (errno %d)", size,
                    align, new_size, error))
            break; /* p is still ours, with its old size */
        expect(k, &k->checks, is_aligned(q, align),
               "realloc " LAYOUT_FMT " to %zu returned " PTR_FMT " not aligned",
               size, align, new_size, PTR_ARG(q));
        size_t kept = min_size(size, new_size);
        size_t bad = pattern_mismatch(q, 0, kept, seed);
        if (!expect(k, &k->checks, bad == kept,
                    "realloc " LAYOUT_FMT " to %zu lost data: byte %zu is 0x%02x, "
                    "expected 0x%02x",
                    size, align, new_size, bad, bad < kept ? q[bad] : 0u,
                    bad < kept ? PATTERN(bad, seed) : 0u))
            fill_pattern(q, 0, kept, seed); /* judge the next step on its own */
        if (new_size > size)
            fill_pattern(q, size, new_size, seed);
        p = q;
        size = new_size;
    }
    galloc_allocator_dealloc(k->allocator, p, layout_of(size, align));
}

static void check_realloc(kit *k) {
    static const size_t aligns[] = {1, 8, 16, 64, 4096};
    for (size_t a = 0; a < sizeof aligns / sizeof aligns[0]; a++)
        if (aligns[a] <= k->max_align)
            check_realloc_walk(k, aligns[a]);
    if (k->max_align > 4096)
        check_realloc_walk(k, k->max_align);
}

/* ---------------------------------------------------------------------------
 * 5. Failure.
 * ------------------------------------------------------------------------ */

/*
 * Valid requests that no address space can satisfy: the largest valid size
 * for the alignment (rounded up to align it is exactly PTRDIFF_MAX + 1 -
 * align), and on 64-bit targets also 7/8 and 1/2 of the address space.  A
 * malloc may fail them without setting errno - jemalloc 5.3's realloc does
 * above its largest size class, 0x7000000000000000 - and galloc must still
 * say ENOMEM.  On 32-bit targets only the first is beyond every machine.
 */
#define IMPOSSIBLE_SIZES 3

static size_t impossible_sizes(size_t align, size_t sizes[IMPOSSIBLE_SIZES]) {
    sizes[0] = (size_t)PTRDIFF_MAX - (align - 1);
    if (sizeof(size_t) < 8)
        return 1;
    sizes[1] = (size_t)PTRDIFF_MAX / 8 * 7 + 1;
    sizes[2] = (size_t)PTRDIFF_MAX / 2 + 1;
    return IMPOSSIBLE_SIZES;
}

static void check_failing_alloc(kit *k, size_t size, size_t align, bool zeroed) {
    const char *what = zeroed ? "alloc_zeroed" : "alloc";
    galloc_layout layout = layout_of(size, align);
    errno = 0;
    void *p = zeroed ? galloc_allocator_alloc_zeroed(k->allocator, layout)
                     : galloc_allocator_alloc(k->allocator, layout);
    int error = errno;
    expect(k, &k->checks, p == NULL && error == ENOMEM,
           "%s " LAYOUT_FMT " returned " PTR_FMT " with errno %d, expected NULL "
           "and ENOMEM (%d)",
           what, size, align, PTR_ARG(p), error, ENOMEM);
    if (p != NULL)
        galloc_allocator_dealloc(k->allocator, p, layout);
}

/* A failed realloc must leave the old block as it was, still the caller's. */
static void check_failing_realloc(kit *k, size_t size, size_t align, size_t huge) {
    galloc_layout layout = layout_of(size, align);
    const unsigned seed = 77;
    unsigned char *p = galloc_allocator_alloc(k->allocator, layout);
    int error = errno;
    if (!expect(k, &k->checks, p != NULL,
                "alloc " LAYOUT_FMT " returned NULL (errno %d)", size, align, error))
        return;
    fill_pattern(p, 0, size, seed);

    errno = 0;
    void *q = galloc_allocator_realloc(k->allocator, p, layout, huge);
    error = errno;
    if (!expect(k, &k->checks, q == NULL && error == ENOMEM,
                "realloc " LAYOUT_FMT " to %zu returned " PTR_FMT
                " with errno %d, expected NULL and ENOMEM (%d)",
                size, align, huge, PTR_ARG(q), error, ENOMEM)) {
        if (q != NULL) {
            /* It claims success: the old block is gone, the new one is it. */
            galloc_allocator_dealloc(k->allocator, q, layout_of(huge, align));
            return;
        }
    }
    size_t bad = pattern_mismatch(p, 0, size, seed);
    expect(k, &k->checks, bad == size,
           "failed realloc " LAYOUT_FMT " to %zu changed the old block: byte %zu "
           "is 0x%02x, expected 0x%02x",
           size, align, huge, bad, bad < size ? p[bad] : 0u,
           bad < size ? PATTERN(bad, seed) : 0u);
    galloc_allocator_dealloc(k->allocator, p, layout);
}

static void check_failure(kit *k) {
    /* A plain and an over-aligned case, and a small and a larger block,
     * within the options' limits. */
    size_t aligns[2], sizes[2], n_aligns = 0, n_sizes = 0;
    add_sorted(aligns, &n_aligns, 2, min_size(16, k->max_align), k->max_align);
    add_sorted(aligns, &n_aligns, 2, min_size(4096, k->max_align), k->max_align);
    add_sorted(sizes, &n_sizes, 2, min_size(100, k->max_size), k->max_size);
    add_sorted(sizes, &n_sizes, 2, min_size(65543, k->max_size), k->max_size);
    for (size_t a = 0; a < n_aligns; a++) {
        size_t huge[IMPOSSIBLE_SIZES];
        size_t n_huge = impossible_sizes(aligns[a], huge);
        for (size_t h = 0; h < n_huge; h++) {
            check_failing_alloc(k, huge[h], aligns[a], false);
            check_failing_alloc(k, huge[h], aligns[a], true);
            for (size_t i = 0; i < n_sizes; i++)
                check_failing_realloc(k, sizes[i], aligns[a], huge[h]);
        }
    }
}

/* ---------------------------------------------------------------------------
 * 6. errno.
 * ------------------------------------------------------------------------ */

static void check_dealloc_errno(kit *k) {
    /* Sizes and alignments are capped by the options; SIZE_MAX is max_size. */
    static const size_t layouts[][2] = {
        {1, 1},       {8, 8},        {24, 16}, {100, 64}, {4096, 16}, {4096, 4096},
        {1000, 65536}, {65536, 16}, {0, 16},  {SIZE_MAX, 16}};
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        size_t size = min_size(layouts[i][0], k->max_size);
        size_t align = min_size(layouts[i][1], k->max_align);
        galloc_layout layout = layout_of(size, align);
        unsigned char *p = galloc_allocator_alloc(k->allocator, layout);
        int error = errno;
        if (!expect(k, &k->checks, p != NULL,
                    "alloc " LAYOUT_FMT " returned NULL (errno %d)", size, align,
                    error))
            continue;
        if (size != 0)
            fill_pattern(p, 0, size, 3);

        errno = ERRNO_SENTINEL;
#if defined(_WIN32)
        SetLastError(ERRNO_SENTINEL);
#endif
        galloc_allocator_dealloc(k->allocator, p, layout);
        error = errno;
        expect(k, &k->checks, error == ERRNO_SENTINEL,
               "dealloc " LAYOUT_FMT " changed errno from %d to %d", size, align,
               ERRNO_SENTINEL, error);
#if defined(_WIN32)
        DWORD last = GetLastError();
        expect(k, &k->checks, last == ERRNO_SENTINEL,
               "dealloc " LAYOUT_FMT " changed GetLastError() from %d to %lu",
               size, align, ERRNO_SENTINEL, (unsigned long)last);
#endif
    }
}

/* ---------------------------------------------------------------------------
 * 7. Threads.
 *
 * Each worker keeps a table of live blocks and does random operations on
 * it; every block carries its own pattern, verified before the block is
 * resized or released.  Some blocks are posted to another worker's mailbox,
 * which frees them: memory freed by a thread that did not allocate it is
 * where per-thread caches go wrong.
 * ------------------------------------------------------------------------ */

#define SLOTS 64
#define MAILBOX_SLOTS 32
#define THREAD_MAX_SIZE ((size_t)4096)
#define THREAD_MAX_ALIGN ((size_t)4096)

typedef struct kit_block {
    unsigned char *ptr; /* NULL: the slot is free */
    size_t size;
    size_t align;
    unsigned seed;
} kit_block;

struct kit_worker {
    kit *k;
    kit_worker *all; /* every worker, for the mailboxes */
    unsigned count;  /* how many there are */
    unsigned number; /* this one's position in `all` */
    uint64_t random;
    unsigned checks;
    kit_block live[SLOTS];
    /* Blocks other workers handed over, for this one to free. */
    kit_mutex mailbox_lock;
    kit_block mailbox[MAILBOX_SLOTS];
    unsigned mailbox_count;
};

/* xorshift64*, seeded by the worker's number: each worker makes the same
 * operations on every run (only the interleaving of threads varies), so a
 * failure tends to come back when the run is repeated. */
static uint64_t next_random(kit_worker *w) {
    uint64_t x = w->random;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    w->random = x;
    return x * UINT64_C(2685821657736338717);
}

/* Mostly small sizes, as in real programs, with a tail up to 4 KiB; mostly
 * small alignments, with every power of two up to 4 KiB now and then. */
static void random_layout(kit_worker *w, size_t *size, size_t *align) {
    uint64_t r = next_random(w);
    size_t max_size = min_size(THREAD_MAX_SIZE, w->k->max_size);
    size_t bound = (r & 7) < 4 ? 64 : (r & 7) < 7 ? 512 : 4096;
    *size = min_size(1 + (size_t)((r >> 8) % bound), max_size);
    unsigned shift = (unsigned)((r >> 24) % 13);
    if ((r >> 32) & 1)
        shift %= 5;
    *align = min_size((size_t)1 << shift, min_size(THREAD_MAX_ALIGN, w->k->max_align));
}

static bool worker_expect_pattern(kit_worker *w, const kit_block *b, size_t size,
                                  const char *when) {
    size_t bad = pattern_mismatch(b->ptr, 0, size, b->seed);
    return expect(w->k, &w->checks, bad == size,
                  "thread %u: block " LAYOUT_FMT " at " PTR_FMT
                  " lost its contents %s: byte %zu is 0x%02x, expected 0x%02x",
                  w->number, b->size, b->align, PTR_ARG(b->ptr), when, bad,
                  bad < size ? b->ptr[bad] : 0u,
                  bad < size ? PATTERN(bad, b->seed) : 0u);
}

static void worker_alloc(kit_worker *w, kit_block *b, bool zeroed) {
    const char *what = zeroed ? "alloc_zeroed" : "alloc";
    size_t size, align;
    random_layout(w, &size, &align);
    galloc_layout layout = layout_of(size, align);
    unsigned char *p = zeroed ? galloc_allocator_alloc_zeroed(w->k->allocator, layout)
                              : galloc_allocator_alloc(w->k->allocator, layout);
    int error = errno;
    if (!expect(w->k, &w->checks, p != NULL,
                "thread %u: %s " LAYOUT_FMT " returned NULL (errno %d)", w->number,
                what, size, align, error))
        return;
    expect(w->k, &w->checks, is_aligned(p, align),
           "thread %u: %s " LAYOUT_FMT " returned " PTR_FMT " not aligned",
           w->number, what, size, align, PTR_ARG(p));
    if (zeroed) {
        size_t bad = first_nonzero(p, size);
        expect(w->k, &w->checks, bad == size,
               "thread %u: alloc_zeroed " LAYOUT_FMT " returned " PTR_FMT
               " with byte %zu = 0x%02x, not zero",
               w->number, size, align, PTR_ARG(p), bad, bad < size ? p[bad] : 0u);
    }
    b->ptr = p;
    b->size = size;
    b->align = align;
    b->seed = (unsigned)next_random(w);
    fill_pattern(p, 0, size, b->seed);
}

static void worker_release(kit_worker *w, kit_block *b, const char *when) {
    worker_expect_pattern(w, b, b->size, when);
    galloc_allocator_dealloc(w->k->allocator, b->ptr, layout_of(b->size, b->align));
    b->ptr = NULL;
}

static void worker_realloc(kit_worker *w, kit_block *b) {
    size_t new_size, unused_align;
    random_layout(w, &new_size, &unused_align);
    worker_expect_pattern(w, b, b->size, "before realloc");
    unsigned char *q = galloc_allocator_realloc(
        w->k->allocator, b->ptr, layout_of(b->size, b->align), new_size);
    int error = errno;
    if (!expect(w->k, &w->checks, q != NULL,
                "thread %u: realloc " LAYOUT_FMT " to %zu returned NULL (errno %d)",
                w->number, b->size, b->align, new_size, error))
        return; /* the old block is still valid */
    expect(w->k, &w->checks, is_aligned(q, b->align),
           "thread %u: realloc " LAYOUT_FMT " to %zu returned " PTR_FMT
           " not aligned",
           w->number, b->size, b->align, new_size, PTR_ARG(q));
    size_t kept = min_size(b->size, new_size);
    size_t bad = pattern_mismatch(q, 0, kept, b->seed);
    if (!expect(w->k, &w->checks, bad == kept,
                "thread %u: realloc " LAYOUT_FMT " to %zu lost data: byte %zu is "
                "0x%02x, expected 0x%02x",
                w->number, b->size, b->align, new_size, bad,
                bad < kept ? q[bad] : 0u, bad < kept ? PATTERN(bad, b->seed) : 0u))
        fill_pattern(q, 0, kept, b->seed); /* report each loss once */
    if (new_size > b->size)
        fill_pattern(q, b->size, new_size, b->seed);
    b->ptr = q;
    b->size = new_size;
}

/* Posts the block to another worker; frees it here if that mailbox is
 * full.  The block is verified by whoever frees it. */
static void worker_hand_over(kit_worker *w, kit_block *b) {
    unsigned offset = 1 + (unsigned)(next_random(w) % (w->count - 1));
    kit_worker *target = &w->all[(w->number + offset) % w->count];
    bool posted = false;
    mutex_lock(&target->mailbox_lock);
    if (target->mailbox_count < MAILBOX_SLOTS) {
        target->mailbox[target->mailbox_count++] = *b;
        posted = true;
    }
    mutex_unlock(&target->mailbox_lock);
    if (posted)
        b->ptr = NULL;
    else
        worker_release(w, b, "before dealloc");
}

/* Frees what other workers posted.  The blocks are taken out under the lock
 * and released after it, so no allocator call runs under the kit's lock. */
static void worker_drain(kit_worker *w) {
    kit_block received[MAILBOX_SLOTS];
    mutex_lock(&w->mailbox_lock);
    unsigned n = w->mailbox_count;
    memcpy(received, w->mailbox, n * sizeof received[0]);
    w->mailbox_count = 0;
    mutex_unlock(&w->mailbox_lock);
    for (unsigned i = 0; i < n; i++)
        worker_release(w, &received[i], "when freed by another thread");
}

static void worker_run(kit_worker *w) {
    unsigned ops = w->k->ops_per_thread;
    for (unsigned op = 0; op < ops; op++) {
        if (op % 16 == 0)
            worker_drain(w);
        uint64_t r = next_random(w);
        kit_block *b = &w->live[(size_t)(r % SLOTS)];
        unsigned choice = (unsigned)((r >> 16) % 8);
        if (b->ptr == NULL)
            worker_alloc(w, b, choice < 2);
        else if (choice < 3)
            worker_realloc(w, b);
        else if (choice < 6 || w->count == 1)
            worker_release(w, b, "before dealloc");
        else
            worker_hand_over(w, b);
    }
    for (unsigned i = 0; i < SLOTS; i++)
        if (w->live[i].ptr != NULL)
            worker_release(w, &w->live[i], "before dealloc");
    worker_drain(w);
}

static void check_threads(kit *k) {
    unsigned count = k->threads;
    kit_worker *workers = calloc(count, sizeof *workers);
    kit_thread *threads = calloc(count, sizeof *threads);
    bool *started = calloc(count, sizeof *started);
    unsigned ready = 0;
    if (!expect(k, &k->checks, workers != NULL && threads != NULL && started != NULL,
                "threads: the kit could not allocate its own tables (calloc)"))
        goto done;
    for (; ready < count; ready++) {
        kit_worker *w = &workers[ready];
        if (!expect(k, &k->checks, mutex_init(&w->mailbox_lock),
                    "threads: the kit could not create a mutex"))
            goto done;
        w->k = k;
        w->all = workers;
        w->count = count;
        w->number = ready;
        /* Never 0, which xorshift would keep forever. */
        w->random = UINT64_C(0x9E3779B97F4A7C15) * (ready + 1);
    }

    if (count == 1) {
        worker_run(&workers[0]);
    } else {
        for (unsigned i = 0; i < count; i++)
            started[i] = thread_start(&threads[i], &workers[i]);
        /* A thread the OS would not give still does its share, here. */
        for (unsigned i = 0; i < count; i++)
            if (!started[i])
                worker_run(&workers[i]);
        for (unsigned i = 0; i < count; i++)
            if (started[i])
                thread_join(threads[i]);
    }
    /* Blocks posted to a worker after it finished. */
    for (unsigned i = 0; i < count; i++)
        worker_drain(&workers[i]);
    for (unsigned i = 0; i < count; i++)
        k->checks += workers[i].checks;

done:
    for (unsigned i = 0; i < ready; i++)
        mutex_destroy(&workers[i].mailbox_lock);
    free(started);
    free(threads);
    free(workers);
}

/* ---------------------------------------------------------------------------
 * The entry point.
 * ------------------------------------------------------------------------ */

/* The largest power of two not above x (x > 0). */
static size_t floor_power_of_two(size_t x) {
    while ((x & (x - 1)) != 0)
        x &= x - 1;
    return x;
}

int galloc_conformance_check(const galloc_allocator *allocator,
                             const galloc_conformance_options *options,
                             galloc_conformance_report *report) {
    kit k;
    memset(&k, 0, sizeof k);
    k.allocator = allocator;
    k.threads = DEFAULT_THREADS;
    k.ops_per_thread = DEFAULT_OPS;
    k.max_align = DEFAULT_MAX_ALIGN;
    k.max_size = DEFAULT_MAX_SIZE;
    if (options != NULL) {
        if (options->threads != 0)
            k.threads = options->threads < MAX_THREADS ? options->threads : MAX_THREADS;
        if (options->ops_per_thread != 0)
            k.ops_per_thread = options->ops_per_thread;
        if (options->max_align != 0)
            k.max_align = floor_power_of_two(options->max_align);
        if (options->max_size != 0)
            k.max_size = options->max_size;
        k.skip_failure_checks = options->skip_failure_checks != 0;
    }

    if (!mutex_init(&k.lock)) {
        /* Nothing can be recorded safely without it. */
        k.checks = 1;
        k.failures = 1;
        snprintf(k.first_failure, sizeof k.first_failure,
                 "the kit could not create a mutex");
    } else {
        /* The front end calls these two unconditionally. */
        if (expect(&k, &k.checks,
                   allocator == NULL || (allocator->alloc != NULL &&
                                         allocator->dealloc != NULL),
                   "allocator \"%s\" has no alloc or no dealloc function",
                   allocator != NULL && allocator->name != NULL ? allocator->name
                                                                : "")) {
            check_alignment(&k);
            check_multiple_sizes(&k);
            check_zero_size(&k);
            check_zeroing(&k);
            check_realloc(&k);
            if (!k.skip_failure_checks)
                check_failure(&k);
            check_dealloc_errno(&k);
            check_threads(&k);
        }
        mutex_destroy(&k.lock);
    }

    if (report != NULL) {
        report->checks = k.checks;
        report->failures = k.failures;
        memcpy(report->first_failure, k.first_failure, sizeof report->first_failure);
        report->first_failure[sizeof report->first_failure - 1] = '\0';
    }
    return k.failures > INT_MAX ? INT_MAX : (int)k.failures;
}
