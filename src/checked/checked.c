/*
 * checked.c - the checked allocator of galloc/checked.h.
 *
 * Every block is tracked in an open-addressing hash table keyed by the
 * pointer handed out.  The table is the only place the checked allocator
 * looks for a block's layout: it never reads memory in front of a pointer
 * it was given, so a wild or already released pointer is diagnosed without
 * touching it (which also keeps AddressSanitizer and Valgrind quiet about
 * the checker itself).  Released blocks stay in the table, marked dead,
 * until their slot is reused: that is what tells a double free from a
 * pointer that was never ours.
 *
 * One spin lock per checked allocator covers the table, the counters and
 * the calls into the inner allocator, so each operation is atomic.  A spin
 * lock needs no initialisation (the object can be a static constant
 * initialiser, usable before main) and nothing from the OS but a yield.
 * Reports are made after the lock is released, so a hook may use the
 * allocator.
 *
 * On POSIX every lock is taken through the fork gate (below), so that no
 * lock of this file is ever held when the process forks.
 */
#if defined(__MINGW32__) && !defined(__USE_MINGW_ANSI_STDIO)
#define __USE_MINGW_ANSI_STDIO 1 /* msvcrt's printf lacks %zu */
#endif

#include <galloc/checked.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#else
#include <pthread.h>
#include <sched.h>
#endif
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

/* Byte patterns, as in Microsoft's debug heap. */
enum {
    FILL_GUARD = 0xFD, /* the guard bytes around every block */
    FILL_NEW = 0xCD,   /* bytes of a block the caller has not written yet */
    FILL_DEAD = 0xDD   /* a released block, before it goes back to the inner allocator */
};

/* The tail guard's size; the front guard is max(FRONT_MIN, align) bytes so
 * that the block keeps the alignment of the inner allocation. */
#define TAIL_GUARD ((size_t)16)
#define FRONT_MIN ((size_t)16)

#define MAX_REPORTS 3 /* per operation: a layout mismatch and both guards */

/* ---------------------------------------------------------------------------
 * The lock
 * ------------------------------------------------------------------------ */

#if defined(_MSC_VER) && !defined(__clang__)
static bool try_lock(volatile long *word) { return _InterlockedExchange(word, 1) == 0; }
static bool is_locked(volatile long *word) { return *word != 0; }
static void unlock(volatile long *word) { _InterlockedExchange(word, 0); }
#else
static bool try_lock(volatile long *word) {
    return __atomic_exchange_n(word, 1, __ATOMIC_ACQUIRE) == 0;
}
static bool is_locked(volatile long *word) { return __atomic_load_n(word, __ATOMIC_RELAXED) != 0; }
static void unlock(volatile long *word) { __atomic_store_n(word, 0, __ATOMIC_RELEASE); }
#endif

/* Waits for a lock that try_lock() found taken (hold() below takes it). */
static void wait_while_locked(volatile long *word) {
    /* Wait without hammering the cache line; give the CPU away, since the
     * holder may be doing a large memset or be descheduled. */
    while (is_locked(word)) {
#if defined(_WIN32)
        SwitchToThread();
#else
        sched_yield();
#endif
    }
}

