/*
 * galloc_bench.c - galloc's benchmark program: the performance bars P1-P10 of
 * DESIGN.md, each measured as a ratio against its baseline in the same run.
 *
 * Every workload runs galloc and its baseline in alternating rounds (galloc
 * first in even rounds, the baseline first in odd ones), at least 7 of them;
 * each round gives one galloc/baseline ratio, and the table shows the median
 * ratio and its spread (the interquartile range of the per-round ratios)
 * next to the bar, with the median time per operation of each side.  The
 * verdict - met, not met, or within noise - comes from that spread (see
 * bar_verdict): a single round moves by a few per cent on a loaded machine.
 * It is a measurement, not a test: the exit status is 0 whatever the
 * figures are.
 *
 * usage: galloc_bench [--quick | --full | --smoke] [--csv | --json] [--only ID]
 *                     [--with NAME=MODULE]...  (extra allocator columns)
 *        galloc_bench --count-loop galloc|malloc N   (for callgrind)
 */
#include <galloc.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <malloc.h> /* _aligned_malloc */
#include <windows.h>
#endif

/* ---------------------------------------------------------------------------
 * Run settings.
 * ------------------------------------------------------------------------ */

typedef struct settings {
    const char *mode;
    int rounds;        /* alternating rounds per workload (>= 7) */
    size_t small_ops;  /* alloc+free pairs per round, P1 P5 P6 P7a */
    size_t aligned_ops; /* the same for over-aligned blocks, P2 P7b (slower) */
    size_t big_ops;    /* 64 MiB zeroed allocations per round, P3 */
    size_t memset_ops; /* blocks per round of the memset baselines (P3b, P3c) and P3d */
    size_t grow_limit; /* P4 grows a buffer up to this size (0: skip P4) */
} settings;

/* Quick mode leaves P4 out (grow_limit 0): growing buffers to hundreds of
 * MiB, alternately, takes about a minute. */
static const settings quick_settings = {"quick", 7, 200000, 20000, 8, 1, 0};
static const settings full_settings = {"full", 15, 2000000, 200000, 32, 4, (size_t)256 << 20};
static const settings smoke_settings = {"smoke", 7, 5000, 1000, 2, 1, (size_t)40 << 20};

static settings cfg;

/* ---------------------------------------------------------------------------
 * Layout mixes: fixed pseudo-random sequences, the same for both sides.
 * ------------------------------------------------------------------------ */

#define RING 4096          /* live blocks at a time */
#define MIX 8192           /* layouts in a mix, cycled */

static galloc_layout small_mix[MIX];   /* 16..1024 bytes, align 1..16, align <= size */
static galloc_layout aligned_mix[MIX]; /* 64..8192 bytes, align 64..4096 */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t next_random(void) {
    /* xorshift64*: deterministic, so every run measures the same sequence. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1du) >> 32);
}

static void make_mixes(void) {
    for (size_t i = 0; i < MIX; i++) {
        /* Mostly small sizes, as real programs have. */
        size_t size = 16u + (next_random() % 64u) * ((next_random() % 4u) == 0 ? 15u : 2u);
        size_t align = (size_t)1 << (next_random() % 5u); /* 1..16 */
        small_mix[i].size = size;
        small_mix[i].align = align;
        size_t big_align = (size_t)64 << (next_random() % 7u); /* 64..4096 */
        aligned_mix[i].size = 64u + (next_random() % 128u) * 64u;
        aligned_mix[i].align = big_align;
    }
}

/* Keeps results alive so no call can be optimised away. */
static volatile uintptr_t sink;

/* ---------------------------------------------------------------------------
 * The allocators being compared, as alloc/free pairs over a ring of live
 * blocks: each step frees the oldest block and allocates a new one.
 * ------------------------------------------------------------------------ */

typedef void *(*alloc_fn)(galloc_layout layout);
typedef void (*free_fn)(void *ptr, galloc_layout layout);

