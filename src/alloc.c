/*
 * alloc.c - the front end: validation, zero size, errno, dispatch to the
 * global allocator or an explicit one, the System allocator object, global
 * resolution, and galloc_handle_alloc_error.
 *
 * Every public allocation function first tries the plain System case
 * inline (see "Public entry points"), then goes through the full front end
 * (front_alloc, zeroed or not; front_dealloc; front_realloc), which takes
 * the allocator as a parameter.  When it is galloc_system the front end
 * calls the backend directly, so the System allocator never costs an
 * indirect call.
 */
#include "sys.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * The System allocator object: the backend behind the allocator interface.
 * ------------------------------------------------------------------------ */

static void *system_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    return galloc__sys_alloc(layout.size, layout.align);
}

static void *system_alloc_zeroed(const galloc_allocator *self,
                                 galloc_layout layout) {
    (void)self;
    return galloc__sys_alloc_zeroed(layout.size, layout.align);
}

static void system_dealloc(const galloc_allocator *self, void *ptr,
                           galloc_layout layout) {
    (void)self;
    galloc__sys_dealloc(ptr, layout.size, layout.align);
}

static void *system_realloc(const galloc_allocator *self, void *ptr,
                            galloc_layout layout, size_t new_size) {
    (void)self;
    return galloc__sys_realloc(ptr, layout.size, layout.align, new_size);
}

const galloc_allocator galloc_system = {
    system_alloc, system_dealloc, system_alloc_zeroed, system_realloc, "system",
};

/* ---------------------------------------------------------------------------
 * Global resolution.
 *
 * The answer is the same whichever thread computes it and however often, so
 * no lock is needed: racing first callers all store the same pointer.
 * ------------------------------------------------------------------------ */

static volatile uintptr_t resolved_global; /* 0 until first use */
/* 1 once resolved_global is known to be galloc_system: the hot path's
 * question as one byte compare. */
static volatile uintptr_t global_is_system_word;

static GALLOC__NOINLINE const galloc_allocator *resolve_global(void) {
    const galloc_allocator *global = galloc__sys_find_override();
    if (global == NULL)
        global = &galloc_system;
    galloc__atomic_store(&resolved_global, (uintptr_t)global);
    if (global == &galloc_system)
        galloc__atomic_store(&global_is_system_word, 1);
    return global;
}

/* The hot-path question, one load and one compare: is the global allocator
 * the System allocator?  (Still 0 before the first resolution: no.) */
GALLOC__INLINE bool global_is_system(void) {
    return galloc__atomic_load(&global_is_system_word) != 0;
}

GALLOC__INLINE const galloc_allocator *global_allocator(void) {
    uintptr_t global = galloc__atomic_load(&resolved_global);
    if (GALLOC__LIKELY(global != 0))
        return (const galloc_allocator *)global;
    return resolve_global();
}

const galloc_allocator *galloc_global(void) {
    return global_allocator();
}

/* ---------------------------------------------------------------------------
 * The front end.
 * ------------------------------------------------------------------------ */

/* The zero-size block: no memory, but non-NULL and aligned (Rust's
 * "dangling" pointer).  align is a valid alignment, so never 0. */
GALLOC__INLINE void *dangling(size_t align) {
    return (void *)(uintptr_t)align;
}

static GALLOC__NOINLINE void *fail(int error) {
    errno = error;
    return NULL;
}

GALLOC__INLINE void *checked(void *ptr) {
    return GALLOC__LIKELY(ptr != NULL) ? ptr : fail(ENOMEM);
}

/* The layout struct, rebuilt only where an allocator's function needs it.
 * The hot paths work on two scalars: passing the struct down through the
 * inlined front end makes GCC spill it and reload it as one 16-byte value,
 * a store-forwarding stall that cost more than all of galloc's own work. */
GALLOC__INLINE galloc_layout layout_of(size_t size, size_t align) {
    galloc_layout layout;
    layout.size = size;
    layout.align = align;
    return layout;
}

