/*
 * galloc.h - the whole public API of galloc.
 *
 * galloc gives C and C++ programs what Rust's #[global_allocator] gives Rust:
 *
 *   - a layout-based allocation interface: every call carries the size *and*
 *     the alignment, frees and reallocs included;
 *   - a System allocator (galloc_system) that maps that interface onto the
 *     platform's allocator: malloc/calloc/realloc/posix_memalign/free on
 *     Unix, HeapAlloc/HeapReAlloc/HeapFree on the Windows process heap;
 *   - one global allocator per program (galloc_global()).  It is galloc_system
 *     unless the executable replaces it with one line,
 *     GALLOC_GLOBAL_ALLOCATOR(my_allocator), written at file scope.
 *
 * Conventions used by every function below:
 *
 *   - A layout is *valid* when its alignment is a power of two and its size,
 *     rounded up to the alignment, does not exceed PTRDIFF_MAX.
 *   - Layout functions return 0 on success and a GALLOC_E... code otherwise;
 *     they write their outputs only on success.
 *   - Allocation functions return NULL on failure and set errno: EINVAL for an
 *     invalid layout, ENOMEM when the memory cannot be had.  They never abort
 *     and never longjmp.  galloc_handle_alloc_error() is the opt-in "give up".
 *   - Deallocation never changes errno (nor GetLastError() on Windows).
 *   - On Windows errno belongs to a C runtime: the shared galloc DLL sets the
 *     errno of the runtime it was built with.  A program built against
 *     another runtime (msvcrt vs UCRT, or /MT) still gets NULL on failure,
 *     but should use the static library if it needs errno too.
 *   - Every function is thread-safe and may be called before main(), in
 *     constructors and in DllMain.
 *   - fork(): galloc holds no lock of its own (the global allocator is
 *     resolved through one atomic word), so a child forked while other
 *     threads allocate can allocate as soon as its platform allocator lets
 *     it (glibc's and musl's malloc do).  An allocator object that holds a
 *     lock must keep that promise itself, as galloc/checked.h does.
 *
 * Linking: define nothing to use the static library; the shared library's
 * CMake target (galloc::galloc) defines GALLOC_USING_SHARED for its users,
 * which only matters on Windows (dllimport).
 */
#ifndef GALLOC_H
#define GALLOC_H

#include <stddef.h> /* size_t */