/* ---------------------------------------------------------------------------
 * The fork gate (POSIX)
 *
 * A child process starts with one thread, the one that called fork(), and
 * a copy of every lock as it was: a checker lock that another thread held
 * at that moment stays held for ever, and the child's first allocation
 * spins on it (issue #11).  Resetting the locks in the child would not do:
 * the table they guard may be half updated, and without a registry of
 * checked allocators (stack objects would leave dangling entries in one)
 * the child could not find them anyway.  So no lock is held at fork time:
 *
 *   - every operation that takes a lock of this file enters the gate first
 *     and leaves it after its last unlock, before any report hook runs (a
 *     hook may fork).  Each thread inside counts once; a thread already
 *     inside (a checked allocator wrapping another one: the outer lock is
 *     held while the inner allocator runs) only counts its depth, so it
 *     never waits for a fork that waits for it;
 *   - a thread that finds a lock taken while it holds none waits for it
 *     outside the gate, so that inside are only threads that hold a lock
 *     and will release it;
 *   - pthread_atfork's prepare handler marks a fork pending, then waits
 *     until no other thread is inside; new operations wait at the gate
 *     until the parent and child handlers clear the mark.
 *
 * The forking thread itself may be inside, holding locks: a report hook of
 * a checked allocator wrapped by another runs under the outer one's lock,
 * and a leak callback under its allocator's.  Its fork waits only for the
 * others (who cannot be waiting for its locks inside the gate, unless they
 * hold another lock too), and in the child the same thread carries on and
 * releases its locks.
 *
 * The entry and the prepare handler are a Dekker handshake: each writes
 * its own word, then reads the other's, both sequentially consistent, so
 * at least one of them sees the other - an entering thread that misses the
 * pending fork is seen by the prepare handler, which waits for it.
 *
 * The cost, per operation (a nested one: a thread-local increment and
 * decrement): a few thread-local accesses, one read of the fork mark
 * (seldom written, so its cache line stays shared) and two atomic
 * read-modify-writes of a counter that the thread shares with few or no
 * others (below).  Measured (x86-64, 2 cores,
 * gcc -O2): a loop of 64-byte alloc + dealloc went from 51 to 65 ns per
 * pair; two threads each with its own checked allocator from 51 to 66;
 * two threads on one checked allocator, where the lock is handed back and
 * forth all the time, from 220 to 450 (the read-modify-write after the
 * unlock waits for the lock's cache line); test_stress_checked (8
 * threads, random layouts) 4% slower.  A debugging tool can afford that.
 *
 * Handlers run in a fixed order: prepare ones in reverse order of
 * registration, after the ones registered later.  This one must run after
 * the prepare handlers of other libraries (one that locks a mutex of its
 * own could otherwise wait for a thread that allocates while holding it,
 * and that thread waits at the gate), and before those of the allocator a
 * checked allocator wraps (jemalloc's lock its arenas: a thread inside the
 * gate could not finish).  So the handlers are registered as early as
 * possible, when the program or library is loaded, just after the first
 * malloc (which sets up a replacement malloc and its own handlers), and on
 * first use should that come first (from another constructor).  glibc's
 * and musl's own malloc lock themselves after every handler.
 *
 * The gate is this file's: a process with two copies of it (a plugin that
 * links galloc::checked statically) has two gates, and a checked allocator
 * of one copy wrapping one of the other could make a fork wait for ever
 * (a thread inside the outer copy's gate waiting at the inner one's).
 * ------------------------------------------------------------------------ */

#if !defined(_WIN32)
/* The threads inside are counted on many cache lines, each thread on one
 * of them (round robin): one counter for all, written twice by every
 * operation of every thread, made two threads with a checked allocator
 * each ten times slower (its line ping-ponging between their cores). */
#define GATE_SHARDS 64
#define CACHE_LINE 64

typedef struct gate_shard {
    _Alignas(CACHE_LINE) long in_flight; /* threads inside counting here */
} gate_shard;

static gate_shard gate_shards[GATE_SHARDS];
static unsigned long gate_threads;   /* threads that have used the gate */
static int fork_pending;             /* forks between prepare and parent/child */
static pthread_once_t fork_handlers_once = PTHREAD_ONCE_INIT;

typedef struct gate_thread {
    unsigned depth;  /* entries not yet left */
    long *in_flight; /* this thread's counter; NULL before its first entry */
} gate_thread;

static _Thread_local gate_thread gate_self;

static void fork_prepare(void) {
    __atomic_add_fetch(&fork_pending, 1, __ATOMIC_SEQ_CST);
    /* The forking thread may be inside itself. */
    const long *own = gate_self.depth > 0 ? gate_self.in_flight : NULL;
    for (size_t i = 0; i < GATE_SHARDS; i++) {
        long *in_flight = &gate_shards[i].in_flight;
        while (__atomic_load_n(in_flight, __ATOMIC_SEQ_CST) != (in_flight == own ? 1 : 0))
            sched_yield();
    }
}

/* Several threads may fork at once (libcs serialise the handlers, but
 * nothing needs that): the mark counts them. */
static void fork_parent(void) { __atomic_sub_fetch(&fork_pending, 1, __ATOMIC_SEQ_CST); }

/* The child has no other thread, so no other fork. */
static void fork_child(void) { __atomic_store_n(&fork_pending, 0, __ATOMIC_SEQ_CST); }