/* Used for allocators that leave alloc_zeroed NULL. */
static void *zeroed_by_memset(const galloc_allocator *a, size_t size, size_t align) {
    void *ptr = a->alloc(a, layout_of(size, align));
    if (ptr != NULL)
        memset(ptr, 0, size);
    return ptr;
}

static GALLOC__NOINLINE void *custom_alloc(const galloc_allocator *a, size_t size,
                                           size_t align, bool zeroed) {
    if (!zeroed)
        return checked(a->alloc(a, layout_of(size, align)));
    if (a->alloc_zeroed != NULL)
        return checked(a->alloc_zeroed(a, layout_of(size, align)));
    return checked(zeroed_by_memset(a, size, align));
}

/* `zeroed` is a constant at every call site, so each use inlines to one of
 * the two paths. */
GALLOC__INLINE void *front_alloc(const galloc_allocator *a, size_t size, size_t align,
                                 bool zeroed) {
    if (GALLOC__UNLIKELY(!galloc__layout_ok(size, align)))
        return fail(EINVAL);
    if (GALLOC__UNLIKELY(size == 0))
        return dangling(align);
    /* The backend sets errno itself (see sys.h): a tail call. */
    if (GALLOC__LIKELY(a == &galloc_system))
        return zeroed ? galloc__sys_alloc_zeroed(size, align) : galloc__sys_alloc(size, align);
    return custom_alloc(a, size, align, zeroed);
}

static GALLOC__NOINLINE void custom_dealloc(const galloc_allocator *a, void *ptr,
                                            size_t size, size_t align) {
    galloc__sys_errors saved = galloc__sys_errors_save();
    a->dealloc(a, ptr, layout_of(size, align));
    galloc__sys_errors_restore(saved);
}

/*
 * A deallocation never changes the caller's errno (nor GetLastError): code
 * that frees on its error path must be able to report the error it had.
 * The System backend guarantees it itself (cheaply: glibc's free already
 * does); other allocators may clobber it, so it is restored around them.
 */
GALLOC__INLINE void front_dealloc(const galloc_allocator *a, void *ptr, size_t size,
                                  size_t align) {
    if (GALLOC__UNLIKELY(ptr == NULL || size == 0 || !galloc__layout_ok(size, align)))
        return;
    if (GALLOC__LIKELY(a == &galloc_system))
        galloc__sys_dealloc(ptr, size, align);
    else
        custom_dealloc(a, ptr, size, align);
}

/* Used for allocators that leave realloc NULL.  The old block is released
 * only once the new one exists, so a failure loses nothing. */
static void *realloc_by_copy(const galloc_allocator *a, void *ptr, size_t size,
                             size_t align, size_t new_size) {
    void *new_ptr = a->alloc(a, layout_of(new_size, align));
    if (new_ptr == NULL)
        return NULL;
    memcpy(new_ptr, ptr, size < new_size ? size : new_size);
    custom_dealloc(a, ptr, size, align);
    return new_ptr;
}

GALLOC__INLINE void *front_realloc(const galloc_allocator *a, void *ptr, size_t size,
                                   size_t align, size_t new_size) {
    if (GALLOC__UNLIKELY(!galloc__layout_ok(size, align) ||
                         !galloc__layout_ok(new_size, align)))
        return fail(EINVAL);
    /* No block yet: this is an allocation. */
    if (ptr == NULL || size == 0)
        return front_alloc(a, new_size, align, false);
    /* To size 0: release, and hand back the zero-size block. */
    if (new_size == 0) {
        front_dealloc(a, ptr, size, align);
        return dangling(align);
    }
    if (new_size == size)
        return ptr;
    if (GALLOC__LIKELY(a == &galloc_system))
        return galloc__sys_realloc(ptr, size, align, new_size);
    if (a->realloc != NULL)
        return checked(a->realloc(a, ptr, layout_of(size, align), new_size));
    return checked(realloc_by_copy(a, ptr, size, align, new_size));
}