static void *explicit_system_alloc(galloc_layout layout) {
    return galloc_allocator_alloc(&galloc_system, layout);
}
static void explicit_system_free(void *ptr, galloc_layout layout) {
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

#if defined(_WIN32)
static void *heap_alloc(galloc_layout layout) {
    return HeapAlloc(GetProcessHeap(), 0, layout.size);
}
static void heap_free(void *ptr, galloc_layout layout) {
    (void)layout;
    HeapFree(GetProcessHeap(), 0, ptr);
}
static void *aligned_malloc_alloc(galloc_layout layout) {
    return _aligned_malloc(layout.size, layout.align);
}
static void aligned_malloc_free(void *ptr, galloc_layout layout) {
    (void)layout;
    _aligned_free(ptr);
}
#else
static void *malloc_alloc(galloc_layout layout) {
    return malloc(layout.size);
}
static void malloc_free(void *ptr, galloc_layout layout) {
    (void)layout;
    free(ptr);
}
static void *memalign_alloc(galloc_layout layout) {
    void *ptr = NULL;
    return posix_memalign(&ptr, layout.align, layout.size) == 0 ? ptr : NULL;
}
#endif

/* One thread's ring: `ops` frees and allocations over its own blocks. */
typedef struct ring_job {
    alloc_fn alloc;
    free_fn dealloc;
    const galloc_layout *mix;
    size_t ops;
    void *slots[RING];
    galloc_layout layouts[RING];
} ring_job;

static void run_ring(ring_job *job) {
    const galloc_layout *mix = job->mix;
    for (size_t i = 0; i < RING; i++) {
        job->layouts[i] = mix[i % MIX];
        job->slots[i] = job->alloc(job->layouts[i]);
    }
    for (size_t i = 0; i < job->ops; i++) {
        size_t slot = i & (RING - 1);
        job->dealloc(job->slots[slot], job->layouts[slot]);
        galloc_layout layout = mix[(i * 7u + slot) & (MIX - 1)];
        void *ptr = job->alloc(layout);
        /* Touch the block, as any user would. */
        *(volatile unsigned char *)ptr = (unsigned char)i;
        job->slots[slot] = ptr;
        job->layouts[slot] = layout;
    }
    uintptr_t acc = 0;
    for (size_t i = 0; i < RING; i++) {
        acc ^= (uintptr_t)job->slots[i];
        job->dealloc(job->slots[i], job->layouts[i]);
    }
    sink ^= acc;
}

static void ring_thread(void *arg) {
    run_ring(arg);
}

/* ---------------------------------------------------------------------------
 * A side of a comparison: a function that runs one round and returns the
 * number of operations it did.
 * ------------------------------------------------------------------------ */

typedef struct side {
    const char *name;
    size_t (*run)(const void *arg);
    const void *arg;
} side;

typedef struct ring_spec {
    alloc_fn alloc;
    free_fn dealloc;
    const galloc_layout *mix;
    int threads;
    int aligned; /* uses aligned_ops rather than small_ops */
} ring_spec;

static size_t run_ring_spec(const void *arg) {
    const ring_spec *spec = arg;
    static ring_job jobs[2];
    for (int t = 0; t < spec->threads; t++) {
        jobs[t].alloc = spec->alloc;
        jobs[t].dealloc = spec->dealloc;
        jobs[t].mix = spec->mix;
        jobs[t].ops = spec->aligned ? cfg.aligned_ops : cfg.small_ops;
    }
    if (spec->threads == 1) {
        run_ring(&jobs[0]);
    } else {
        uv_thread_t ids[2];
        for (int t = 0; t < spec->threads; t++)
            if (uv_thread_create(&ids[t], ring_thread, &jobs[t]) != 0) {
                fprintf(stderr, "galloc_bench: uv_thread_create failed\n");
                exit(1);
            }
        for (int t = 0; t < spec->threads; t++)
            uv_thread_join(&ids[t]);
    }
    /* Per operation = per alloc+free pair in one thread's view. */
    return jobs[0].ops;
}

/* P3: 64 MiB zeroed blocks.  The galloc side and the platform's zeroed
 * allocation (calloc; HeapAlloc with HEAP_ZERO_MEMORY on Windows) exist on
 * both platforms; the memset baselines use the platform's aligned
 * allocation (posix_memalign; _aligned_malloc). */
#define BIG ((size_t)64 << 20)

/* (Here, where it is used: clang warns about an unused static variable.) */
static volatile unsigned char zero_byte = 0;

/* What a zeroed workload does with a block it got: reads a byte (fresh
 * rows: the block is only taken and given back, as calloc's best case); or,
 * for P3d, checks that every page reads zero - a wrong byte ends the
 * program, loudly - then writes the whole block, so that the next block may
 * reuse dirty pages. */
typedef struct zeroed_spec {
    size_t align;
    int dirty;
} zeroed_spec;

static unsigned long zeroed_failures;

static void use_zeroed_block(const zeroed_spec *spec, unsigned char *p, size_t i) {
    if (p == NULL) {
        fprintf(stderr, "galloc_bench: a 64 MiB zeroed allocation failed\n");
        exit(1);
    }
    if (!spec->dirty) {
        sink ^= p[i * 4096];
        return;
    }
    for (size_t at = 0; at < BIG; at += 4096)
        zeroed_failures += p[at] != 0;
    zeroed_failures += p[BIG - 1] != 0;
    if (zeroed_failures != 0) {
        fprintf(stderr, "galloc_bench: WRONG: a zeroed block (align %lu) holds non-zero bytes\n",
                (unsigned long)spec->align);
        exit(1);
    }
    memset(p, 0x5a, BIG);
}

/* Blocks per round: a dirty block is written whole, as slow as the memset
 * baselines, so it does as few rounds as they do. */
static size_t zeroed_ops(const zeroed_spec *spec) {
    return spec->dirty ? cfg.memset_ops : cfg.big_ops;
}

static size_t run_zeroed_galloc(const void *arg) {
    const zeroed_spec *spec = arg;
    galloc_layout layout = {BIG, spec->align};
    for (size_t i = 0; i < zeroed_ops(spec); i++) {
        unsigned char *p = galloc_alloc_zeroed(layout);
        use_zeroed_block(spec, p, i);
        galloc_dealloc(p, layout);
    }
    return zeroed_ops(spec);
}

static size_t run_zeroed_platform(const void *arg) {
    for (size_t i = 0; i < zeroed_ops(arg); i++) {
#if defined(_WIN32)
        unsigned char *p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, BIG);
        use_zeroed_block(arg, p, i);
        HeapFree(GetProcessHeap(), 0, p);
#else
        unsigned char *p = calloc(1, BIG);
        use_zeroed_block(arg, p, i);
        free(p);
#endif
    }
    return zeroed_ops(arg);
}

/* The block the memset baselines write: malloc's for align <= 16, else the
 * platform's aligned allocation; and its release. */
static void *memset_baseline_alloc(size_t align) {
    if (align <= 16)
        return malloc(BIG);
#if defined(_WIN32)
    return _aligned_malloc(BIG, align);
#else
    void *p = NULL;
    return posix_memalign(&p, align, BIG) == 0 ? p : NULL;
#endif
}

static void memset_baseline_free(void *p, size_t align) {
#if defined(_WIN32)
    if (align > 16) {
        _aligned_free(p);
        return;
    }
#endif
    (void)align;
    free(p);
}

static size_t run_zeroed_memset(const void *arg) {
    const zeroed_spec *spec = arg;
    for (size_t i = 0; i < cfg.memset_ops; i++) {
        unsigned char *p = memset_baseline_alloc(spec->align);
        if (p == NULL) {
            fprintf(stderr, "galloc_bench: a 64 MiB allocation failed\n");
            exit(1);
        }
        /* A non-constant fill value: compilers turn malloc + memset(0) into
         * calloc, which would measure calloc twice. */
        memset(p, zero_byte, BIG);
        sink ^= p[i * 4096];
        memset_baseline_free(p, spec->align);
    }
    return cfg.memset_ops;
}