#ifdef __cplusplus
extern "C" {
#endif

#define GALLOC_VERSION_MAJOR 0
#define GALLOC_VERSION_MINOR 1
#define GALLOC_VERSION_PATCH 0

/* ---------------------------------------------------------------------------
 * Export macro (the libuv scheme).
 *
 *   GALLOC_BUILDING_SHARED  defined while compiling the shared library;
 *   GALLOC_USING_SHARED     defined while compiling code that uses it;
 *   GALLOC_BUILDING_STATIC  defined while compiling the static library;
 *   none of them            a static library's user.
 * ------------------------------------------------------------------------ */
#if defined(GALLOC_BUILDING_SHARED) && defined(GALLOC_USING_SHARED)
#error "Define either GALLOC_BUILDING_SHARED or GALLOC_USING_SHARED, not both."
#endif

#if defined(_WIN32)
#if defined(GALLOC_BUILDING_SHARED)
#define GALLOC_EXTERN __declspec(dllexport)
#elif defined(GALLOC_USING_SHARED)
#define GALLOC_EXTERN __declspec(dllimport)
#else
#define GALLOC_EXTERN /* static library */
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#if defined(GALLOC_BUILDING_STATIC)
/* A static copy of galloc stays private to the module that embeds it: if a
 * shared library exported it, ELF symbol interposition could bind another
 * module's calls to this copy. */
#define GALLOC_EXTERN __attribute__((visibility("hidden")))
#else
/* The shared library is compiled with -fvisibility=hidden; only the API is
 * exported. */
#define GALLOC_EXTERN __attribute__((visibility("default")))
#endif
#else
#define GALLOC_EXTERN
#endif

/* ---------------------------------------------------------------------------
 * Attributes that let compilers and tools reason about the allocation
 * functions.  The size lives inside a struct, so alloc_size only applies to
 * galloc_realloc().
 * ------------------------------------------------------------------------ */
#if defined(__GNUC__) || defined(__clang__)
#define GALLOC_NODISCARD __attribute__((warn_unused_result))
#define GALLOC_MALLOC_LIKE __attribute__((malloc))
#define GALLOC_ALLOC_SIZE(n) __attribute__((alloc_size(n)))
#define GALLOC_NORETURN __attribute__((noreturn))
#elif defined(_MSC_VER)
#if defined(_Check_return_) /* from <sal.h>, which <stddef.h> pulls in */
#define GALLOC_NODISCARD _Check_return_
#else
#define GALLOC_NODISCARD
#endif
#define GALLOC_MALLOC_LIKE __declspec(allocator) __declspec(restrict)
#define GALLOC_ALLOC_SIZE(n)
#define GALLOC_NORETURN __declspec(noreturn)
#else
#define GALLOC_NODISCARD
#define GALLOC_MALLOC_LIKE
#define GALLOC_ALLOC_SIZE(n)
#define GALLOC_NORETURN
#endif

/* Never throws, said to C++ (glibc's __THROW): a noexcept caller, such as
 * operator delete, can then end in a tail call instead of keeping a frame
 * for a termination handler. */
#if defined(__cplusplus)
#define GALLOC_NOTHROW noexcept
#else
#define GALLOC_NOTHROW
#endif

/* ---------------------------------------------------------------------------
 * Layouts
 * ------------------------------------------------------------------------ */

/** The size and alignment of a block of memory. */
typedef struct galloc_layout {
    size_t size;  /**< bytes; 0 is allowed and allocates nothing */
    size_t align; /**< a power of two */
} galloc_layout;

/** Error codes of the layout functions (0 is success). */
enum galloc_error {
    GALLOC_OK = 0,
    /** The alignment is 0 or not a power of two. */
    GALLOC_EALIGN = 1,
    /** The size, rounded up to the alignment, exceeds PTRDIFF_MAX. */
    GALLOC_ESIZE = 2,
    /** Computing an array's size overflowed size_t. */
    GALLOC_EOVERFLOW = 3,
    /** A required output pointer was NULL. */
    GALLOC_ENULL = 4
};

/**
 * A short English description of a galloc error code, e.g.
 * "alignment is not a power of two".  Never NULL: unknown codes give
 * "unknown galloc error".  The string is static; nothing is allocated.
 */
GALLOC_EXTERN const char *galloc_strerror(int code);

/**
 * Checks a layout.
 * @return 0 if valid, GALLOC_EALIGN if layout.align is not a power of two,
 *         GALLOC_ESIZE if layout.size rounded up to layout.align exceeds
 *         PTRDIFF_MAX.
 */
GALLOC_EXTERN int galloc_layout_validate(galloc_layout layout);

/**
 * Makes a layout from a size and an alignment.
 * @param size   bytes (0 allowed)
 * @param align  a power of two
 * @param out    receives the layout, only on success
 * @return 0, GALLOC_EALIGN, GALLOC_ESIZE, or GALLOC_ENULL if out is NULL.
 */
GALLOC_EXTERN int galloc_layout_from_size_align(size_t size, size_t align,
                                                galloc_layout *out);

/**
 * The layout of an array of n elements: the element padded to its own
 * alignment, times n, with the element's alignment.
 * @param elem  a valid layout
 * @param n     number of elements (0 allowed: size 0)
 * @param out   receives the layout, only on success
 * @return 0; GALLOC_EALIGN or GALLOC_ESIZE if elem is invalid; GALLOC_EOVERFLOW
 *         if the multiplication overflows size_t; GALLOC_ESIZE if the result
 *         exceeds PTRDIFF_MAX; GALLOC_ENULL if out is NULL.
 */
GALLOC_EXTERN int galloc_layout_array(galloc_layout elem, size_t n,
                                      galloc_layout *out);

/**
 * Appends a field to a struct layout, the way a C compiler lays out members:
 * `next` is placed at the first offset after base.size that is a multiple of
 * next.align.  The result has the larger of the two alignments and *no*
 * trailing padding; call galloc_layout_pad_to_align() once the last field has
 * been added.
 * @param base    the layout so far (valid)
 * @param next    the field to append (valid)
 * @param out     receives the combined layout, only on success
 * @param offset  receives the field's offset, only on success (may be NULL)
 * @return 0; GALLOC_EALIGN/GALLOC_ESIZE for an invalid input; GALLOC_ESIZE
 *         if the result would exceed PTRDIFF_MAX (valid inputs cannot
 *         overflow size_t here); GALLOC_ENULL if out is NULL.
 */
GALLOC_EXTERN int galloc_layout_extend(galloc_layout base, galloc_layout next,
                                       galloc_layout *out, size_t *offset);

/**
 * The layout with its size rounded up to a multiple of its alignment (the
 * size of one array element, or of a finished struct).  A valid layout cannot
 * overflow here; an invalid layout is returned unchanged, so it stays invalid.
 */
GALLOC_EXTERN galloc_layout galloc_layout_pad_to_align(galloc_layout layout);

/** The layout of type T, as a galloc_layout value. */
#if defined(__cplusplus)
#define GALLOC_LAYOUT_OF(T) (galloc_layout{sizeof(T), alignof(T)})
#else
#if defined(_MSC_VER) && !defined(__clang__) &&                                 \
    (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 201112L)
#define GALLOC__ALIGNOF(T) __alignof(T) /* MSVC before /std:c11 */
#else
#define GALLOC__ALIGNOF(T) _Alignof(T)
#endif
#define GALLOC_LAYOUT_OF(T)                                                     \
    ((galloc_layout){sizeof(T), GALLOC__ALIGNOF(T)})
#endif

/* ---------------------------------------------------------------------------
 * Allocators
 * ------------------------------------------------------------------------ */

typedef struct galloc_allocator galloc_allocator;

/**
 * An allocator: a table of functions and a name.  Embed it as the *first*
 * member of a larger struct to give an allocator state; each function gets
 * the allocator back as `self` and may cast it to that struct.
 *
 * The contract is short because galloc's front end (the functions below)
 * handles the awkward cases before calling an allocator:
 *   - layout is always valid and layout.size is never 0;
 *   - ptr is never NULL and was returned by this allocator for `layout`;
 *   - new_size is never 0 and (new_size, layout.align) is valid.
 * The allocator must:
 *   - return a block aligned to layout.align of at least layout.size bytes,
 *     or NULL (errno is set to ENOMEM by the front end, so it need not be);
 *   - on a failed realloc, return NULL and leave the old block untouched;
 *   - be thread-safe; never abort or longjmp.
 */
struct galloc_allocator {
    /** Required. */
    void *(*alloc)(const galloc_allocator *self, galloc_layout layout);
    /** Required.  May clobber errno: the front end restores it. */
    void (*dealloc)(const galloc_allocator *self, void *ptr,
                    galloc_layout layout);
    /** Optional (NULL): the front end uses alloc + memset. */
    void *(*alloc_zeroed)(const galloc_allocator *self, galloc_layout layout);
    /** Optional (NULL): the front end uses alloc + copy + dealloc. */
    void *(*realloc)(const galloc_allocator *self, void *ptr,
                     galloc_layout layout, size_t new_size);
    /** For messages and diagnostics; may be NULL. */
    const char *name;
};

/** The System allocator: the platform's own heap (see the top of the file).
 *  Every block it returns on Unix can also be released with free(). */
GALLOC_EXTERN extern const galloc_allocator galloc_system;

/**
 * The program's global allocator: the executable's GALLOC_GLOBAL_ALLOCATOR
 * if it has one, else &galloc_system.  Resolved once on first use, without a
 * lock, and never changes after.  Never NULL.
 */
GALLOC_EXTERN const galloc_allocator *galloc_global(void);

/* ---------------------------------------------------------------------------
 * Allocation through the global allocator
 * ------------------------------------------------------------------------ */

/**
 * Allocates a block for `layout` from the global allocator.
 * @return a block aligned to layout.align, of at least layout.size bytes,
 *         uninitialised.  For layout.size == 0 nothing is allocated and a
 *         non-NULL pointer aligned to layout.align is returned (do not
 *         dereference it; passing it back to galloc_dealloc() is fine).
 *         NULL with errno = EINVAL for an invalid layout, NULL with
 *         errno = ENOMEM when out of memory.
 */
GALLOC_EXTERN GALLOC_NODISCARD GALLOC_MALLOC_LIKE void *
galloc_alloc(galloc_layout layout);

/** Like galloc_alloc(), with the block's bytes set to zero. */
GALLOC_EXTERN GALLOC_NODISCARD GALLOC_MALLOC_LIKE void *
galloc_alloc_zeroed(galloc_layout layout);

/**
 * Releases a block.
 * @param ptr     a block from galloc_alloc/_zeroed/realloc, or NULL (then
 *                nothing happens)
 * @param layout  the layout it was allocated with (for a realloc'ed block:
 *                the old align and the new size).  A zero-size layout does
 *                nothing; an invalid layout cannot describe any block, so it
 *                does nothing either (the block is left allocated).
 * Never changes errno, nor GetLastError() on Windows.
 */
GALLOC_EXTERN void galloc_dealloc(void *ptr, galloc_layout layout);

/**
 * Resizes a block to new_size bytes, keeping layout.align.
 * @param ptr       the block (NULL, or a zero-size layout: allocates anew)
 * @param layout    the layout it currently has
 * @param new_size  the new size; 0 frees the block and returns the zero-size
 *                  pointer for layout.align
 * @return the resized block, with the first min(old, new) bytes kept and
 *         the alignment kept; bytes beyond the old size are uninitialised.
 *         On failure NULL, errno = EINVAL (invalid layout, or new_size
 *         invalid with layout.align) or ENOMEM, and the old block is still
 *         valid, unchanged, and still owned by the caller.
 */
GALLOC_EXTERN GALLOC_NODISCARD GALLOC_ALLOC_SIZE(3) void *
galloc_realloc(void *ptr, galloc_layout layout, size_t new_size);

/* ---------------------------------------------------------------------------
 * Allocation through an explicit allocator object: the same four operations
 * with the same front-end rules (validation, zero size, errno), for any
 * galloc_allocator, including &galloc_system and galloc_global().
 * ------------------------------------------------------------------------ */

/** galloc_alloc() on `allocator`. */
GALLOC_EXTERN GALLOC_NODISCARD GALLOC_MALLOC_LIKE void *
galloc_allocator_alloc(const galloc_allocator *allocator, galloc_layout layout);

/** galloc_alloc_zeroed() on `allocator`; uses alloc + memset if the
 *  allocator has no alloc_zeroed. */
GALLOC_EXTERN GALLOC_NODISCARD GALLOC_MALLOC_LIKE void *
galloc_allocator_alloc_zeroed(const galloc_allocator *allocator,
                              galloc_layout layout);

/** galloc_dealloc() on `allocator`; keeps errno even if the allocator's
 *  dealloc changes it. */
GALLOC_EXTERN void galloc_allocator_dealloc(const galloc_allocator *allocator,
                                            void *ptr, galloc_layout layout);

/** galloc_realloc() on `allocator`; uses alloc + copy + dealloc if the
 *  allocator has no realloc. */
GALLOC_EXTERN GALLOC_NODISCARD GALLOC_ALLOC_SIZE(4) void *
galloc_allocator_realloc(const galloc_allocator *allocator, void *ptr,
                         galloc_layout layout, size_t new_size);

/* ---------------------------------------------------------------------------
 * libc-shaped functions, for libraries whose hooks take malloc / calloc /
 * realloc / free (libuv's uv_replace_allocator, zlib, SQLite, OpenSSL,
 * cJSON...).  They allocate through the global allocator and remember each
 * block's size in a 16-byte header in front of it, so no size is needed to
 * free (each block costs 32 bytes more than asked: the header, and room to
 * keep the block off a page boundary, see galloc_libc_owns).  Blocks are
 * aligned to 16 (enough for max_align_t on every platform galloc supports).
 * Never mix them with galloc_alloc / galloc_dealloc or with the C library's
 * own free().
 * ------------------------------------------------------------------------ */

/** malloc(): size bytes, uninitialised.  size 0 gives a unique pointer that
 *  must be freed, as glibc does.  NULL with errno = ENOMEM on failure. */
GALLOC_EXTERN GALLOC_NODISCARD GALLOC_MALLOC_LIKE GALLOC_ALLOC_SIZE(1) void *
galloc_libc_malloc(size_t size);

/** calloc(): count * size zeroed bytes; an overflowing product is NULL with
 *  errno = ENOMEM, never a short block. */
GALLOC_EXTERN GALLOC_NODISCARD GALLOC_MALLOC_LIKE void *
galloc_libc_calloc(size_t count, size_t size);

/** realloc(): NULL ptr is malloc(size); size 0 frees ptr and returns NULL
 *  (glibc's behaviour); on failure NULL, errno = ENOMEM, and ptr is still
 *  valid and unchanged.  A ptr that is not a live block of these functions
 *  (galloc_libc_owns) is reported on stderr and left alone: NULL, errno =
 *  EINVAL. */
GALLOC_EXTERN GALLOC_NODISCARD GALLOC_ALLOC_SIZE(2) void *
galloc_libc_realloc(void *ptr, size_t size);

/** free(): NULL does nothing; errno (and GetLastError) are kept.  A
 *  pointer that is not a live block of these functions (see
 *  galloc_libc_owns) is reported on stderr and left alone, not freed. */
GALLOC_EXTERN void galloc_libc_free(void *ptr);

/**
 * Whether ptr is a live block of the libc-shaped functions (of any copy of
 * galloc in the process), as far as can be told without risk: nonzero if
 * it is, 0 if not.  It reads the 16-byte header in front of ptr only where
 * that cannot fault (the header of every block is in the same page as the
 * block), and under AddressSanitizer or Valgrind only where the tool says
 * the bytes are addressable and initialised, so it is safe on any pointer
 * to at least one readable byte.
 *
 * It tells apart: pointers from any other allocator (malloc, new, mmap),
 * stack and static memory, pointers into the middle of a block, a block
 * already freed (until its memory is reused by another of these blocks),
 * and a block whose header was overwritten.  It cannot tell: a freed block
 * whose address was handed out again, or bytes that deliberately imitate a
 * header (its check word involves the pointer and the size, so this does
 * not happen by chance).  galloc_libc_free and galloc_libc_realloc use it:
 * a pointer that is not theirs is reported and left alone.
 */
GALLOC_EXTERN int galloc_libc_owns(const void *ptr);

/**
 * The size of a live block of the libc-shaped functions: exactly the size
 * it was last allocated or reallocated with (malloc_usable_size(), for
 * hooks that need it, such as SQLite's xSize).  Every byte of it may be
 * used, and no more.  0 for NULL.  A pointer that is not a live block of
 * these functions (galloc_libc_owns) is reported on stderr: 0.
 */
GALLOC_EXTERN size_t galloc_libc_usable_size(const void *ptr);

/* ---------------------------------------------------------------------------
 * Blocks for C++'s operator new and delete.  galloc::new_delete (its
 * replaceable global operators, src/cxx/new_delete.cpp) calls these two;
 * they are C so that every copy of galloc in a process - shared, or static
 * in a plugin - decides the same way.  Other code has no reason to call them.
 *
 * C++ may release a block without saying its size: an unsized operator
 * delete (an incomplete type, delete[] of a trivially destructible type,
 * code built without sized deallocation - clang before 19 by default).
 * How the size is found depends on the global allocator, which never
 * changes once resolved, so every block of a process is made the same way:
 *
 *   - global = System (the default): the System allocator's own block for
 *     (size, align), nothing added - malloc or posix_memalign on Unix, so
 *     free() can release it; HeapAlloc on Windows.  On Unix a block smaller
 *     than an alignment up to malloc's own (16 on 64-bit targets) is
 *     aligned only to the largest power of two dividing its size, all an
 *     object of that size can need: a plain malloc, as the C++ runtime's
 *     own new does.  The platform knows the
 *     size itself: no header, no memory cost.  (Except that an alignment
 *     above the heap's own is an over-aligned System block: on 32-bit
 *     Windows, even C++'s default 16 is, HeapAlloc giving 8.)
 *   - any other global: the block's size is kept in a size_t just in front
 *     of the pointer returned, which lies max(align, sizeof(size_t)) bytes
 *     into the allocator's block.  The allocator sees exactly the layout
 *     galloc_layout_extend({sizeof(size_t), alignof(size_t)}, {size, align})
 *     gives: {size + max(align, sizeof(size_t)), max(align, alignof(size_t))}.
 *     Memory cost: that offset per block, i.e. 16 bytes for an ordinary
 *     new on 64-bit targets (__STDCPP_DEFAULT_NEW_ALIGNMENT__ is 16) and
 *     `align` bytes for an over-aligned one.
 * ------------------------------------------------------------------------ */

/** galloc_delete()'s size when the caller does not know it. */
#define GALLOC_SIZE_UNKNOWN ((size_t)-1)

/**
 * Allocates a block for C++'s operator new from the global allocator, in
 * the form described above.
 * @param size   bytes; 0 is taken as 1, so every block is distinct (C++'s
 *               new of size 0)
 * @param align  a power of two: the align_val_t of an aligned new, else
 *               __STDCPP_DEFAULT_NEW_ALIGNMENT__
 * @return the block (aligned to align, but for the small System blocks
 *         above), or NULL with errno = EINVAL (align not a power of two)
 *         or ENOMEM.  It calls no new_handler and throws nothing: the C++
 *         layer does (galloc::new_delete).
 */
GALLOC_EXTERN GALLOC_NODISCARD GALLOC_MALLOC_LIKE void *
galloc_new(size_t size, size_t align) GALLOC_NOTHROW;

/**
 * Releases a block of galloc_new().
 * @param ptr    a block of galloc_new(), or NULL (nothing happens)
 * @param size   the size given to galloc_new(), or GALLOC_SIZE_UNKNOWN.  A
 *               known size is the one passed on to the allocator, so that
 *               a checking allocator (galloc/checked.h) sees a wrong one;
 *               an unknown size is read from the block's header.
 * @param align  the alignment given to galloc_new()
 * Never changes errno, nor GetLastError() on Windows.
 */
GALLOC_EXTERN void galloc_delete(void *ptr, size_t size, size_t align) GALLOC_NOTHROW;

/* ---------------------------------------------------------------------------
 * Allocation failure as a fatal error (opt-in)
 * ------------------------------------------------------------------------ */

/** A function called by galloc_handle_alloc_error().  If it returns,
 *  galloc_handle_alloc_error() aborts anyway. */
typedef void (*galloc_alloc_error_hook)(galloc_layout layout);

/**
 * Sets the hook galloc_handle_alloc_error() calls (NULL restores the
 * default).  Thread-safe.
 * @return the previous hook (NULL if it was the default).
 */
GALLOC_EXTERN galloc_alloc_error_hook
galloc_set_alloc_error_hook(galloc_alloc_error_hook hook);

/**
 * Reports that an allocation of `layout` failed and does not return: calls
 * the hook if one is set; otherwise writes
 * "memory allocation of N bytes (align A) failed" to stderr, without
 * allocating; then aborts.  galloc never calls this by itself.
 */
GALLOC_EXTERN GALLOC_NORETURN void galloc_handle_alloc_error(galloc_layout layout);

/* ---------------------------------------------------------------------------
 * The override: GALLOC_GLOBAL_ALLOCATOR(object)
 *
 * Written once, at file scope, in an executable (or in a static library the
 * executable links).  `object` is a galloc_allocator, or a struct whose first
 * member is one, with static storage duration.  From then on galloc_global()
 * is that allocator in every module of the process: the executable, the
 * shared galloc library, libraries that embed galloc statically (loaded at
 * start-up or later), and code running before main().
 *
 * It works by defining one exported symbol, galloc_global_allocator, that
 * galloc looks for in the executable only:
 *   - a second override in the same program is a link error ("multiple
 *     definition of galloc_global_allocator");
 *   - an override compiled into a shared library / DLL is ignored: only the
 *     executable decides.
 * The symbol is a constant pointer, filled in by the loader before any code
 * runs, so there is no start-up ordering hazard.
 *
 * On ELF platforms, for libraries that embed galloc statically and are loaded
 * at run time to see the override, the executable must export the symbol:
 * galloc's CMake targets add -Wl,--export-dynamic-symbol=galloc_global_allocator
 * to executables that link them.  In C++, pass the galloc_allocator itself
 * (or the struct's first member) so the pointer is a constant expression.
 * ------------------------------------------------------------------------ */
#if defined(_WIN32)
#define GALLOC__OVERRIDE_EXPORT __declspec(dllexport)
#define GALLOC__OVERRIDE_KEEP
#elif defined(__GNUC__) || defined(__clang__)
#define GALLOC__OVERRIDE_EXPORT __attribute__((visibility("default")))
#define GALLOC__OVERRIDE_KEEP __attribute__((used))
#else
#define GALLOC__OVERRIDE_EXPORT
#define GALLOC__OVERRIDE_KEEP
#endif

/* C wants a declaration before the definition (warning-free under
 * -Wmissing-variable-declarations); C++ wants one extern "C" definition, as
 * a redeclaration would drop dllexport / visibility. */
#ifdef __cplusplus
#define GALLOC_GLOBAL_ALLOCATOR(object)                                         \
    extern "C" GALLOC__OVERRIDE_EXPORT GALLOC__OVERRIDE_KEEP                   \
        const galloc_allocator *const galloc_global_allocator =                \
            (const galloc_allocator *)&(object)
#else
#define GALLOC_GLOBAL_ALLOCATOR(object)                                         \
    extern GALLOC__OVERRIDE_EXPORT const galloc_allocator                      \
        *const galloc_global_allocator;                                        \
    GALLOC__OVERRIDE_EXPORT GALLOC__OVERRIDE_KEEP const galloc_allocator       \
        *const galloc_global_allocator = (const galloc_allocator *)&(object)
#endif

#ifdef __cplusplus
}
#endif

#endif /* GALLOC_H */