/* ---------------------------------------------------------------------------
 * Public entry points.
 *
 * Each asks one inline question first: is this the System allocator with a
 * layout the platform's plain allocator serves (galloc__sys_plain_ok), or
 * at least a valid, non-empty one?  If so, validation and the zero-size
 * case are settled and the call goes straight to the backend, ending in a
 * jump to malloc / free / HeapAlloc...  Everything else (custom allocators,
 * zero sizes, bad input, the first call) is one tail call to a *_slow
 * function that runs the full front end.  Keeping the slow paths out of
 * line keeps the public functions frameless: no register saved, no stack
 * touched.
 * ------------------------------------------------------------------------ */

/* a == NULL means the global allocator, resolved here, off the hot path. */
static GALLOC__NOINLINE void *alloc_slow(const galloc_allocator *a, size_t size,
                                         size_t align, bool zeroed) {
    return front_alloc(a != NULL ? a : global_allocator(), size, align, zeroed);
}

static GALLOC__NOINLINE void dealloc_slow(const galloc_allocator *a, void *ptr,
                                          size_t size, size_t align) {
    front_dealloc(a != NULL ? a : global_allocator(), ptr, size, align);
}

static GALLOC__NOINLINE void *realloc_slow(const galloc_allocator *a, void *ptr,
                                           size_t size, size_t align, size_t new_size) {
    return front_realloc(a != NULL ? a : global_allocator(), ptr, size, align, new_size);
}

/* Whether `a` (NULL: the global allocator) is the System allocator. */
GALLOC__INLINE bool is_system(const galloc_allocator *a) {
    return a == NULL ? global_is_system() : a == &galloc_system;
}

/* Any real System block: the plain case, or failing that (over-aligned
 * layouts) a valid layout with a non-zero size; these go to the backend
 * directly too.  The cheap plain test comes first. */
GALLOC__INLINE bool system_ok(size_t size, size_t align) {
    return galloc__sys_plain_ok(size, align) ||
           (size != 0 && galloc__layout_ok(size, align));
}

GALLOC__INLINE void *entry_alloc(const galloc_allocator *a, galloc_layout layout,
                                 bool zeroed) {
    if (GALLOC__LIKELY(is_system(a) && system_ok(layout.size, layout.align)))
        return zeroed ? galloc__sys_alloc_zeroed(layout.size, layout.align)
                      : galloc__sys_alloc(layout.size, layout.align);
    return alloc_slow(a, layout.size, layout.align, zeroed);
}

GALLOC__INLINE void entry_dealloc(const galloc_allocator *a, void *ptr,
                                  galloc_layout layout) {
    if (GALLOC__LIKELY(is_system(a) && ptr != NULL && system_ok(layout.size, layout.align)))
        galloc__sys_dealloc(ptr, layout.size, layout.align);
    else
        dealloc_slow(a, ptr, layout.size, layout.align);
}

GALLOC__INLINE void *entry_realloc(const galloc_allocator *a, void *ptr,
                                   galloc_layout layout, size_t new_size) {
    if (GALLOC__LIKELY(is_system(a) && ptr != NULL &&
                       galloc__sys_plain_ok(layout.size, layout.align) &&
                       galloc__sys_plain_ok(new_size, layout.align)))
        return galloc__sys_realloc(ptr, layout.size, layout.align, new_size);
    return realloc_slow(a, ptr, layout.size, layout.align, new_size);
}

void *galloc_alloc(galloc_layout layout) {
    return entry_alloc(NULL, layout, false);
}

void *galloc_alloc_zeroed(galloc_layout layout) {
    return entry_alloc(NULL, layout, true);
}

void galloc_dealloc(void *ptr, galloc_layout layout) {
    entry_dealloc(NULL, ptr, layout);
}

void *galloc_realloc(void *ptr, galloc_layout layout, size_t new_size) {
    return entry_realloc(NULL, ptr, layout, new_size);
}

/* A NULL allocator is the global one: one less way to crash. */

