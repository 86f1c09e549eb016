/*
 * alloc.c - the front end: validation, zero size, errno, dispatch to the
 * global allocator or an explicit one, the System allocator object, global
 * resolution, and galloc_handle_alloc_error.
 *
 * Every public allocation function funnels into three static functions
 * (front_alloc, zeroed or not; front_dealloc; front_realloc) that take the
 * allocator as a parameter.  When it is galloc_system they call the
 * backend directly, so the System allocator costs no indirect call.
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
    return galloc__sys_alloc(layout);
}

static void *system_alloc_zeroed(const galloc_allocator *self,
                                 galloc_layout layout) {
    (void)self;
    return galloc__sys_alloc_zeroed(layout);
}

static void system_dealloc(const galloc_allocator *self, void *ptr,
                           galloc_layout layout) {
    (void)self;
    galloc__sys_dealloc(ptr, layout);
}

static void *system_realloc(const galloc_allocator *self, void *ptr,
                            galloc_layout layout, size_t new_size) {
    (void)self;
    return galloc__sys_realloc(ptr, layout, new_size);
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

static GALLOC__NOINLINE const galloc_allocator *resolve_global(void) {
    const galloc_allocator *global = galloc__sys_find_override();
    if (global == NULL)
        global = &galloc_system;
    galloc__atomic_store(&resolved_global, (uintptr_t)global);
    return global;
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

/* Used for allocators that leave alloc_zeroed NULL. */
static void *zeroed_by_memset(const galloc_allocator *a, galloc_layout layout) {
    void *ptr = a->alloc(a, layout);
    if (ptr != NULL)
        memset(ptr, 0, layout.size);
    return ptr;
}

/* `zeroed` is a constant at every call site, so each use inlines to one of
 * the two paths. */
GALLOC__INLINE void *front_alloc(const galloc_allocator *a, galloc_layout layout,
                                 bool zeroed) {
    if (GALLOC__UNLIKELY(!galloc__layout_ok(layout)))
        return fail(EINVAL);
    if (GALLOC__UNLIKELY(layout.size == 0))
        return dangling(layout.align);
    /* The backend sets errno itself (see sys.h): a tail call. */
    if (GALLOC__LIKELY(a == &galloc_system))
        return zeroed ? galloc__sys_alloc_zeroed(layout) : galloc__sys_alloc(layout);
    if (!zeroed)
        return checked(a->alloc(a, layout));
    if (a->alloc_zeroed != NULL)
        return checked(a->alloc_zeroed(a, layout));
    return checked(zeroed_by_memset(a, layout));
}

/*
 * A deallocation never changes the caller's errno (nor GetLastError): code
 * that frees on its error path must be able to report the error it had.
 * The System backend guarantees it itself (cheaply: glibc's free already
 * does); other allocators may clobber it, so it is restored around them.
 */
GALLOC__INLINE void front_dealloc(const galloc_allocator *a, void *ptr,
                                  galloc_layout layout) {
    if (GALLOC__UNLIKELY(ptr == NULL || layout.size == 0 ||
                         !galloc__layout_ok(layout)))
        return;
    if (GALLOC__LIKELY(a == &galloc_system)) {
        galloc__sys_dealloc(ptr, layout);
        return;
    }
    galloc__sys_errors saved = galloc__sys_errors_save();
    a->dealloc(a, ptr, layout);
    galloc__sys_errors_restore(saved);
}

/* Used for allocators that leave realloc NULL.  The old block is released
 * only once the new one exists, so a failure loses nothing. */
static void *realloc_by_copy(const galloc_allocator *a, void *ptr,
                             galloc_layout layout, size_t new_size) {
    galloc_layout new_layout = {new_size, layout.align};
    void *new_ptr = a->alloc(a, new_layout);
    if (new_ptr == NULL)
        return NULL;
    memcpy(new_ptr, ptr, layout.size < new_size ? layout.size : new_size);
    front_dealloc(a, ptr, layout);
    return new_ptr;
}

static void *front_realloc(const galloc_allocator *a, void *ptr,
                           galloc_layout layout, size_t new_size) {
    if (GALLOC__UNLIKELY(!galloc__layout_ok(layout)))
        return fail(EINVAL);
    galloc_layout new_layout = {new_size, layout.align};
    if (GALLOC__UNLIKELY(!galloc__layout_ok(new_layout)))
        return fail(EINVAL);
    /* No block yet: this is an allocation. */
    if (ptr == NULL || layout.size == 0)
        return front_alloc(a, new_layout, false);
    /* To size 0: release, and hand back the zero-size block. */
    if (new_size == 0) {
        front_dealloc(a, ptr, layout);
        return dangling(layout.align);
    }
    if (new_size == layout.size)
        return ptr;
    if (GALLOC__LIKELY(a == &galloc_system))
        return galloc__sys_realloc(ptr, layout, new_size);
    if (a->realloc != NULL)
        return checked(a->realloc(a, ptr, layout, new_size));
    return checked(realloc_by_copy(a, ptr, layout, new_size));
}

/* ---------------------------------------------------------------------------
 * Public entry points.
 * ------------------------------------------------------------------------ */

void *galloc_alloc(galloc_layout layout) {
    return front_alloc(global_allocator(), layout, false);
}

void *galloc_alloc_zeroed(galloc_layout layout) {
    return front_alloc(global_allocator(), layout, true);
}

void galloc_dealloc(void *ptr, galloc_layout layout) {
    front_dealloc(global_allocator(), ptr, layout);
}

void *galloc_realloc(void *ptr, galloc_layout layout, size_t new_size) {
    return front_realloc(global_allocator(), ptr, layout, new_size);
}

/* A NULL allocator is treated as the global one: one less way to crash. */
GALLOC__INLINE const galloc_allocator *or_global(const galloc_allocator *a) {
    return a != NULL ? a : global_allocator();
}

void *galloc_allocator_alloc(const galloc_allocator *allocator,
                             galloc_layout layout) {
    return front_alloc(or_global(allocator), layout, false);
}

void *galloc_allocator_alloc_zeroed(const galloc_allocator *allocator,
                                    galloc_layout layout) {
    return front_alloc(or_global(allocator), layout, true);
}

void galloc_allocator_dealloc(const galloc_allocator *allocator, void *ptr,
                              galloc_layout layout) {
    front_dealloc(or_global(allocator), ptr, layout);
}

void *galloc_allocator_realloc(const galloc_allocator *allocator, void *ptr,
                               galloc_layout layout, size_t new_size) {
    return front_realloc(or_global(allocator), ptr, layout, new_size);
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