static void register_fork_handlers(void) {
    free(malloc(1)); /* a replacement malloc registers its handlers first */
    /* Should it fail (ENOMEM), forks go unguarded, as before the gate. */
    (void)pthread_atfork(fork_prepare, fork_parent, fork_child);
}

#if defined(__GNUC__)
__attribute__((constructor)) static void register_fork_handlers_at_load(void) {
    pthread_once(&fork_handlers_once, register_fork_handlers);
}
#endif

/* A thread's first entry: the handlers (if no constructor ran yet), and
 * the thread's counter, round robin. */
static long *gate_first_entry(void) {
    pthread_once(&fork_handlers_once, register_fork_handlers);
    unsigned long n = __atomic_fetch_add(&gate_threads, 1, __ATOMIC_RELAXED);
    gate_self.in_flight = &gate_shards[n % GATE_SHARDS].in_flight;
    return gate_self.in_flight;
}

static void gate_enter(void) {
    if (gate_self.depth++ > 0)
        return;
    long *in_flight = gate_self.in_flight != NULL ? gate_self.in_flight : gate_first_entry();
    for (;;) {
        __atomic_add_fetch(in_flight, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&fork_pending, __ATOMIC_SEQ_CST) == 0)
            return;
        __atomic_sub_fetch(in_flight, 1, __ATOMIC_SEQ_CST);
        while (__atomic_load_n(&fork_pending, __ATOMIC_SEQ_CST) != 0)
            sched_yield();
    }
}

/* Release: whatever the thread wrote under its locks is visible to the
 * prepare handler that sees it leave, hence to the child. */
static void gate_leave(void) {
    if (--gate_self.depth == 0)
        __atomic_sub_fetch(gate_self.in_flight, 1, __ATOMIC_RELEASE);
}

/* True if the thread is inside the gate for one lock only. */
static bool gate_outermost(void) { return gate_self.depth == 1; }
#else
/* Windows has no fork. */
static void gate_enter(void) {}
static void gate_leave(void) {}
static bool gate_outermost(void) { return false; }
#endif

/* Every lock of this file is taken and released through these. */
static void hold(volatile long *word) {
    gate_enter();
    while (!try_lock(word)) {
        bool outside = gate_outermost(); /* waiting for it, holding none */
        if (outside)
            gate_leave();
        wait_while_locked(word);
        if (outside)
            gate_enter();
    }
}

static void release(volatile long *word) {
    unlock(word);
    gate_leave();
}

/* ---------------------------------------------------------------------------
 * The table
 * ------------------------------------------------------------------------ */

typedef struct entry {
    uintptr_t key; /* the block's address; 0: an empty slot */
    size_t size;
    size_t align;
    unsigned long long serial;
    bool live; /* false: released, remembered for double frees */
} entry;

static entry *table_of(const galloc_checked *c) { return (entry *)c->table; }

/* Fibonacci hashing of the address without its always-zero low bits. */
static size_t home_slot(uintptr_t key, size_t capacity) {
    uint64_t h = (uint64_t)(key >> 4) * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> 32) & (capacity - 1);
}

/* The slot holding key, or NULL. */
static entry *find(const galloc_checked *c, uintptr_t key) {
    if (c->capacity == 0)
        return NULL;
    entry *t = table_of(c);
    for (size_t i = home_slot(key, c->capacity);; i = (i + 1) & (c->capacity - 1)) {
        if (t[i].key == key)
            return &t[i];
        if (t[i].key == 0)
            return NULL;
    }
}

/* Puts a live entry for key.  The key must not be live; a slot must be
 * reserved (reserve()).  A dead entry of the same key is reused, else the
 * first dead or empty slot of the probe sequence. */
static void insert(galloc_checked *c, uintptr_t key, size_t size, size_t align,
                   unsigned long long serial) {
    entry *e = find(c, key);
    if (e == NULL) {
        entry *t = table_of(c);
        size_t i = home_slot(key, c->capacity);
        while (t[i].key != 0 && t[i].live)
            i = (i + 1) & (c->capacity - 1);
        e = &t[i];
        if (e->key == 0)
            c->used++;
    }
    e->key = key;
    e->size = size;
    e->align = align;
    e->serial = serial;
    e->live = true;
}