void *galloc_allocator_alloc(const galloc_allocator *allocator, galloc_layout layout) {
    return entry_alloc(allocator, layout, false);
}

void *galloc_allocator_alloc_zeroed(const galloc_allocator *allocator,
                                    galloc_layout layout) {
    return entry_alloc(allocator, layout, true);
}

void galloc_allocator_dealloc(const galloc_allocator *allocator, void *ptr,
                              galloc_layout layout) {
    entry_dealloc(allocator, ptr, layout);
}

void *galloc_allocator_realloc(const galloc_allocator *allocator, void *ptr,
                               galloc_layout layout, size_t new_size) {
    return entry_realloc(allocator, ptr, layout, new_size);
}

/* ---------------------------------------------------------------------------
 * Blocks for C++'s operator new and delete (galloc.h says what they are).
 *
 * The choice between a bare System block and a block with a size header is
 * made per process: the global allocator never changes once resolved, so
 * a block's form never has to be recorded in the block itself.  The System
 * case is the hot one and costs what galloc_alloc costs: one byte compared,
 * then a tail call to malloc / free.  It relies on the backend releasing a
 * block by its alignment alone (src/sys.h), since C++ may not know the size.
 * ------------------------------------------------------------------------ */

/* The size header: one size_t just in front of the caller's pointer. */
static const galloc_layout new_header = {sizeof(size_t), GALLOC__ALIGNOF(size_t)};

/* The allocator's block for a header block of (size, align), and where the
 * caller's pointer lies in it.  Fails only for an invalid alignment or a
 * size that cannot be had. */
GALLOC__INLINE int new_block_layout(size_t size, size_t align, galloc_layout *block,
                                    size_t *offset) {
    return galloc_layout_extend(new_header, layout_of(size, align), block, offset);
}

/*
 * The alignment a System block for C++ is allocated with.  An object
 * smaller than C++'s default alignment (16 on 64-bit targets) can need no
 * more than the largest power of two dividing its size, sizeof being a
 * multiple of alignof; the System allocator would serve the full alignment
 * with posix_memalign (galloc__sys_malloc_aligns says why), which costs 270
 * instructions a new/delete pair of 8 bytes where malloc costs 164.  So it
 * asks for what the object can need - malloc - where the release does not
 * depend on the alignment, since an unsized delete is told only the
 * default one.  Alignments above malloc's own (align_val_t) are kept
 * whatever the size.
 */
GALLOC__INLINE size_t new_system_align(size_t size, size_t align) {
    if (size < align && galloc__sys_plain_ok(align, align) &&
        galloc__sys_release_ignores_align())
        return size & (0 - size);
    return align;
}

static GALLOC__NOINLINE void *new_slow(size_t size, size_t align) {
    const galloc_allocator *a = global_allocator();
    if (GALLOC__UNLIKELY(align == 0 || (align & (align - 1)) != 0))
        return fail(EINVAL);
    if (size == 0)
        size = 1; /* new of size 0: a distinct block all the same */
    if (a == &galloc_system) {
        if (!galloc__layout_ok(size, align))
            return fail(ENOMEM);
        align = new_system_align(size, align);
        return galloc__sys_alloc(size, align);
    }
    galloc_layout block;
    size_t offset;
    if (new_block_layout(size, align, &block, &offset) != GALLOC_OK)
        return fail(ENOMEM);
    char *base = custom_alloc(a, block.size, block.align, false);
    if (base == NULL)
        return NULL;
    size_t *header = (size_t *)(void *)(base + offset) - 1;
    *header = size;
    return base + offset;
}

void *galloc_new(size_t size, size_t align) {
    if (GALLOC__LIKELY(global_is_system())) {
        size_t system_align = new_system_align(size, align);
        if (GALLOC__LIKELY(galloc__sys_plain_ok(size, system_align)))
            return galloc__sys_alloc(size, system_align);
    }
    return new_slow(size, align);
}

