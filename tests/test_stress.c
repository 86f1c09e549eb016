/*
 * test_stress.c - many libuv threads doing many random operations on blocks
 * they share, every block's contents verified.
 *
 * T threads x N operations: alloc, alloc_zeroed, realloc (grow and shrink)
 * and dealloc, with random layouts (alignments 1 to 16 and over-aligned 32
 * to 4096; sizes 1 byte to 64 KiB, and now and then a large block of
 * 256 KiB to 2 MiB), through the three ways into galloc: the global front
 * end (galloc_alloc & co.), an explicit allocator (galloc_allocator_* on
 * &galloc_system) and the libc-shaped functions (galloc_libc_*).
 *
 * The blocks live in one array of slots shared by every thread, each slot
 * under its own uv_mutex.  A thread takes the block out of a random slot,
 * works on it with no lock held, and swaps the result into another random
 * slot; whatever it displaces there it frees.  So most reallocs and frees
 * are of blocks another thread allocated, and blocks are handed between
 * threads all the time.  Every block holds fill_pattern(its id), verified
 * each time a thread takes it - so before every realloc and dealloc - and
 * when the run ends; zeroing and alignment are verified on every allocation
 * and realloc.
 *
 * Threads cannot fail a CMocka assertion (CMocka longjmps to the main
 * thread's context), so they record failures, and the main thread asserts
 * once they are joined.  The harness proves it can fail: one test corrupts
 * a byte of one block and expects exactly that one report.
 *
 * Compiled with STRESS_CHECKED (test_stress_checked), the program makes a
 * checked allocator (galloc/checked.h) wrapping the System allocator its
 * global allocator, so all three routes go through it; its counters must
 * then match the harness's operations exactly, with nothing live at the end
 * and no problem reported (a report aborts).
 *
 * Environment (default in brackets):
 *   GALLOC_STRESS_SEED     the PRNG seed [from the clock]; every run prints
 *                          it.  It fixes each thread's operations, not how
 *                          the threads interleave.
 *   GALLOC_STRESS_THREADS  threads, 1 to 64 [8]
 *   GALLOC_STRESS_OPS      operations per thread [20000]
 */
#include "support/printf_format.h"
#include "support/routes.h"
#include "support/testing.h"

#include <uv.h>

#if defined(STRESS_CHECKED)
#include <galloc/checked.h>
static galloc_checked checker = GALLOC_CHECKED_INIT(NULL, "stress");
GALLOC_GLOBAL_ALLOCATOR(checker);
#define STRESS_ALLOCATOR (&checker.allocator)
#else
#define STRESS_ALLOCATOR (&galloc_system)
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 512u
#define MAX_THREADS 64u
/* What galloc_libc_malloc's blocks are aligned to. */
#define LIBC_ALIGN ((size_t)16)
/* One allocation or realloc in LARGE_ONE_IN asks for a large block. */
#define LARGE_ONE_IN 1024u
#define LARGE_MIN ((size_t)256 << 10)
#define LARGE_MAX ((size_t)2 << 20)
/* A block's id is its owner << 24 | its number among the owner's. */
#define ID_MASK 0xFFFFFFu
/* Failures printed as they happen; all are counted. */
#define PRINTED_FAILURES 10u


/* The routes a block may take (support/routes.h), by number: the global
 * front end, galloc_allocator_* on the run's allocator, the libc-shaped
 * functions.  (Not the allocator object's own functions, which are only
 * for what the front end would pass on.) */
static const test_route routes[] = {ROUTE_GLOBAL, ROUTE_EXPLICIT, ROUTE_LIBC};
#define N_ROUTES 3u

typedef enum op {
    OP_ALLOC,
    OP_ALLOC_ZEROED,
    OP_GROW,
    OP_SHRINK,
    OP_SAME_SIZE,       /* a realloc to the same size: the front end's no-op */
    OP_DEALLOC,
    OP_FOREIGN_DEALLOC, /* of a block another thread allocated */
    OP_LARGE,           /* large blocks allocated or reallocated to */
    OPS
} op;
static const char *const op_names[OPS] = {"alloc",   "zeroed",          "grow",
                                          "shrink",  "same size",       "dealloc",
                                          "foreign dealloc", "large"};