static const galloc_allocator *inner_of(const galloc_checked *c) {
    /* A checked allocator wrapping itself would recurse forever. */
    return c->inner != NULL && c->inner != &c->allocator ? c->inner : &galloc_system;
}

static galloc_layout table_layout(size_t capacity) {
    galloc_layout layout = {capacity * sizeof(entry), sizeof(void *) * 2};
    return layout;
}

/* Rebuilds the table with `capacity` slots, keeping dead entries only if
 * keep_dead.  False if the new table could not be allocated (nothing then
 * changes). */
static bool rebuild(galloc_checked *c, size_t capacity, bool keep_dead) {
    entry *fresh = (entry *)galloc_allocator_alloc_zeroed(inner_of(c), table_layout(capacity));
    if (fresh == NULL)
        return false;
    entry *old = table_of(c);
    size_t old_capacity = c->capacity;
    c->table = fresh;
    c->rebuilds++;
    c->capacity = capacity;
    c->used = 0;
    for (size_t i = 0; i < old_capacity; i++) {
        if (old[i].key == 0 || (!old[i].live && !keep_dead))
            continue;
        size_t j = home_slot(old[i].key, capacity);
        while (fresh[j].key != 0)
            j = (j + 1) & (capacity - 1);
        fresh[j] = old[i];
        c->used++;
    }
    if (old != NULL)
        galloc_allocator_dealloc(inner_of(c), old, table_layout(old_capacity));
    return true;
}

/* Makes sure one more entry fits with the table at most 3/4 full, so that
 * every probe sequence ends at an empty slot.  When most of the table is
 * dead entries they are forgotten instead of growing it. */
static bool reserve(galloc_checked *c) {
    if (c->capacity != 0 && (c->used + 1) * 4 <= c->capacity * 3)
        return true;
    if (c->capacity != 0 && (c->stats.live_blocks + 1) * 4 <= c->capacity)
        return rebuild(c, c->capacity, false);
    size_t capacity = c->capacity == 0 ? 64 : c->capacity * 2;
    if (capacity > (size_t)PTRDIFF_MAX / sizeof(entry))
        return false;
    return rebuild(c, capacity, true);
}

/* ---------------------------------------------------------------------------
 * Blocks and their guards
 * ------------------------------------------------------------------------ */

static size_t front_guard(size_t align) { return align > FRONT_MIN ? align : FRONT_MIN; }

/* The layout of the inner allocation that holds a block of (size, align)
 * with its guards; false if it cannot exist. */
static bool outer_layout(size_t size, size_t align, galloc_layout *outer) {
    size_t extra = front_guard(align) + TAIL_GUARD; /* align <= 2^63: no wrap */
    if (extra > (size_t)PTRDIFF_MAX || size > (size_t)PTRDIFF_MAX - extra)
        return false;
    return galloc_layout_from_size_align(size + extra, align, outer) == GALLOC_OK;
}

static unsigned char *base_of(unsigned char *ptr, size_t align) { return ptr - front_guard(align); }

static void write_guards(unsigned char *ptr, size_t size, size_t align) {
    memset(base_of(ptr, align), FILL_GUARD, front_guard(align));
    memset(ptr + size, FILL_GUARD, TAIL_GUARD);
}

/* The damaged byte nearest to the block in front of it / after it, as an
 * offset from ptr; 0 if the guard is intact (0 is never a guard offset). */
static ptrdiff_t front_damage(const unsigned char *ptr, size_t align) {
    for (size_t i = 1; i <= front_guard(align); i++)
        if (ptr[-(ptrdiff_t)i] != FILL_GUARD)
            return -(ptrdiff_t)i;
    return 0;
}

static ptrdiff_t tail_damage(const unsigned char *ptr, size_t size) {
    for (size_t i = 0; i < TAIL_GUARD; i++)
        if (ptr[size + i] != FILL_GUARD)
            return (ptrdiff_t)(size + i);
    return 0;
}

/* ---------------------------------------------------------------------------
 * Reports
 * ------------------------------------------------------------------------ */

typedef struct pending {
    galloc_checked_report reports[MAX_REPORTS];
    int count;
    galloc_checked_report_fn fn;
    void *context;
} pending;

static const char *name_of(const galloc_checked *c) {
    return c->allocator.name != NULL ? c->allocator.name : "checked";
}