#if !defined(_WIN32)
/* P4: an over-aligned buffer grown by half its size at a time; each step
 * writes the new tail, as a growing vector would. */
#define GROW_ALIGN 64

static size_t run_grow_galloc(const void *arg) {
    (void)arg;
    size_t size = (size_t)64 << 10, steps = 0;
    unsigned char *p = galloc_alloc((galloc_layout){size, GROW_ALIGN});
    memset(p, 1, size);
    while (size < cfg.grow_limit) {
        size_t new_size = size + size / 2;
        p = galloc_realloc(p, (galloc_layout){size, GROW_ALIGN}, new_size);
        memset(p + size, 1, new_size - size);
        size = new_size;
        steps++;
    }
    sink ^= p[size - 1];
    galloc_dealloc(p, (galloc_layout){size, GROW_ALIGN});
    return steps;
}

static size_t run_grow_copy(const void *arg) {
    (void)arg;
    size_t size = (size_t)64 << 10, steps = 0;
    unsigned char *p = galloc_allocator_alloc(&galloc_system, (galloc_layout){size, GROW_ALIGN});
    memset(p, 1, size);
    while (size < cfg.grow_limit) {
        size_t new_size = size + size / 2;
        /* The baseline: allocate, copy, free at every step. */
        unsigned char *q =
            galloc_allocator_alloc(&galloc_system, (galloc_layout){new_size, GROW_ALIGN});
        memcpy(q, p, size);
        galloc_allocator_dealloc(&galloc_system, p, (galloc_layout){size, GROW_ALIGN});
        p = q;
        memset(p + size, 1, new_size - size);
        size = new_size;
        steps++;
    }
    sink ^= p[size - 1];
    galloc_allocator_dealloc(&galloc_system, p, (galloc_layout){size, GROW_ALIGN});
    return steps;
}

#endif /* !_WIN32 */

/* ---------------------------------------------------------------------------
 * P8, P9: C++.  A process has one operator new, so galloc's and the C++
 * runtime's are compared through two modules built from
 * bench/cxx_module.cpp, with and without galloc::new_delete, loaded from
 * this program's directory (see that file).  Without a C++ compiler they
 * are not built and the rows are not run.
 * ------------------------------------------------------------------------ */

typedef size_t (*new_delete_ring_fn)(const size_t *sizes, size_t n_sizes, size_t ops);
typedef size_t (*pmr_ring_fn)(int galloc_resource, const size_t *sizes, size_t n_sizes,
                              size_t ops);
static new_delete_ring_fn galloc_new_delete_ring, runtime_new_delete_ring;
static pmr_ring_fn pmr_ring;
static size_t cxx_sizes[MIX]; /* P1's sizes: operator new takes no alignment */

#if (defined(GALLOC_BENCH_CXX_GALLOC) && defined(GALLOC_BENCH_CXX_RUNTIME)) ||      \
    (defined(GALLOC_BENCH_RUST_GALLOC) && defined(GALLOC_BENCH_RUST_SYSTEM))
/* The symbol `name` of the module `file` in this program's directory; NULL
 * with a message if it cannot be had.  (The C++ modules of P8 and P9, the
 * Rust ones of P10.) */
static void *module_symbol(const char *file, const char *name) {
    static uv_lib_t libs[4];
    static const char *opened[4];
    char path[4096];
    size_t size = sizeof path;
    int which = 0;
    while (which < 4 && opened[which] != NULL && strcmp(opened[which], file) != 0)
        which++;
    if (which == 4)
        return NULL;
    if (opened[which] == NULL) {
        if (uv_exepath(path, &size) != 0)
            return NULL;
        size_t dir = size; /* just past the last separator, '/' or '\\' */
        while (dir > 0 && path[dir - 1] != '/' && path[dir - 1] != '\\')
            dir--;
        if (dir == 0 || dir + strlen(file) + 1 > sizeof path)
            return NULL;
        strcpy(path + dir, file);
        if (uv_dlopen(path, &libs[which]) != 0) {
            fprintf(stderr, "galloc_bench: %s: %s\n", path, uv_dlerror(&libs[which]));
            uv_dlclose(&libs[which]); /* frees the message */
            return NULL;
        }
        opened[which] = file;
    }
    void *symbol = NULL;
    if (uv_dlsym(&libs[which], name, &symbol) != 0)
        fprintf(stderr, "galloc_bench: %s: %s\n", file, uv_dlerror(&libs[which]));
    return symbol;
}
#endif

#if defined(GALLOC_BENCH_CXX_GALLOC) && defined(GALLOC_BENCH_CXX_RUNTIME)
/* Called before any other module is loaded, the runtime's module first.
 * The libstdc++ a module brings in binds its own calls to operator new
 * within that module's group (tests/modules/cxx_plugin.cpp): first loaded
 * with the runtime's module, it keeps its own operator new, which is what
 * P9's new_delete_resource() must call; first loaded with galloc's
 * module, or with an allocator column's library that defines operator new
 * (Debian's libjemalloc does), it would call theirs. */
static int load_cxx_modules(void) {
    void *runtime_ring = module_symbol(GALLOC_BENCH_CXX_RUNTIME, "bench_new_delete_ring");
    void *pmr = module_symbol(GALLOC_BENCH_CXX_RUNTIME, "bench_pmr_ring");
    void *galloc_ring = module_symbol(GALLOC_BENCH_CXX_GALLOC, "bench_new_delete_ring");
    if (galloc_ring == NULL || runtime_ring == NULL || pmr == NULL)
        return -1;
    memcpy(&galloc_new_delete_ring, &galloc_ring, sizeof galloc_ring);
    memcpy(&runtime_new_delete_ring, &runtime_ring, sizeof runtime_ring);
    memcpy(&pmr_ring, &pmr, sizeof pmr);
    return 0;
}
#else
static int load_cxx_modules(void) {
    return -1;
}
#endif