typedef struct block {
    unsigned char *ptr; /* NULL: no block */
    size_t size;
    size_t align;
    unsigned id;     /* the seed of its pattern: owner << 24 | number */
    unsigned via;    /* its route's number: how it was allocated, resized, freed */
} block;

typedef struct slot {
    uv_mutex_t lock;
    block block;
} slot;

typedef struct stress stress;

typedef struct worker {
    stress *s;
    unsigned number; /* 0..threads-1; `threads` for the final drain */
    uint64_t random;
    unsigned next_id;
    bool corrupted;
    unsigned long counts[N_ROUTES][OPS];
} worker;

struct stress {
    const galloc_allocator *allocator; /* ROUTE_EXPLICIT's */
    unsigned threads;
    unsigned ops;
    uint64_t seed;
    /* Nonzero: thread 0 corrupts one byte of the block it allocates after
     * this many operations (the self-test). */
    unsigned corrupt_after;
    slot slots[SLOTS];
    /* Written under report_lock. */
    uv_mutex_t report_lock;
    unsigned long failures;
    char first_failure[256];
    unsigned long counts[N_ROUTES][OPS];
    worker workers[MAX_THREADS + 1]; /* the last one drains the slots */
    uv_thread_t ids[MAX_THREADS];
};

/* ---------------------------------------------------------------------------
 * Randomness and failures.
 * ------------------------------------------------------------------------ */