/* Queues a report (under the lock); emit() delivers them after unlocking. */
static galloc_checked_report *add_report(galloc_checked *c, pending *p,
                                         galloc_checked_problem problem,
                                         const char *operation, void *ptr,
                                         galloc_layout given, const entry *block) {
    galloc_checked_report *r = &p->reports[p->count++];
    memset(r, 0, sizeof *r);
    r->problem = problem;
    r->operation = operation;
    r->allocator = name_of(c);
    r->ptr = ptr;
    r->given = given;
    if (block != NULL) {
        r->block.size = block->size;
        r->block.align = block->align;
        r->serial = block->serial;
    }
    c->stats.problems++;
    p->fn = c->report_fn;
    p->context = c->report_context;
    return r;
}

/* Checks a live block's layout against the caller's and its guards. */
static void check_block(galloc_checked *c, pending *p, const char *operation,
                        galloc_layout given, const entry *e) {
    unsigned char *ptr = (unsigned char *)e->key;
    if (given.size != e->size || given.align != e->align)
        add_report(c, p, GALLOC_CHECKED_LAYOUT_MISMATCH, operation, ptr, given, e);
    ptrdiff_t at = front_damage(ptr, e->align);
    if (at != 0)
        add_report(c, p, GALLOC_CHECKED_UNDERRUN, operation, ptr, given, e)->offset = at;
    at = tail_damage(ptr, e->size);
    if (at != 0)
        add_report(c, p, GALLOC_CHECKED_OVERRUN, operation, ptr, given, e)->offset = at;
}

/* Looks up the block a dealloc/realloc names.  NULL (and a report) unless
 * it is live. */
static entry *live_block(galloc_checked *c, pending *p, const char *operation,
                         void *ptr, galloc_layout given) {
    entry *e = find(c, (uintptr_t)ptr);
    if (e != NULL && e->live)
        return e;
    if (e != NULL)
        add_report(c, p, GALLOC_CHECKED_DOUBLE_FREE, operation, ptr, given, e);
    else
        add_report(c, p, GALLOC_CHECKED_UNKNOWN_POINTER, operation, ptr, given, NULL);
    return NULL;
}

static const char *problem_text(galloc_checked_problem problem) {
    switch (problem) {
    case GALLOC_CHECKED_LAYOUT_MISMATCH: return "layout mismatch";
    case GALLOC_CHECKED_DOUBLE_FREE: return "double free";
    case GALLOC_CHECKED_UNKNOWN_POINTER: return "unknown pointer";
    case GALLOC_CHECKED_OVERRUN: return "write past the end";
    case GALLOC_CHECKED_UNDERRUN: return "write before the start";
    case GALLOC_CHECKED_LEAK: return "leak";
    }
    return "unknown problem";
}

int galloc_checked_describe(const galloc_checked_report *r, char *buf, size_t size) {
    char head[160];
    snprintf(head, sizeof head, "galloc checked allocator '%s': %s: ",
             r->allocator != NULL ? r->allocator : "checked", problem_text(r->problem));
    const char *op = r->operation != NULL ? r->operation : "?";
    size_t bs = r->block.size, ba = r->block.align;
    switch (r->problem) {
    case GALLOC_CHECKED_LAYOUT_MISMATCH:
        return snprintf(buf, size,
                        "%s%s of %p with size %zu, align %zu, but block #%llu was "
                        "allocated with size %zu, align %zu",
                        head, op, r->ptr, r->given.size, r->given.align, r->serial, bs, ba);
    case GALLOC_CHECKED_DOUBLE_FREE:
        return snprintf(buf, size,
                        "%s%s of %p: block #%llu (size %zu, align %zu) was already released",
                        head, op, r->ptr, r->serial, bs, ba);
    case GALLOC_CHECKED_UNKNOWN_POINTER:
        return snprintf(buf, size,
                        "%s%s of %p (size %zu, align %zu): this allocator did not "
                        "return that pointer (or released it long ago)",
                        head, op, r->ptr, r->given.size, r->given.align);
    case GALLOC_CHECKED_OVERRUN:
    case GALLOC_CHECKED_UNDERRUN:
        return snprintf(buf, size,
                        "%s%s of %p: the guard byte at offset %td of block #%llu "
                        "(size %zu, align %zu) was overwritten",
                        head, op, r->ptr, r->offset, r->serial, bs, ba);
    case GALLOC_CHECKED_LEAK:
        return snprintf(buf, size, "%s%zu block%s (%zu bytes) still live at %s", head,
                        r->leaked_blocks, r->leaked_blocks == 1 ? "" : "s",
                        r->leaked_bytes, op);
    }
    return snprintf(buf, size, "%s(problem %d)", head, (int)r->problem);
}