static int cxx_modules = -1; /* what load_cxx_modules() said (main) */

static size_t run_new_delete_ring(const void *arg) {
    new_delete_ring_fn ring = *(const new_delete_ring_fn *)arg;
    return ring(cxx_sizes, MIX, cfg.small_ops);
}

static size_t run_pmr_ring(const void *arg) {
    return pmr_ring(*(const int *)arg, cxx_sizes, MIX, cfg.small_ops);
}

/* ---------------------------------------------------------------------------
 * P10: Rust.  A Rust module has one global allocator, so the same loops
 * (bench/rust/bench.rs) are built twice, with galloc::Global as Rust's
 * global allocator and with Rust's own std::alloc::System, as modules
 * loaded from this program's directory.  Built only with GALLOC_RUST (make
 * bench-rust).
 * ------------------------------------------------------------------------ */

#if defined(GALLOC_BENCH_RUST_GALLOC) && defined(GALLOC_BENCH_RUST_SYSTEM)
typedef size_t (*rust_loop_fn)(size_t ops);
static rust_loop_fn rust_galloc_vec_push, rust_system_vec_push;
static rust_loop_fn rust_galloc_box_churn, rust_system_box_churn;

static int load_rust_modules(void) {
    void *symbols[4] = {module_symbol(GALLOC_BENCH_RUST_GALLOC, "bench_rust_vec_push"),
                        module_symbol(GALLOC_BENCH_RUST_SYSTEM, "bench_rust_vec_push"),
                        module_symbol(GALLOC_BENCH_RUST_GALLOC, "bench_rust_box_churn"),
                        module_symbol(GALLOC_BENCH_RUST_SYSTEM, "bench_rust_box_churn")};
    for (int i = 0; i < 4; i++)
        if (symbols[i] == NULL)
            return -1;
    memcpy(&rust_galloc_vec_push, &symbols[0], sizeof symbols[0]);
    memcpy(&rust_system_vec_push, &symbols[1], sizeof symbols[1]);
    memcpy(&rust_galloc_box_churn, &symbols[2], sizeof symbols[2]);
    memcpy(&rust_system_box_churn, &symbols[3], sizeof symbols[3]);
    return 0;
}

/* One Rust loop of cfg.small_ops operations: a Vec<u64> grown to 64 (six
 * allocator calls), or a Box made and one dropped. */
static size_t run_rust_loop(const void *arg) {
    rust_loop_fn loop = *(const rust_loop_fn *)arg;
    return loop(cfg.small_ops);
}
#endif

/* ---------------------------------------------------------------------------
 * Measuring.
 * ------------------------------------------------------------------------ */

/* AT_MOST: ratio <= bar; AT_LEAST_TIMES_FASTER: 1 / ratio >= bar; NO_BAR:
 * a figure to report (P3d), with no verdict. */
typedef enum bar_kind { AT_MOST, AT_LEAST_TIMES_FASTER, NO_BAR } bar_kind;

typedef struct result {
    const char *id, *workload;
    double galloc_ns, baseline_ns; /* medians per operation */
    double ratio;                  /* median of per-round galloc/baseline */
    double ratio_q1, ratio_q3;     /* its spread: the per-round ratios' quartiles */
    bar_kind kind;
    double bar;
    double column_ns[2]; /* per loaded allocator (see "Columns"), 0 if not run */
} result;