/* splitmix64: any seed, 0 included, gives a full-period stream. */
static uint64_t next_random(worker *w) {
    uint64_t z = (w->random += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Mostly small sizes, a tail up to 64 KiB, and rarely a large block (which
 * glibc serves with mmap, Windows with a separate virtual allocation). */
static size_t random_size(worker *w) {
    uint64_t r = next_random(w);
    if (r % LARGE_ONE_IN == 0)
        return LARGE_MIN + (size_t)((r >> 16) % (LARGE_MAX - LARGE_MIN + 1));
    unsigned kind = (unsigned)((r >> 10) % 8);
    size_t bound = kind < 4 ? 256 : kind < 7 ? 4096 : (size_t)64 << 10;
    return 1 + (size_t)((r >> 16) % bound);
}

/* Half the alignments are 1 to 16, half over-aligned, 32 to 4096. */
static size_t random_align(worker *w) {
    uint64_t r = next_random(w);
    unsigned shift = (r & 1) ? (unsigned)((r >> 1) % 5) : 5 + (unsigned)((r >> 1) % 8);
    return (size_t)1 << shift;
}

static PRINTF_FORMAT(2, 3) void failure(worker *w, const char *format, ...) {
    char text[sizeof w->s->first_failure];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    stress *s = w->s;
    uv_mutex_lock(&s->report_lock);
    if (s->failures == 0)
        memcpy(s->first_failure, text, sizeof text);
    if (s->failures < PRINTED_FAILURES)
        fprintf(stderr, "test_stress: thread %u: %s\n", w->number, text);
    s->failures++;
    uv_mutex_unlock(&s->report_lock);
}

#define BLOCK_FMT "block %u of thread %u {size %zu, align %zu} via %s at %p"
#define BLOCK_ARGS(b) (b)->id & ID_MASK, (b)->id >> 24, (b)->size, (b)->align, \
                      route_names[routes[(b)->via]], (void *)(b)->ptr

/* Checks that the first `size` bytes hold the block's pattern; after a
 * report the pattern is restored, so that each loss is reported once. */
static void verify(worker *w, const block *b, unsigned char *ptr, size_t size,
                   const char *when) {
    unsigned char expected = 0;
    size_t bad = pattern_mismatch(ptr, 0, size, b->id, &expected);
    if (bad == size)
        return;
    failure(w, BLOCK_FMT " lost its contents %s: byte %zu is 0x%02x, expected 0x%02x",
            BLOCK_ARGS(b), when, bad, ptr[bad], expected);
    fill_pattern(ptr, size, b->id);
}

static void verify_aligned(worker *w, const block *b, const void *ptr, const char *what) {
    if (!is_aligned(ptr, b->align))
        failure(w, BLOCK_FMT ": %s returned %p, not aligned", BLOCK_ARGS(b), what, ptr);
}

/* The three routes into galloc (support/routes.h), for a block. */
static void *block_alloc(const stress *s, const block *b, bool zeroed) {
    return route_alloc(routes[b->via], s->allocator, b->size, b->align, zeroed);
}

static void *block_realloc(const stress *s, const block *b, size_t new_size) {
    return route_realloc(routes[b->via], s->allocator, b->ptr, b->size, b->align, new_size);
}

static void block_dealloc(const stress *s, const block *b) {
    route_dealloc(routes[b->via], s->allocator, b->ptr, b->size, b->align);
}

/* ---------------------------------------------------------------------------
 * Operations.
 * ------------------------------------------------------------------------ */

static void count_size(worker *w, unsigned r, size_t size) {
    if (size >= LARGE_MIN)
        w->counts[r][OP_LARGE]++;
}

static void allocate(worker *w, block *b, bool zeroed) {
    b->via = (unsigned)(next_random(w) % N_ROUTES);
    b->size = random_size(w);
    b->align = routes[b->via] == ROUTE_LIBC ? LIBC_ALIGN : random_align(w);
    b->id = w->number << 24 | (w->next_id++ & ID_MASK);
    b->ptr = block_alloc(w->s, b, zeroed);
    const char *what = zeroed ? "alloc_zeroed" : "alloc";
    if (b->ptr == NULL) {
        int error = errno;
        failure(w, "%s {size %zu, align %zu} via %s returned NULL (errno %d)", what,
                b->size, b->align, route_names[routes[b->via]], error);
        return;
    }
    w->counts[b->via][zeroed ? OP_ALLOC_ZEROED : OP_ALLOC]++;
    count_size(w, b->via, b->size);
    verify_aligned(w, b, b->ptr, what);
    if (zeroed && !is_all_zero(b->ptr, b->size))
        failure(w, BLOCK_FMT ": alloc_zeroed gave a block that is not all zero",
                BLOCK_ARGS(b));
    fill_pattern(b->ptr, b->size, b->id);
    stress *s = w->s;
    if (s->corrupt_after != 0 && w->number == 0 && !w->corrupted &&
        w->next_id > s->corrupt_after) {
        b->ptr[b->size / 2] ^= 0x5a;
        w->corrupted = true;
    }
}

static void resize(worker *w, block *b) {
    size_t new_size = random_size(w);
    unsigned char *moved = block_realloc(w->s, b, new_size);
    if (moved == NULL) { /* the old block is still valid */
        int error = errno;
        failure(w, BLOCK_FMT ": realloc to %zu returned NULL (errno %d)", BLOCK_ARGS(b),
                new_size, error);
        return;
    }
    w->counts[b->via][new_size > b->size   ? OP_GROW
                      : new_size < b->size ? OP_SHRINK
                                           : OP_SAME_SIZE]++;
    count_size(w, b->via, new_size);
    verify_aligned(w, b, moved, "realloc");
    verify(w, b, moved, new_size < b->size ? new_size : b->size, "across realloc");
    if (new_size > b->size)
        fill_pattern_range(moved, b->size, new_size, b->id);
    b->ptr = moved;
    b->size = new_size;
}

static void release(worker *w, block *b) {
    block_dealloc(w->s, b);
    w->counts[b->via][b->id >> 24 == w->number ? OP_DEALLOC : OP_FOREIGN_DEALLOC]++;
    b->ptr = NULL;
}

/* Puts `b` in slot `i` and returns what was there (ptr NULL if empty). */
static block swap_slot(stress *s, unsigned i, block b) {
    slot *sl = &s->slots[i];
    uv_mutex_lock(&sl->lock);
    block old = sl->block;
    sl->block = b;
    uv_mutex_unlock(&sl->lock);
    return old;
}

/* Takes a block out of slot `i`, verified; ptr NULL if the slot was empty. */
static block take(worker *w, unsigned i, const char *when) {
    block empty = {NULL, 0, 0, 0, 0};
    block b = swap_slot(w->s, i, empty);
    if (b.ptr != NULL)
        verify(w, &b, b.ptr, b.size, when);
    return b;
}

static void step(worker *w) {
    uint64_t r = next_random(w);
    block b = take(w, (unsigned)(r % SLOTS), "when taken from its slot");
    unsigned choice = (unsigned)((r >> 32) % 16);
    if (b.ptr == NULL)
        allocate(w, &b, choice < 6);
    else if (choice < 7)
        resize(w, &b);
    else if (choice < 12)
        release(w, &b);
    /* else the block moves on unchanged */
    if (b.ptr == NULL)
        return;
    block displaced = swap_slot(w->s, (unsigned)(next_random(w) % SLOTS), b);
    if (displaced.ptr != NULL) {
        verify(w, &displaced, displaced.ptr, displaced.size, "when displaced from its slot");
        release(w, &displaced);
    }
}

/* Adds a worker's counts to the run's. */
static void merge_counts(worker *w) {
    stress *s = w->s;
    uv_mutex_lock(&s->report_lock);
    for (unsigned r = 0; r < N_ROUTES; r++)
        for (unsigned o = 0; o < OPS; o++)
            s->counts[r][o] += w->counts[r][o];
    uv_mutex_unlock(&s->report_lock);
}

static void worker_main(void *arg) {
    worker *w = arg;
    for (unsigned i = 0; i < w->s->ops; i++)
        step(w);
    merge_counts(w);
}

/* ---------------------------------------------------------------------------
 * A run.
 * ------------------------------------------------------------------------ */

/* Runs the threads, then frees (verified) whatever the slots still hold.
 * Returns false if a thread or a lock could not be created. */
static bool run(stress *s) {
    worker *workers = s->workers;
    if (uv_mutex_init(&s->report_lock) != 0)
        return false;
    for (unsigned i = 0; i < SLOTS; i++)
        if (uv_mutex_init(&s->slots[i].lock) != 0)
            return false;
    for (unsigned t = 0; t <= s->threads; t++) {
        workers[t].s = s;
        workers[t].number = t;
        workers[t].random = s->seed ^ (UINT64_C(0xD1B54A32D192ED03) * (t + 1));
    }
    unsigned started = 0;
    while (started < s->threads &&
           uv_thread_create(&s->ids[started], worker_main, &workers[started]) == 0)
        started++;
    for (unsigned t = 0; t < started; t++)
        uv_thread_join(&s->ids[t]);

    worker *drain = &workers[s->threads];
    for (unsigned i = 0; i < SLOTS; i++) {
        block b = take(drain, i, "at the end of the run");
        if (b.ptr != NULL)
            release(drain, &b);
    }
    merge_counts(drain);
    for (unsigned i = 0; i < SLOTS; i++)
        uv_mutex_destroy(&s->slots[i].lock);
    uv_mutex_destroy(&s->report_lock);
    return started == s->threads;
}

/* The configuration read from the environment by main(). */
static unsigned config_threads = 8;
static unsigned config_ops = 20000;
static uint64_t config_seed;

static stress *new_stress(unsigned threads, unsigned ops, unsigned corrupt_after) {
    stress *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->allocator = STRESS_ALLOCATOR;
    s->threads = threads;
    s->ops = ops;
    s->seed = config_seed;
    s->corrupt_after = corrupt_after;
    return s;
}

static unsigned long total(const stress *s, op o) {
    unsigned long sum = 0;
    for (unsigned r = 0; r < N_ROUTES; r++)
        sum += s->counts[r][o];
    return sum;
}

static void print_counts(const stress *s) {
    for (unsigned r = 0; r < N_ROUTES; r++) {
        printf("  %-19s", route_names[routes[r]]);
        for (unsigned o = 0; o < OPS; o++)
            printf(" %s %lu%s", op_names[o], s->counts[r][o], o + 1 < OPS ? "," : "\n");
    }
}

/* ---------------------------------------------------------------------------
 * Tests.
 * ------------------------------------------------------------------------ */

#if defined(STRESS_CHECKED)
/* The checked allocator saw exactly the run's operations (its counters are
 * totals since start-up, hence `before`; a same-size realloc never reaches
 * an allocator), and holds nothing. */
static void the_checker_saw_every_operation(const stress *s, galloc_checked_stats before) {
    galloc_checked_stats after = galloc_checked_get_stats(&checker);
    printf("  checked allocator: %llu allocs, %llu reallocs, %llu deallocs, "
           "peak %zu blocks\n", after.allocs - before.allocs,
           after.reallocs - before.reallocs, after.deallocs - before.deallocs,
           after.peak_blocks);
    assert_true(after.allocs - before.allocs ==
                total(s, OP_ALLOC) + total(s, OP_ALLOC_ZEROED));
    assert_true(after.reallocs - before.reallocs == total(s, OP_GROW) + total(s, OP_SHRINK));
    assert_true(after.deallocs - before.deallocs ==
                total(s, OP_DEALLOC) + total(s, OP_FOREIGN_DEALLOC));
    assert_true(after.live_blocks == 0);
    assert_true(after.problems == 0);
}
#endif

static void threads_share_blocks_through_every_route(void **state) {
    (void)state;
    stress *s = new_stress(config_threads, config_ops, 0);
#if defined(STRESS_CHECKED)
    assert_ptr_equal(galloc_global(), &checker.allocator);
    galloc_checked_stats before = galloc_checked_get_stats(&checker);
#endif
    bool all_started = run(s);
    print_counts(s);
    if (s->failures != 0)
        fail_msg("%lu failures; the first: %s", s->failures, s->first_failure);
    assert_true(all_started);
#if defined(STRESS_CHECKED)
    the_checker_saw_every_operation(s, before);
#endif
    /* The harness's own bookkeeping: every block allocated was freed. */
    assert_true(total(s, OP_ALLOC) + total(s, OP_ALLOC_ZEROED) ==
                total(s, OP_DEALLOC) + total(s, OP_FOREIGN_DEALLOC));
    /* A run this big did everything on every route: at the default scale
     * (160000 operations) each count is in the thousands, but for large
     * blocks (about 40 per route) and same-size reallocs (about 10, left
     * out). */
    if ((unsigned long)s->threads * s->ops >= 100000) {
        for (unsigned r = 0; r < N_ROUTES; r++)
            for (unsigned o = 0; o < OPS; o++)
                if (s->counts[r][o] == 0 && o != OP_SAME_SIZE &&
                    (o != OP_FOREIGN_DEALLOC || s->threads > 1))
                    fail_msg("no %s through %s", op_names[o], route_names[routes[r]]);
    }
    free(s);
}

static void the_harness_reports_a_corrupted_block(void **state) {
    (void)state;
    printf("  (this run corrupts one byte of one block on purpose)\n");
    stress *s = new_stress(2, 2000, 100);
    assert_true(run(s));
    assert_true(s->failures == 1);
    assert_non_null(strstr(s->first_failure, "lost its contents"));
    free(s);
}

/* An unsigned number from the environment, or `fallback`. */
static uint64_t from_env(const char *name, uint64_t fallback, uint64_t min, uint64_t max) {
    const char *text = getenv(name);
    if (text == NULL || *text == '\0')
        return fallback;
    char *end;
    unsigned long long value = strtoull(text, &end, 0);
    if (*end != '\0' || value < min || value > max) {
        fprintf(stderr, "test_stress: ignoring %s=%s (not a number in %llu..%llu)\n", name,
                text, (unsigned long long)min, (unsigned long long)max);
        return fallback;
    }
    return value;
}

int main(void) {
#if defined(STRESS_CHECKED)
    if (galloc_checked_leak_check_at_exit(&checker) != 0)
        return 1;
#endif
    config_seed = from_env("GALLOC_STRESS_SEED", uv_hrtime(), 0, UINT64_MAX);
    config_threads = (unsigned)from_env("GALLOC_STRESS_THREADS", config_threads, 1, MAX_THREADS);
    config_ops = (unsigned)from_env("GALLOC_STRESS_OPS", config_ops, 1, 100000000);
    printf("test_stress: seed %#llx (GALLOC_STRESS_SEED repeats it), %u threads x %u "
           "operations (GALLOC_STRESS_THREADS, GALLOC_STRESS_OPS)\n",
           (unsigned long long)config_seed, config_threads, config_ops);
    fflush(stdout);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threads_share_blocks_through_every_route),
        cmocka_unit_test(the_harness_reports_a_corrupted_block),
    };
    return cmocka_run_group_tests_name("stress", tests, NULL, NULL);
}
