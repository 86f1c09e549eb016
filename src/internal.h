/*
 * internal.h - helpers shared by galloc's portable core.  Not installed.
 *
 * Naming: galloc_ is public, galloc__ is internal to the library, plain
 * static names stay inside one file.
 */
#ifndef GALLOC_INTERNAL_H
#define GALLOC_INTERNAL_H

#include "galloc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define GALLOC__LIKELY(x) __builtin_expect(!!(x), 1)
#define GALLOC__UNLIKELY(x) __builtin_expect(!!(x), 0)
#define GALLOC__INLINE static inline __attribute__((always_inline))
#define GALLOC__NOINLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#define GALLOC__LIKELY(x) (x)
#define GALLOC__UNLIKELY(x) (x)
#define GALLOC__INLINE static __forceinline
#define GALLOC__NOINLINE __declspec(noinline)
#else
#define GALLOC__LIKELY(x) (x)
#define GALLOC__UNLIKELY(x) (x)
#define GALLOC__INLINE static inline
#define GALLOC__NOINLINE
#endif

/*
 * Atomic access to one machine word.  galloc publishes only pointers to
 * objects that are immutable from program load on (the resolved global
 * allocator, the error hook), so relaxed ordering is enough: what matters is
 * freedom from torn reads.  Pointers travel as uintptr_t so that object and
 * function pointers share one implementation.  MSVC's C mode has no
 * <stdatomic.h> before VS 2022 17.5; there an aligned volatile word access is
 * atomic, and the exchange is an interlocked intrinsic.
 */
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
GALLOC__INLINE uintptr_t galloc__atomic_load(const volatile uintptr_t *word) {
    return *word;
}
GALLOC__INLINE void galloc__atomic_store(volatile uintptr_t *word, uintptr_t value) {
    *word = value;
}
GALLOC__INLINE uintptr_t galloc__atomic_exchange(volatile uintptr_t *word,
                                                 uintptr_t value) {
    return (uintptr_t)_InterlockedExchangePointer((void *volatile *)word,
                                                  (void *)value);
}
#else
GALLOC__INLINE uintptr_t galloc__atomic_load(const volatile uintptr_t *word) {
    return __atomic_load_n(word, __ATOMIC_RELAXED);
}
GALLOC__INLINE void galloc__atomic_store(volatile uintptr_t *word, uintptr_t value) {
    __atomic_store_n(word, value, __ATOMIC_RELAXED);
}
GALLOC__INLINE uintptr_t galloc__atomic_exchange(volatile uintptr_t *word,
                                                 uintptr_t value) {
    return __atomic_exchange_n(word, value, __ATOMIC_ACQ_REL);
}
#endif

/*
 * The validity rule of DESIGN.md, written so that every case costs one
 * well-predicted branch: align is a power of two (align-1 has no bit in
 * common with align, and align != 0 because then align-1 > PTRDIFF_MAX), and
 * size + (align-1) <= PTRDIFF_MAX without computing the possibly wrapping sum.
 */
GALLOC__INLINE int galloc__layout_check(size_t size, size_t align) {
    size_t mask = align - 1;
    if (GALLOC__UNLIKELY((align & mask) != 0 || mask > (size_t)PTRDIFF_MAX))
        return GALLOC_EALIGN;
    if (GALLOC__UNLIKELY(size > (size_t)PTRDIFF_MAX - mask))
        return GALLOC_ESIZE;
    return GALLOC_OK;
}

/* The same rule as a yes/no, for the front end. */
GALLOC__INLINE bool galloc__layout_ok(size_t size, size_t align) {
    return galloc__layout_check(size, align) == GALLOC_OK;
}

/* Reports, on stderr and without allocating, that `function` was handed
 * ptr, which is not one of its blocks, and what it did (`outcome`).  Keeps
 * errno (and GetLastError).  Defined in alloc.c, next to the other message
 * galloc writes. */
void galloc__report_foreign(const char *function, const void *ptr, const char *outcome);

#endif /* GALLOC_INTERNAL_H */