/* The default hook: one line on stderr, then abort.  Nothing is allocated
 * (stderr is unbuffered). */
static void default_report(const galloc_checked_report *report) {
    char line[512];
    int n = galloc_checked_describe(report, line, sizeof line - 1);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof line - 1 ? (size_t)n : sizeof line - 2;
    line[len] = '\n';
    fwrite(line, 1, len + 1, stderr);
    fflush(stderr);
    abort();
}

static void emit(const pending *p) {
    for (int i = 0; i < p->count; i++) {
        if (p->fn != NULL)
            p->fn(&p->reports[i], p->context);
        else
            default_report(&p->reports[i]);
    }
}

/* ---------------------------------------------------------------------------
 * The allocator's functions
 * ------------------------------------------------------------------------ */

static galloc_checked *self_of(const galloc_allocator *self) {
    /* galloc hands back the allocator it was given: &checked->allocator,
     * the first member.  The state is mutable; the table is const only
     * because allocators are usually constants. */
    return (galloc_checked *)(uintptr_t)self;
}

static void count_live(galloc_checked *c, ptrdiff_t blocks, ptrdiff_t bytes) {
    galloc_checked_stats *s = &c->stats;
    s->live_blocks += (size_t)blocks;
    s->live_bytes += (size_t)bytes;
    if (s->live_blocks > s->peak_blocks)
        s->peak_blocks = s->live_blocks;
    if (s->live_bytes > s->peak_bytes)
        s->peak_bytes = s->live_bytes;
}

static void *checked_alloc(const galloc_allocator *self, galloc_layout layout, bool zeroed) {
    galloc_checked *c = self_of(self);
    galloc_layout outer;
    unsigned char *ptr = NULL;
    hold(&c->lock);
    if (outer_layout(layout.size, layout.align, &outer) && reserve(c)) {
        unsigned char *base = (unsigned char *)(zeroed
                                                    ? galloc_allocator_alloc_zeroed(inner_of(c), outer)
                                                    : galloc_allocator_alloc(inner_of(c), outer));
        if (base != NULL) {
            ptr = base + front_guard(layout.align);
            if (!zeroed)
                memset(ptr, FILL_NEW, layout.size);
            write_guards(ptr, layout.size, layout.align);
            insert(c, (uintptr_t)ptr, layout.size, layout.align, ++c->serial);
            c->stats.allocs++;
            c->stats.bytes_allocated += layout.size;
            count_live(c, 1, (ptrdiff_t)layout.size);
        }
    }
    if (ptr == NULL)
        c->stats.failures++;
    release(&c->lock);
    return ptr;
}

void *galloc_checked__alloc(const galloc_allocator *self, galloc_layout layout) {
    return checked_alloc(self, layout, false);
}

void *galloc_checked__alloc_zeroed(const galloc_allocator *self, galloc_layout layout) {
    return checked_alloc(self, layout, true);
}

void galloc_checked__dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    galloc_checked *c = self_of(self);
    pending p = {{{0}}, 0, NULL, NULL};
    hold(&c->lock);
    entry *e = live_block(c, &p, "dealloc", ptr, layout);
    if (e != NULL) {
        check_block(c, &p, "dealloc", layout, e);
        /* The block's own layout, whatever the caller said. */
        size_t size = e->size, align = e->align;
        e->live = false;
        c->stats.deallocs++;
        count_live(c, -1, -(ptrdiff_t)size);
        galloc_layout outer;
        outer_layout(size, align, &outer); /* it existed, so it is valid */
        memset(ptr, FILL_DEAD, size);
        galloc_allocator_dealloc(inner_of(c), base_of((unsigned char *)ptr, align), outer);
    }
    release(&c->lock);
    emit(&p);
}

