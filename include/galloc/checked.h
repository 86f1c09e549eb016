/*
 * galloc/checked.h - a checked allocator: wraps any galloc_allocator and
 * catches misuse of it.
 *
 * What it detects, in every operation that reaches it:
 *   - a dealloc or realloc with another size or alignment than the block's
 *     (GALLOC_CHECKED_LAYOUT_MISMATCH);
 *   - a second dealloc or realloc of a block already released
 *     (GALLOC_CHECKED_DOUBLE_FREE);
 *   - a pointer it never returned (GALLOC_CHECKED_UNKNOWN_POINTER);
 *   - writes just past the end or just before the start of a block: each
 *     block sits between guard bytes, checked when it is released or
 *     resized and by galloc_checked_verify() (GALLOC_CHECKED_OVERRUN,
 *     GALLOC_CHECKED_UNDERRUN);
 *   - leaks: galloc_checked_leaks() lists the live blocks grouped by layout
 *     on demand, and galloc_checked_leak_check_at_exit() does it when the
 *     program exits (GALLOC_CHECKED_LEAK).
 * Each problem goes to a report hook; the default writes one line to stderr
 * and aborts.  A hook that returns lets the program carry on, and the
 * checked allocator then never makes things worse: a mismatched dealloc or
 * realloc uses the block's real layout; a double free or an unknown pointer
 * is ignored (a realloc of one returns NULL); damaged guard bytes belong to
 * the block, so the operation goes ahead.
 *
 * Blocks look like this inside the wrapped ("inner") allocator:
 *     [front guard: max(16, align) bytes][the block][tail guard: 16 bytes]
 * New non-zeroed bytes are filled with 0xCD and released blocks with 0xDD
 * (as Microsoft's debug heap does), so reads of uninitialised or released
 * memory show up as those patterns; guard bytes are 0xFD.
 *
 * Live blocks are tracked in a hash table allocated from the inner
 * allocator (never from anywhere else); it also remembers released blocks
 * until their slot is needed again, which is how a double free is told from
 * an unknown pointer.  One lock per checked allocator guards everything, so
 * it is thread-safe, and slow: it is a debugging tool.
 *
 * As the program's global allocator (every galloc allocation of every
 * module then goes through it):
 *
 *     static galloc_checked checker = GALLOC_CHECKED_INIT(NULL, "checked");
 *     GALLOC_GLOBAL_ALLOCATOR(checker);
 *
 * (NULL as the inner allocator means galloc_system; the global allocator
 * itself cannot be the inner one of the global, nor can an allocator that
 * calls the global one: the checker's lock is held while the inner
 * allocator runs, and it would wait for itself.)
 *
 * fork() (POSIX): a process may fork at any time, other threads allocating
 * through checked allocators or not.  Every operation passes a
 * process-wide gate, and a pthread_atfork handler (registered when the
 * program or library is loaded) makes the fork wait until no other thread
 * is inside a checked allocator, new operations waiting until the fork is
 * done: the child finds every checked allocator unlocked and its table
 * whole, and can allocate at once, as with glibc's malloc.  Report hooks run
 * outside the gate and may fork.  A fork from inside - from a leak callback
 * (galloc_checked_leaks), or from the report hook of a checked allocator
 * that another one wraps, which runs under the outer one's lock - works
 * too, but the child inherits that lock held by its only thread: it must
 * not use that allocator until the callback returns.  The inner allocator,
 * and the hooks of a wrapped checked allocator, must not wait for a lock
 * that a forking thread may hold (the fork waits for them).  A child that
 * leaves with exit() runs the leak check at exit on the blocks it
 * inherited: leave with _exit() or exec.  Windows has no fork; there the
 * gate is compiled out.
 *
 * The leak check at exit runs when atexit() calls it: blocks released later
 * (by atexit handlers registered before it, or by C++ static destructors)
 * are still live then, and listed.
 */
#ifndef GALLOC_CHECKED_H
#define GALLOC_CHECKED_H

#include <galloc.h>

#include <stddef.h> /* size_t, ptrdiff_t */
#include <stdio.h>  /* FILE */