static double measure(const side *s) {
    uint64_t start = uv_hrtime();
    size_t ops = s->run(s->arg);
    uint64_t elapsed = uv_hrtime() - start;
    return ops ? (double)elapsed / (double)ops : 0.0;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of n values (0 <= q <= 1), interpolating between the two
 * nearest; sorts them.  q = 0.5 is the median. */
static double quantile(double *values, int n, double q) {
    qsort(values, (size_t)n, sizeof *values, compare_doubles);
    double at = q * (n - 1);
    int below = (int)at;
    if (below + 1 >= n)
        return values[n - 1];
    return values[below] + (at - below) * (values[below + 1] - values[below]);
}

static double median(double *values, int n) {
    return quantile(values, n, 0.5);
}

#define MAX_ROUNDS 64

static result compare(const char *id, const char *workload, side galloc_side,
                      side baseline_side, bar_kind kind, double bar) {
    double g[MAX_ROUNDS], b[MAX_ROUNDS], ratios[MAX_ROUNDS];
    int rounds = cfg.rounds < MAX_ROUNDS ? cfg.rounds : MAX_ROUNDS;
    /* One unmeasured round each, to warm caches and the heap. */
    measure(&galloc_side);
    measure(&baseline_side);
    for (int r = 0; r < rounds; r++) {
        if (r % 2 == 0) {
            g[r] = measure(&galloc_side);
            b[r] = measure(&baseline_side);
        } else {
            b[r] = measure(&baseline_side);
            g[r] = measure(&galloc_side);
        }
        ratios[r] = b[r] > 0 ? g[r] / b[r] : 0;
    }
    result res = {id,
                  workload,
                  median(g, rounds),
                  median(b, rounds),
                  median(ratios, rounds),
                  quantile(ratios, rounds, 0.25),
                  quantile(ratios, rounds, 0.75),
                  kind,
                  bar,
                  {0, 0}};
    return res;
}

/*
 * The verdict, honest about noise: one round's ratio moves by a few per cent
 * on a loaded machine, so a median a hair past the bar says nothing.  The
 * middle half of the rounds (the interquartile range of the per-round
 * ratios) decides: "met" if all of it is on the right side of the bar,
 * "not met" if all of it is on the wrong side, "within noise" if the bar
 * falls inside it.
 */
typedef enum verdict { MET, NOT_MET, WITHIN_NOISE, NO_VERDICT } verdict;
static const char *const verdict_names[] = {"met", "not met", "within noise", "-"};

static verdict bar_verdict(const result *r) {
    /* A speedup bar on the ratio: 1 / ratio >= bar, i.e. ratio <= 1 / bar. */
    if (r->kind == NO_BAR)
        return NO_VERDICT;
    double limit = r->kind == AT_MOST ? r->bar : 1.0 / r->bar;
    if (r->ratio_q3 <= limit)
        return MET;
    if (r->ratio_q1 > limit)
        return NOT_MET;
    return WITHIN_NOISE;
}

static void bar_text(const result *r, char *out, size_t size) {
    if (r->kind == AT_MOST)
        snprintf(out, size, "<= %.2f", r->bar);
    else if (r->kind == AT_LEAST_TIMES_FASTER)
        snprintf(out, size, ">= %.0fx faster", r->bar);
    else
        snprintf(out, size, "(reported)");
}

/* The ratio and its spread as the table shows them: "1.012" and
 * "0.991-1.030", or for a speedup bar "25.3x" and "24.1-26.0x". */
static void ratio_text(const result *r, char *ratio, char *spread, size_t size) {
    if (r->kind == AT_LEAST_TIMES_FASTER) {
        /* (Whole numbers from 100x on: the decimal says nothing there.) */
        double speedup = r->ratio > 0 ? 1.0 / r->ratio : 0.0;
        double low = r->ratio_q3 > 0 ? 1.0 / r->ratio_q3 : 0.0;
        double high = r->ratio_q1 > 0 ? 1.0 / r->ratio_q1 : 0.0;
        int digits = low >= 100 ? 0 : 1;
        snprintf(ratio, size, "%.*fx", digits, speedup);
        snprintf(spread, size, "%.*f-%.*fx", digits, low, digits, high);
    } else {
        snprintf(ratio, size, "%.3f", r->ratio);
        snprintf(spread, size, "%.3f-%.3f", r->ratio_q1, r->ratio_q3);
    }
}

/* ---------------------------------------------------------------------------
 * Columns: other allocators as the global, for the ring workloads.
 *
 * Allocators such as mimalloc and jemalloc replace malloc itself in any
 * process that links them, which would change every baseline here.  So each
 * comes in a small module (bench/allocator_module.c) loaded at run time with
 * uv_dlopen, which keeps its malloc out of this program's symbol lookups;
 * the module hands back its galloc_allocator, and the ring runs through
 * galloc_allocator_alloc/dealloc on it: the dispatch an override takes.
 * ------------------------------------------------------------------------ */

#define MAX_COLUMNS 2
static const char *column_names[MAX_COLUMNS];
static const galloc_allocator *column_allocators[MAX_COLUMNS];
static int n_columns;
#if !defined(_WIN32)
static const galloc_allocator *column_current;

static void *column_alloc(galloc_layout layout) {
    return galloc_allocator_alloc(column_current, layout);
}
static void column_free(void *ptr, galloc_layout layout) {
    galloc_allocator_dealloc(column_current, ptr, layout);
}

#endif

/* --with NAME=PATH: load the module at PATH as column NAME. */
static int load_column(const char *spec) {
    const char *eq = strchr(spec, '=');
    if (eq == NULL || n_columns == MAX_COLUMNS)
        return -1;
    static uv_lib_t libs[MAX_COLUMNS];
    uv_lib_t *lib = &libs[n_columns];
    void *symbol;
    if (uv_dlopen(eq + 1, lib) != 0 || uv_dlsym(lib, "bench_allocator", &symbol) != 0) {
        fprintf(stderr, "galloc_bench: %s: %s\n", eq + 1, uv_dlerror(lib));
        return -1;
    }
    const galloc_allocator *(*get)(void);
    memcpy(&get, &symbol, sizeof get);
    column_names[n_columns] = spec;
    column_allocators[n_columns] = get();
    /* Keep just the name: "mimalloc=/path" -> "mimalloc". */
    static char names[MAX_COLUMNS][32];
    snprintf(names[n_columns], sizeof names[0], "%.*s", (int)(eq - spec), spec);
    column_names[n_columns] = names[n_columns];
    n_columns++;
    return 0;
}

#if !defined(_WIN32)
/* Median time per operation of `spec`'s workload with each column's
 * allocator in place of galloc's global one. */
static void run_columns(result *r, const ring_spec *spec) {
    for (int c = 0; c < n_columns; c++) {
        ring_spec with = *spec;
        with.alloc = column_alloc;
        with.dealloc = column_free;
        column_current = column_allocators[c];
        side s = {column_names[c], run_ring_spec, &with};
        double t[MAX_ROUNDS];
        int rounds = cfg.rounds < MAX_ROUNDS ? cfg.rounds : MAX_ROUNDS;
        measure(&s);
        for (int i = 0; i < rounds; i++)
            t[i] = measure(&s);
        r->column_ns[c] = median(t, rounds);
    }
}
#endif

/* ---------------------------------------------------------------------------
 * The workloads.
 * ------------------------------------------------------------------------ */

#define MAX_RESULTS 24
static result results[MAX_RESULTS];
static int n_results;
static const char *only; /* --only ID: run just that workload */

/* --only P3 runs P3a, P3b, P3c.64, ...; --only P3c.64 runs P3c.64 and
 * P3c.64x.  A number is never cut short: --only P1 runs P1, not P10. */
static int wanted(const char *id) {
    if (only == NULL)
        return 1;
    size_t n = strlen(only);
    if (strncmp(only, id, n) != 0)
        return 0;
    bool digit_goes_on = n > 0 && only[n - 1] >= '0' && only[n - 1] <= '9' &&
                         id[n] >= '0' && id[n] <= '9';
    return !digit_goes_on;
}

static void add(result r) {
    if (n_results < MAX_RESULTS)
        results[n_results++] = r;
    fprintf(stderr, "  %s done\n", r.id);
}

/* A row whose two sides are loops of a loaded module (P8-P10b): galloc's
 * time over the baseline's, at most `bar`. */
typedef struct module_row {
    const char *id, *workload;
    side galloc, baseline;
    double bar;
} module_row;

static void add_module_rows(const module_row *rows, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (wanted(rows[i].id))
            add(compare(rows[i].id, rows[i].workload, rows[i].galloc, rows[i].baseline,
                        AT_MOST, rows[i].bar));
}

#if !defined(_WIN32)
/* add() for the ring workloads that also get a column per allocator (P1,
 * P2, P6; the Windows rows have none, as no adapter is built there). */
static void add_with_columns(result r, const ring_spec *spec) {
    run_columns(&r, spec);
    add(r);
}
#endif

static side ring_side(const char *name, const ring_spec *spec) {
    side s = {name, run_ring_spec, spec};
    return s;
}

/* P3: 64 MiB zeroed blocks, on both platforms (on Windows, against
 * HeapAlloc with HEAP_ZERO_MEMORY and _aligned_malloc).  P3a and P3b at
 * malloc's alignment; P3c at 64 and 4096 (issue 16), fresh; P3d the same
 * with each block checked and written before it is released, so that the
 * next may reuse its dirty pages: no bar, its cost is reported. */
#if defined(_WIN32)
#define ZEROED_BASE "HeapAlloc zeroed"
#define ALIGNED_MEMSET "_aligned_malloc+memset"
#else
#define ZEROED_BASE "calloc"
#define ALIGNED_MEMSET "posix_memalign+memset"
#endif

static void run_zeroed_rows(void) {
    static const zeroed_spec plain = {16, 0}, fresh_64 = {64, 0}, fresh_4096 = {4096, 0},
                             dirty_64 = {64, 1}, dirty_4096 = {4096, 1};
    static const struct {
        const char *id, *workload;
        const zeroed_spec *spec;
        size_t (*baseline)(const void *arg);
        bar_kind kind;
        double bar;
    } rows[] = {
        {"P3a", "alloc_zeroed of fresh 64 MiB blocks vs " ZEROED_BASE, &plain,
         run_zeroed_platform, AT_MOST, 1.05},
        {"P3b", "alloc_zeroed of fresh 64 MiB blocks vs malloc+memset", &plain,
         run_zeroed_memset, AT_LEAST_TIMES_FASTER, 10},
        {"P3c.64", "the same at align 64 vs " ZEROED_BASE, &fresh_64, run_zeroed_platform,
         AT_MOST, 3},
        {"P3c.4096", "the same at align 4096 vs " ZEROED_BASE, &fresh_4096, run_zeroed_platform,
         AT_MOST, 3},
        {"P3c.64x", "the same at align 64 vs " ALIGNED_MEMSET, &fresh_64, run_zeroed_memset,
         AT_LEAST_TIMES_FASTER, 100},
        {"P3c.4096x", "the same at align 4096 vs " ALIGNED_MEMSET, &fresh_4096,
         run_zeroed_memset, AT_LEAST_TIMES_FASTER, 100},
        {"P3d.64", "align 64, dirty (checked, written) vs " ZEROED_BASE, &dirty_64,
         run_zeroed_platform, NO_BAR, 0},
        {"P3d.4096", "align 4096, dirty (checked, written) vs " ZEROED_BASE, &dirty_4096,
         run_zeroed_platform, NO_BAR, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!wanted(rows[i].id))
            continue;
        /* (The baseline's spec: the same, at malloc's alignment for the
         * zeroed platform call, which has no alignment of its own.) */
        side galloc_side = {"galloc", run_zeroed_galloc, rows[i].spec};
        side baseline = {"baseline", rows[i].baseline, rows[i].spec};
        add(compare(rows[i].id, rows[i].workload, galloc_side, baseline, rows[i].kind,
                    rows[i].bar));
    }
}

/* P10 and P10b, if the Rust modules were built. */
static void run_rust_rows(void) {
    if (!wanted("P10") && !wanted("P10b"))
        return;
#if defined(GALLOC_BENCH_RUST_GALLOC) && defined(GALLOC_BENCH_RUST_SYSTEM)
    if (load_rust_modules() != 0) {
        /* Built but not loadable: a broken build, not a choice. */
        fprintf(stderr, "galloc_bench: P10: the Rust modules could not be loaded\n");
        exit(1);
    }
    const module_row rows[] = {
        {"P10", "Rust Vec<u64> push to 64: galloc::Global vs std System",
         {"galloc::Global", run_rust_loop, &rust_galloc_vec_push},
         {"std System", run_rust_loop, &rust_system_vec_push}, 1.05},
        {"P10b", "Rust Box churn, 8-512 B: galloc::Global vs std System",
         {"galloc::Global", run_rust_loop, &rust_galloc_box_churn},
         {"std System", run_rust_loop, &rust_system_box_churn}, 1.05},
    };
    add_module_rows(rows, sizeof rows / sizeof rows[0]);
#else
    fprintf(stderr, "galloc_bench: P10 not run: built without Rust (GALLOC_RUST; "
                    "make bench-rust)\n");
#endif
}

static void run_all(void) {
    static ring_spec galloc_small = {galloc_alloc, galloc_dealloc, small_mix, 1, 0};
    static ring_spec galloc_aligned = {galloc_alloc, galloc_dealloc, aligned_mix, 1, 1};
    static ring_spec system_small = {explicit_system_alloc, explicit_system_free, small_mix, 1, 0};
#if defined(_WIN32)
    static ring_spec heap_small = {heap_alloc, heap_free, small_mix, 1, 0};
    run_zeroed_rows();
    static ring_spec aligned_malloc_mix = {aligned_malloc_alloc, aligned_malloc_free,
                                           aligned_mix, 1, 1};
    if (wanted("P7a"))
        add(compare("P7a", "mixed small alloc+free vs raw HeapAlloc/HeapFree",
                ring_side("galloc", &galloc_small), ring_side("HeapAlloc", &heap_small),
                AT_MOST, 1.05));
    if (wanted("P7b"))
        add(compare("P7b", "over-aligned (64..4096) vs _aligned_malloc/_aligned_free",
                ring_side("galloc", &galloc_aligned),
                ring_side("_aligned_malloc", &aligned_malloc_mix), AT_MOST, 1.00));
    if (wanted("P5"))
        add(compare("P5", "global dispatch vs the System allocator called directly",
                ring_side("galloc", &galloc_small), ring_side("system", &system_small),
                AT_MOST, 1.05));
#else
    static ring_spec malloc_small = {malloc_alloc, malloc_free, small_mix, 1, 0};
    static ring_spec memalign_mix = {memalign_alloc, malloc_free, aligned_mix, 1, 1};
    static ring_spec malloc_small_2 = {malloc_alloc, malloc_free, small_mix, 2, 0};
    static ring_spec galloc_small_2 = {galloc_alloc, galloc_dealloc, small_mix, 2, 0};
    if (wanted("P1"))
        add_with_columns(compare("P1", "mixed small alloc+free vs malloc+free",
                ring_side("galloc", &galloc_small), ring_side("malloc", &malloc_small),
                AT_MOST, 1.03), &galloc_small);
    if (wanted("P2"))
        add_with_columns(compare("P2", "over-aligned (64..4096) alloc+free vs posix_memalign+free",
                ring_side("galloc", &galloc_aligned), ring_side("posix_memalign", &memalign_mix),
                AT_MOST, 1.02), &galloc_aligned);
    run_zeroed_rows();
    side grow = {"galloc_realloc", run_grow_galloc, NULL};
    side copy = {"alloc+copy+free", run_grow_copy, NULL};
    if (wanted("P4") && cfg.grow_limit != 0)
        add(compare("P4", "over-aligned (64) realloc growth vs alloc+copy+free", grow, copy,
                AT_LEAST_TIMES_FASTER, 2));
    if (wanted("P5"))
        add(compare("P5", "global dispatch vs the System allocator called directly",
                ring_side("galloc", &galloc_small), ring_side("system", &system_small),
                AT_MOST, 1.05));
    if (wanted("P6"))
        add_with_columns(compare("P6", "P1 in 2 libuv threads vs malloc in 2 threads",
                ring_side("galloc", &galloc_small_2), ring_side("malloc", &malloc_small_2),
                AT_MOST, 1.05), &galloc_small_2);
#endif
    run_rust_rows();
    if (!wanted("P8") && !wanted("P9"))
        return;
    if (cxx_modules != 0) {
#if defined(GALLOC_BENCH_CXX_GALLOC)
        /* Built but not loadable: a broken build, not a choice. */
        fprintf(stderr, "galloc_bench: P8 and P9: the C++ modules could not be loaded\n");
        exit(1);
#else
        fprintf(stderr, "galloc_bench: P8 and P9 not run: built without C++\n");
        return;
#endif
    }
    for (size_t i = 0; i < MIX; i++)
        cxx_sizes[i] = small_mix[i].size;
    static const int galloc_resource = 1, runtime_resource = 0;
    const module_row rows[] = {
        {"P8", "small new/delete: galloc::new_delete vs the C++ runtime's",
         {"galloc::new_delete", run_new_delete_ring, &galloc_new_delete_ring},
         {"operator new", run_new_delete_ring, &runtime_new_delete_ring}, 1.03},
        {"P9", "std::pmr vector ring: galloc resource vs new_delete_resource",
         {"galloc::memory_resource", run_pmr_ring, &galloc_resource},
         {"new_delete_resource", run_pmr_ring, &runtime_resource}, 1.03},
    };
    add_module_rows(rows, sizeof rows / sizeof rows[0]);
}

/* ---------------------------------------------------------------------------
 * Output.
 * ------------------------------------------------------------------------ */

static void print_table(void) {
    printf("galloc benchmark, %s mode: median of %d alternating rounds per row\n",
           cfg.mode, cfg.rounds);
    printf("%-9s %-56s %11s %11s %8s %-15s %-16s %-12s", "id", "workload", "galloc ns",
           "base ns", "ratio", "spread (IQR)", "bar", "");
    for (int c = 0; c < n_columns; c++)
        printf(" %11.11s", column_names[c]);
    printf("\n");
    for (int i = 0; i < n_results; i++) {
        const result *r = &results[i];
        char bar[32], ratio[32], spread[32];
        bar_text(r, bar, sizeof bar);
        ratio_text(r, ratio, spread, sizeof ratio);
        verdict v = bar_verdict(r);
        printf("%-9s %-56s %11.1f %11.1f %8s %-15s %-16s %-12s", r->id, r->workload,
               r->galloc_ns, r->baseline_ns, ratio, spread, bar,
               v == NOT_MET ? "NOT met" : verdict_names[v]);
        for (int c = 0; c < n_columns; c++) {
            if (r->column_ns[c] > 0)
                printf(" %11.1f", r->column_ns[c]);
            else
                printf(" %11s", "-");
        }
        printf("\n");
    }
    printf("ns are per operation (P1 P2 P5-P9: one alloc+free pair; P3: one 64 MiB\n"
           "block; P4: one growth step; P10: one Vec grown to 64; P10b: one Box made\n"
           "and one dropped); ratio = galloc / baseline, the median of the\n"
           "rounds' ratios, or the speedup where the bar is \"x faster\"; spread = the\n"
           "middle half of the rounds' ratios (interquartile range).  A bar is met when\n"
           "all of that middle half meets it, NOT met when none of it does, and within\n"
           "noise when the bar falls inside it.\n");
    if (n_columns > 0)
        printf("The last columns: ns per operation with that allocator as the global\n"
               "(through galloc's dispatch, as GALLOC_GLOBAL_ALLOCATOR would route it).\n");
#if !defined(_WIN32)
    if (cfg.grow_limit == 0)
        printf("P4 (realloc growth to 256 MiB) runs in full mode only: make bench.\n");
#endif
}

static const char *bar_kind_name(bar_kind kind) {
    return kind == AT_MOST ? "max_ratio" : kind == AT_LEAST_TIMES_FASTER ? "min_speedup" : "none";
}

/* ratio_q1 and ratio_q3 are the per-round ratios' quartiles (galloc /
 * baseline, as ratio), whatever the bar's kind. */
static void print_csv(void) {
    printf("id,workload,galloc_ns,baseline_ns,ratio,ratio_q1,ratio_q3,bar_kind,bar,verdict");
    for (int c = 0; c < n_columns; c++)
        printf(",%s_ns", column_names[c]);
    printf("\n");
    for (int i = 0; i < n_results; i++) {
        const result *r = &results[i];
        printf("%s,\"%s\",%.2f,%.2f,%.4f,%.4f,%.4f,%s,%.2f,%s", r->id, r->workload,
               r->galloc_ns, r->baseline_ns, r->ratio, r->ratio_q1, r->ratio_q3,
               bar_kind_name(r->kind), r->bar, verdict_names[bar_verdict(r)]);
        for (int c = 0; c < n_columns; c++)
            printf(",%.2f", r->column_ns[c]);
        printf("\n");
    }
}

static void print_json(void) {
    printf("{\"mode\": \"%s\", \"rounds\": %d, \"results\": [\n", cfg.mode, cfg.rounds);
    for (int i = 0; i < n_results; i++) {
        const result *r = &results[i];
        verdict v = bar_verdict(r);
        printf("  {\"id\": \"%s\", \"workload\": \"%s\", \"galloc_ns\": %.2f, "
               "\"baseline_ns\": %.2f, \"ratio\": %.4f, \"ratio_q1\": %.4f, "
               "\"ratio_q3\": %.4f, \"bar_kind\": \"%s\", \"bar\": %.2f, \"verdict\": ",
               r->id, r->workload, r->galloc_ns, r->baseline_ns, r->ratio, r->ratio_q1,
               r->ratio_q3, bar_kind_name(r->kind), r->bar);
        if (v == NO_VERDICT)
            printf("null");
        else
            printf("\"%s\"", verdict_names[v]);
        for (int c = 0; c < n_columns; c++)
            printf(", \"%s_ns\": %.2f", column_names[c], r->column_ns[c]);
        printf("}%s\n", i + 1 < n_results ? "," : "");
    }
    printf("]}\n");
}

/* ---------------------------------------------------------------------------
 * --count-loop: a fixed number of alloc+free pairs of one layout, for
 * valgrind's callgrind to count instructions in (bench/instructions.sh).
 * ------------------------------------------------------------------------ */

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

NOINLINE static void count_loop_galloc(size_t n) {
    galloc_layout layout = {64, 8};
    for (size_t i = 0; i < n; i++) {
        void *p = galloc_alloc(layout);
        sink ^= (uintptr_t)p;
        galloc_dealloc(p, layout);
    }
}

NOINLINE static void count_loop_malloc(size_t n) {
    for (size_t i = 0; i < n; i++) {
        void *p = malloc(64);
        sink ^= (uintptr_t)p;
        free(p);
    }
}

static int usage(void) {
    fprintf(stderr, "usage: galloc_bench [--quick|--full|--smoke] [--csv|--json] [--only ID]\n"
                    "                    [--with NAME=MODULE]...\n"
                    "       galloc_bench --count-loop galloc|malloc N\n");
    return 2;
}

int main(int argc, char **argv) {
    cfg = quick_settings;
    enum { TABLE, CSV, JSON } format = TABLE;
    const char *columns[MAX_COLUMNS + 1];
    int n_column_specs = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            cfg = quick_settings;
        else if (strcmp(argv[i], "--full") == 0)
            cfg = full_settings;
        else if (strcmp(argv[i], "--smoke") == 0)
            cfg = smoke_settings;
        else if (strcmp(argv[i], "--csv") == 0)
            format = CSV;
        else if (strcmp(argv[i], "--json") == 0)
            format = JSON;
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--with") == 0 && i + 1 < argc) {
            if (n_column_specs == MAX_COLUMNS + 1)
                return usage();
            columns[n_column_specs++] = argv[++i];
        }
        else if (strcmp(argv[i], "--count-loop") == 0 && i + 2 < argc) {
            size_t n = (size_t)strtoull(argv[i + 2], NULL, 10);
            if (strcmp(argv[i + 1], "galloc") == 0)
                count_loop_galloc(n);
            else if (strcmp(argv[i + 1], "malloc") == 0)
                count_loop_malloc(n);
            else
                return usage();
            return 0;
        } else
            return usage();
    }
    /* The C++ modules first: see load_cxx_modules. */
    if (wanted("P8") || wanted("P9"))
        cxx_modules = load_cxx_modules();
    for (int c = 0; c < n_column_specs; c++)
        if (load_column(columns[c]) != 0)
            return usage();
    make_mixes();
    fprintf(stderr, "galloc_bench: running (%s mode)...\n", cfg.mode);
    run_all();
    if (format == CSV)
        print_csv();
    else if (format == JSON)
        print_json();
    else
        print_table();
    return 0;
}