void *galloc_checked__realloc(const galloc_allocator *self, void *ptr, galloc_layout layout,
                              size_t new_size) {
    galloc_checked *c = self_of(self);
    pending p = {{{0}}, 0, NULL, NULL};
    unsigned char *moved = NULL;
    hold(&c->lock);
    entry *e = live_block(c, &p, "realloc", ptr, layout);
    if (e != NULL) {
        check_block(c, &p, "realloc", layout, e);
        size_t size = e->size, align = e->align;
        galloc_layout outer, new_outer;
        outer_layout(size, align, &outer);
        /* reserve() may rebuild the table: e is looked up again after it. */
        if (outer_layout(new_size, align, &new_outer) && reserve(c)) {
            unsigned char *base = (unsigned char *)galloc_allocator_realloc(
                inner_of(c), base_of((unsigned char *)ptr, align), outer, new_outer.size);
            if (base != NULL) {
                moved = base + front_guard(align);
                if (new_size > size)
                    memset(moved + size, FILL_NEW, new_size - size);
                write_guards(moved, new_size, align); /* also mends damaged ones */
                e = find(c, (uintptr_t)ptr);
                if (moved == ptr) {
                    e->size = new_size;
                } else {
                    /* Insert first: while the old entry is live, insert()
                     * cannot take its slot, so the old pointer stays
                     * remembered as released (a later use of it is a
                     * double free, not an unknown pointer).  insert()
                     * moves no entry, so e is still the old one. */
                    insert(c, (uintptr_t)moved, new_size, align, ++c->serial);
                    e->live = false;
                }
                c->stats.reallocs++;
                if (new_size > size)
                    c->stats.bytes_allocated += new_size - size;
                count_live(c, 0, (ptrdiff_t)new_size - (ptrdiff_t)size);
            }
        }
    }
    if (moved == NULL && e != NULL) /* out of memory, not a misuse */
        c->stats.failures++;
    release(&c->lock);
    emit(&p);
    return moved;
}

/* ---------------------------------------------------------------------------
 * The rest of the interface
 * ------------------------------------------------------------------------ */

void galloc_checked_init(galloc_checked *checked, const galloc_allocator *inner,
                         const char *name) {
    /* GALLOC_CHECKED_INIT with constants, then the two run-time values (MSVC
     * warns about aggregate initialisers with run-time values). */
    static const galloc_checked blank = GALLOC_CHECKED_INIT(NULL, "checked");
    *checked = blank;
    checked->inner = inner;
    if (name != NULL)
        checked->allocator.name = name;
}

/* The allocators registered with galloc_checked_leak_check_at_exit. */
static galloc_checked *exit_checks;
static volatile long exit_checks_lock;

size_t galloc_checked_destroy(galloc_checked *checked) {
    hold(&exit_checks_lock);
    for (galloc_checked **link = &exit_checks; *link != NULL; link = &(*link)->next_exit_check) {
        if (*link == checked) {
            *link = checked->next_exit_check;
            break;
        }
    }
    release(&exit_checks_lock);
    hold(&checked->lock);
    size_t live = checked->stats.live_blocks;
    if (checked->table != NULL)
        galloc_allocator_dealloc(inner_of(checked), checked->table,
                                 table_layout(checked->capacity));
    checked->table = NULL;
    checked->rebuilds++;
    checked->capacity = checked->used = 0;
    checked->exit_check = 0;
    checked->next_exit_check = NULL;
    memset(&checked->stats, 0, sizeof checked->stats);
    release(&checked->lock);
    return live;
}

void galloc_checked_set_report(galloc_checked *checked, galloc_checked_report_fn fn,
                               void *context) {
    hold(&checked->lock);
    checked->report_fn = fn;
    checked->report_context = context;
    release(&checked->lock);
}

galloc_checked_stats galloc_checked_get_stats(galloc_checked *checked) {
    hold(&checked->lock);
    galloc_checked_stats stats = checked->stats;
    release(&checked->lock);
    return stats;
}