static GALLOC__NOINLINE void delete_slow(void *ptr, size_t size, size_t align) {
    const galloc_allocator *a = global_allocator();
    if (a == &galloc_system) {
        galloc__sys_dealloc(ptr, size, align);
        return;
    }
    const size_t *header = (const size_t *)ptr - 1;
    if (size == GALLOC_SIZE_UNKNOWN)
        size = *header;
    else if (size == 0)
        size = 1; /* as galloc_new made it */
    galloc_layout block;
    size_t offset;
    /* A layout that cannot be computed cannot be the block's: a wrong
     * size, which releasing with it would make worse.  Left alone. */
    if (new_block_layout(size, align, &block, &offset) != GALLOC_OK)
        return;
    custom_dealloc(a, (char *)ptr - offset, block.size, block.align);
}

void galloc_delete(void *ptr, size_t size, size_t align) {
    if (ptr == NULL)
        return;
    if (GALLOC__LIKELY(global_is_system()))
        galloc__sys_dealloc(ptr, size, align);
    else
        delete_slow(ptr, size, align);
}

/* ---------------------------------------------------------------------------
 * Allocation failure as a fatal error.
 * ------------------------------------------------------------------------ */

static volatile uintptr_t alloc_error_hook; /* 0: the default */

galloc_alloc_error_hook galloc_set_alloc_error_hook(galloc_alloc_error_hook hook) {
    uintptr_t previous = galloc__atomic_exchange(&alloc_error_hook, (uintptr_t)hook);
    return (galloc_alloc_error_hook)previous;
}

/* Appends the decimal digits of value at *cursor; no allocation, no stdio. */
static char *append_decimal(char *cursor, size_t value) {
    char digits[3 * sizeof(size_t)];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0)
        *cursor++ = digits[--n];
    return cursor;
}

static char *append_text(char *cursor, const char *text) {
    size_t len = strlen(text);
    memcpy(cursor, text, len);
    return cursor + len;
}

/* Appends ptr as 0x and hexadecimal digits. */
static char *append_pointer(char *cursor, const void *ptr) {
    uintptr_t value = (uintptr_t)ptr;
    char digits[2 * sizeof value];
    size_t n = 0;
    do {
        digits[n++] = "0123456789abcdef"[value & 15];
        value >>= 4;
    } while (value != 0);
    cursor = append_text(cursor, "0x");
    while (n > 0)
        *cursor++ = digits[--n];
    return cursor;
}

void galloc__report_foreign(const char *function, const void *ptr, const char *outcome) {
    galloc__sys_errors saved = galloc__sys_errors_save();
    /* The callers' texts are short constants: 256 bytes hold them all. */
    char message[256];
    char *cursor = append_text(message, "galloc: ");
    cursor = append_text(cursor, function);
    cursor = append_text(cursor, "(");
    cursor = append_pointer(cursor, ptr);
    cursor = append_text(cursor, "): not a block of galloc's libc-shaped functions "
                                 "(another allocator's, freed already, or its header "
                                 "overwritten); ");
    cursor = append_text(cursor, outcome);
    cursor = append_text(cursor, "\n");
    galloc__sys_write_stderr(message, (size_t)(cursor - message));
    galloc__sys_errors_restore(saved);
}

void galloc_handle_alloc_error(galloc_layout layout) {
    galloc_alloc_error_hook hook =
        (galloc_alloc_error_hook)galloc__atomic_load(&alloc_error_hook);
    if (hook != NULL) {
        hook(layout);
    } else {
        /* Memory is what just ran out, so the message is built on the stack
         * and written with the OS's own call, not stdio. */
        char message[128];
        char *cursor = append_text(message, "memory allocation of ");
        cursor = append_decimal(cursor, layout.size);
        cursor = append_text(cursor, " bytes (align ");
        cursor = append_decimal(cursor, layout.align);
        cursor = append_text(cursor, ") failed\n");
        galloc__sys_write_stderr(message, (size_t)(cursor - message));
    }
    abort();
}