#ifdef __cplusplus
extern "C" {
#endif

/** What a report is about. */
typedef enum galloc_checked_problem {
    /** dealloc/realloc with a size or alignment other than the block's. */
    GALLOC_CHECKED_LAYOUT_MISMATCH = 1,
    /** dealloc/realloc of a block that was already released. */
    GALLOC_CHECKED_DOUBLE_FREE = 2,
    /** dealloc/realloc of a pointer this allocator never returned. */
    GALLOC_CHECKED_UNKNOWN_POINTER = 3,
    /** A byte after the end of the block was overwritten. */
    GALLOC_CHECKED_OVERRUN = 4,
    /** A byte before the start of the block was overwritten. */
    GALLOC_CHECKED_UNDERRUN = 5,
    /** Blocks were still live at exit (galloc_checked_leak_check_at_exit). */
    GALLOC_CHECKED_LEAK = 6
} galloc_checked_problem;

/** One problem, as handed to the report hook. */
typedef struct galloc_checked_report {
    galloc_checked_problem problem;
    /** "dealloc", "realloc", "verify" or "exit". */
    const char *operation;
    /** The checked allocator's name. */
    const char *allocator;
    /** The pointer the caller passed (or the damaged block). */
    void *ptr;
    /** The layout the caller passed to dealloc/realloc (for other problems
     *  the block's layout). */
    galloc_layout given;
    /** The layout the block was allocated with ({0, 0} if unknown). */
    galloc_layout block;
    /** OVERRUN/UNDERRUN: offset of the first damaged byte from ptr
     *  (negative for an underrun; >= block.size for an overrun). */
    ptrdiff_t offset;
    /** The block's allocation number (1 for the first block this allocator
     *  returned; a realloc that moves counts as a new one); 0 if unknown. */
    unsigned long long serial;
    /** LEAK: blocks and bytes still live. */
    size_t leaked_blocks, leaked_bytes;
} galloc_checked_report;

/** A report hook.  Called without the checked allocator's lock held; it may
 *  return (the program carries on, see the top of the file) or not. */
typedef void (*galloc_checked_report_fn)(const galloc_checked_report *report,
                                         void *context);

/** Counters, all since initialisation. */
typedef struct galloc_checked_stats {
    size_t live_blocks, live_bytes; /**< now */
    size_t peak_blocks, peak_bytes; /**< the highest live_blocks / live_bytes */
    unsigned long long allocs;      /**< successful alloc and alloc_zeroed */
    unsigned long long deallocs;    /**< blocks released (by dealloc) */
    unsigned long long reallocs;    /**< successful reallocs */
    unsigned long long bytes_allocated; /**< sizes of all allocs, plus the growth of reallocs */
    unsigned long long failures;    /**< operations that returned NULL (out of memory) */
    unsigned long long problems;    /**< reports made */
} galloc_checked_stats;

/* The functions GALLOC_CHECKED_INIT puts in the allocator's table; call them
 * through galloc_allocator_* like any allocator's. */
extern void *galloc_checked__alloc(const galloc_allocator *self, galloc_layout layout);
extern void *galloc_checked__alloc_zeroed(const galloc_allocator *self,
                                                 galloc_layout layout);
extern void galloc_checked__dealloc(const galloc_allocator *self, void *ptr,
                                           galloc_layout layout);
extern void *galloc_checked__realloc(const galloc_allocator *self, void *ptr,
                                            galloc_layout layout, size_t new_size);

/**
 * A checked allocator.  `allocator` is first: &checked.allocator (or a cast
 * of &checked) is the galloc_allocator to use.  The other members are
 * private; use the functions below.
 */
typedef struct galloc_checked {
    galloc_allocator allocator;
    const galloc_allocator *inner;
    /* private */
    galloc_checked_report_fn report_fn;
    void *report_context;
    volatile long lock;
    void *table;
    size_t capacity, used, rebuilds;
    unsigned long long serial;
    galloc_checked_stats stats;
    int exit_check;
    struct galloc_checked *next_exit_check;
} galloc_checked;

/** A static initialiser: `inner` is the wrapped allocator (NULL: the
 *  System allocator), `name` a string literal for reports. */
#define GALLOC_CHECKED_INIT(inner, name)                                       \
    {{galloc_checked__alloc, galloc_checked__dealloc,                          \
      galloc_checked__alloc_zeroed, galloc_checked__realloc, (name)},          \
     (inner), NULL, NULL, 0, NULL, 0, 0, 0, 0,                                 \
     {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, NULL}

/** Initialises `checked` at run time, as GALLOC_CHECKED_INIT does (`name`
 *  NULL gives "checked"). */
extern void galloc_checked_init(galloc_checked *checked,
                                       const galloc_allocator *inner,
                                       const char *name);

/**
 * Releases the tracking table.  Blocks still live stay allocated in the
 * inner allocator and are forgotten.  The object may be initialised again.
 * @return the number of blocks that were still live.
 */
extern size_t galloc_checked_destroy(galloc_checked *checked);

/** Sets the report hook (NULL: the default, a line on stderr and abort()). */
extern void galloc_checked_set_report(galloc_checked *checked,
                                             galloc_checked_report_fn fn,
                                             void *context);

/**
 * Writes a one-line English description of `report` (no newline) into buf,
 * truncated to size - 1 characters and always terminated if size > 0.
 * @return the length of the whole description, as snprintf does.
 */
extern int galloc_checked_describe(const galloc_checked_report *report,
                                          char *buf, size_t size);

/** Copies the counters. */
extern galloc_checked_stats galloc_checked_get_stats(galloc_checked *checked);

/**
 * Checks the guard bytes of every live block, reporting each damaged one.
 * @return the number of damaged blocks.
 */
extern size_t galloc_checked_verify(galloc_checked *checked);

/** Called once per group of live blocks with the same layout. */
typedef void (*galloc_checked_leak_fn)(galloc_layout layout, size_t blocks,
                                       void *context);

/**
 * The live blocks, grouped by layout: calls fn (which may be NULL) for each
 * group, in increasing order of size, then alignment.  fn must not use this
 * checked allocator.  Allocates nothing.
 * @return the number of live blocks.
 */
extern size_t galloc_checked_leaks(galloc_checked *checked,
                                          galloc_checked_leak_fn fn,
                                          void *context);

/**
 * Writes the live blocks, grouped by layout, to `out`: a heading line, then
 * one line per group ("3 blocks of 24 bytes, align 8 (72 bytes)").  Writes
 * nothing if no block is live.
 * @return the number of live blocks.
 */
extern size_t galloc_checked_print_leaks(galloc_checked *checked, FILE *out);

/**
 * At exit (atexit), prints the live blocks to stderr and, if there are any,
 * reports GALLOC_CHECKED_LEAK (by default: abort, so a leak fails the
 * program).  Calling it again for the same allocator does nothing.  The
 * object must live until exit (static storage).
 * @return 0, or -1 if atexit() failed.
 */
extern int galloc_checked_leak_check_at_exit(galloc_checked *checked);

#ifdef __cplusplus
}
#endif

#endif /* GALLOC_CHECKED_H */