size_t galloc_checked_verify(galloc_checked *checked) {
    size_t damaged = 0;
    hold(&checked->lock);
    /* Reports go out with the lock released; should the table be rebuilt
     * meanwhile (another thread, or the hook, allocating), the scan stops
     * there rather than walk a different table.  (A rebuild count, not the
     * table's address: a new table may land where an old one was.) */
    size_t rebuilds = checked->rebuilds;
    for (size_t i = 0; i < checked->capacity && checked->rebuilds == rebuilds; i++) {
        entry e = table_of(checked)[i];
        if (e.key == 0 || !e.live)
            continue;
        pending p = {{{0}}, 0, NULL, NULL};
        galloc_layout own = {0, 0};
        own.size = e.size;
        own.align = e.align;
        check_block(checked, &p, "verify", own, &e);
        if (p.count == 0)
            continue;
        damaged++;
        release(&checked->lock);
        emit(&p);
        hold(&checked->lock);
    }
    release(&checked->lock);
    return damaged;
}

static int layout_cmp(size_t size_a, size_t align_a, size_t size_b, size_t align_b) {
    if (size_a != size_b)
        return size_a < size_b ? -1 : 1;
    if (align_a != align_b)
        return align_a < align_b ? -1 : 1;
    return 0;
}

/* Groups without a scratch buffer: each pass finds the smallest layout above
 * the previous group's and counts it.  Quadratic in the number of distinct
 * layouts, which is fine for a report, and it cannot fail. */
size_t galloc_checked_leaks(galloc_checked *checked, galloc_checked_leak_fn fn,
                            void *context) {
    hold(&checked->lock);
    size_t live = checked->stats.live_blocks;
    const entry *t = table_of(checked);
    bool first = true;
    galloc_layout prev = {0, 0};
    for (;;) {
        galloc_layout next = {0, 0};
        size_t count = 0;
        for (size_t i = 0; i < checked->capacity; i++) {
            if (t[i].key == 0 || !t[i].live)
                continue;
            if (!first && layout_cmp(t[i].size, t[i].align, prev.size, prev.align) <= 0)
                continue;
            int order = count == 0 ? -1 : layout_cmp(t[i].size, t[i].align, next.size, next.align);
            if (order < 0) {
                next.size = t[i].size;
                next.align = t[i].align;
                count = 1;
            } else if (order == 0) {
                count++;
            }
        }
        if (count == 0)
            break;
        if (fn != NULL)
            fn(next, count, context);
        prev = next;
        first = false;
    }
    release(&checked->lock);
    return live;
}

static void print_group(galloc_layout layout, size_t blocks, void *context) {
    fprintf((FILE *)context, "  %zu block%s of %zu bytes, align %zu (%zu bytes)\n", blocks,
            blocks == 1 ? "" : "s", layout.size, layout.align, blocks * layout.size);
}

size_t galloc_checked_print_leaks(galloc_checked *checked, FILE *out) {
    galloc_checked_stats stats = galloc_checked_get_stats(checked);
    if (stats.live_blocks == 0)
        return 0;
    fprintf(out, "galloc checked allocator '%s': %zu live blocks (%zu bytes):\n",
            name_of(checked), stats.live_blocks, stats.live_bytes);
    return galloc_checked_leaks(checked, print_group, out);
}

static void check_at_exit(void) {
    hold(&exit_checks_lock);
    galloc_checked *list = exit_checks;
    release(&exit_checks_lock);
    galloc_checked *next;
    for (galloc_checked *c = list; c != NULL; c = next) {
        /* Read before the report: a hook may destroy c, which unlinks it. */
        hold(&exit_checks_lock);
        next = c->next_exit_check;
        release(&exit_checks_lock);
        size_t live = galloc_checked_print_leaks(c, stderr);
        if (live == 0)
            continue;
        pending p = {{{0}}, 0, NULL, NULL};
        hold(&c->lock);
        galloc_layout none = {0, 0};
        galloc_checked_report *r =
            add_report(c, &p, GALLOC_CHECKED_LEAK, "exit", NULL, none, NULL);
        r->leaked_blocks = c->stats.live_blocks;
        r->leaked_bytes = c->stats.live_bytes;
        release(&c->lock);
        emit(&p);
    }
}

int galloc_checked_leak_check_at_exit(galloc_checked *checked) {
    static int registered;
    int result = 0;
    hold(&exit_checks_lock);
    if (!registered)
        registered = atexit(check_at_exit) == 0;
    if (!registered) {
        result = -1;
    } else if (!checked->exit_check) {
        checked->exit_check = 1;
        checked->next_exit_check = exit_checks;
        exit_checks = checked;
    }
    release(&exit_checks_lock);
    return result;
}
