/*
 * sys.h - the platform contract.  Internal; the one place that says what a
 * backend (src/posix/, src/win32/) must do.
 *
 * The portable core (src/alloc.c) calls only the functions declared here and
 * contains no platform #ifdef.  The backend is compiled into the same
 * translation unit as the core (see the bottom of this file), the way
 * mimalloc's prim.c includes its platform file: the System allocator's hot
 * paths then inline into galloc_alloc()/galloc_dealloc() with no call and no
 * indirection, which is what lets galloc cost nothing over the platform's
 * allocator.  So every function here is `static`, and this header is
 * included by src/alloc.c only.  The five hot functions (plain_ok and the
 * four operations) are force-inlined; their rare paths (over-aligned
 * blocks, failures) are separate NOINLINE functions in the backend.
 *
 * Layouts arrive as two scalars, size and align (see layout_of in
 * alloc.c for why).  What every backend function may assume (the front end
 * guarantees it):
 *   - the layout is valid (power-of-two align, size rounded up to align
 *     <= PTRDIFF_MAX) and its size is non-zero;
 *   - a block passed in is non-NULL and was returned by this backend for a
 *     layout with the same alignment and the given size;
 *   - new_size is non-zero and (new_size, align) is valid.
 * What every backend function must guarantee:
 *   - returned blocks are aligned to align and hold at least the
 *     requested size; zeroed blocks hold zeros;
 *   - failure is NULL with errno = ENOMEM, and a failed realloc leaves the
 *     old block valid and unchanged.  (The backend sets errno so that its
 *     fast paths can end in a tail call to malloc/realloc, which set it
 *     themselves for every size a machine could hold: the front end adds
 *     no work after the platform's call.  Beyond that, where some mallocs
 *     do not set it, the backend does.)
 *   - what the platform returns is what the backend promises, whatever
 *     malloc the process runs: an aligned call's result is checked, since
 *     some mallocs under-align (src/posix/sys.c).
 *   - a deallocation leaves errno and the OS error state unchanged;
 *   - thread-safety, no locks of its own, no allocation for itself, no abort;
 *   - it works before main and inside constructors / DllMain.
 */
#ifndef GALLOC_SYS_H
#define GALLOC_SYS_H

#include "internal.h"

/* The platform's plain case.  True only if (size, align) is valid with
 * size > 0 *and* the platform's own allocator (malloc, HeapAlloc) serves it
 * directly.  The front end tests this first: when it holds for the System
 * allocator, every other check of its own is already answered, and the
 * operation goes straight to the backend.  Pure and cheap: it is inlined
 * into every allocation. */
GALLOC__INLINE bool galloc__sys_plain_ok(size_t size, size_t align);

/* pre: (size, align) valid, size > 0.
 * post: an uninitialised block of size bytes aligned to align, or NULL. */
GALLOC__INLINE void *galloc__sys_alloc(size_t size, size_t align);

/* pre: as galloc__sys_alloc.  post: a zero-filled block, or NULL. */
GALLOC__INLINE void *galloc__sys_alloc_zeroed(size_t size, size_t align);

/* pre: ptr came from this backend with this size and align.
 * post: the block is released; errno and the OS error state (GetLastError)
 * are what they were before the call.
 * The size is not needed: a backend tells its kinds of block apart by the
 * alignment alone (an aligned block must not need its size to be found).
 * galloc_delete relies on it for C++'s unsized operator delete, passing
 * whatever size it was told, GALLOC_SIZE_UNKNOWN included. */
GALLOC__INLINE void galloc__sys_dealloc(void *ptr, size_t size, size_t align);

/* pre: ptr came from this backend for (size, align); new_size > 0 and
 * valid with align.
 * post: a block of new_size bytes aligned to align holding the first
 * min(size, new_size) bytes of the old one (the old block is then
 * released), or NULL with the old block valid and unchanged. */
GALLOC__INLINE void *galloc__sys_realloc(void *ptr, size_t size, size_t align, size_t new_size);

/* True if the backend releases every block the same way whatever the
 * alignment it was allocated for (Unix: free()), so that a block may be
 * allocated for a smaller alignment than the one its release will be told.
 * galloc_new relies on it to serve C++'s small objects with plain malloc.
 * (Windows finds an over-aligned block's header by the alignment.) */
GALLOC__INLINE bool galloc__sys_release_ignores_align(void);

/* The error state a deallocation must not change: errno, and on Windows
 * GetLastError() too.  The front end saves and restores it around the
 * deallocation of allocators other than System, which may clobber it. */
typedef struct galloc__sys_errors galloc__sys_errors;
static galloc__sys_errors galloc__sys_errors_save(void);
static void galloc__sys_errors_restore(galloc__sys_errors saved);

/* The executable's override (the galloc_global_allocator symbol defined by
 * GALLOC_GLOBAL_ALLOCATOR), or NULL if the executable defines none.  A
 * definition in any other module (a shared library, a DLL) must be ignored:
 * only the executable decides.  And the executable's must be found however
 * the calling module's references are bound: a library that embeds galloc
 * and defines the symbol itself, opened with RTLD_DEEPBIND or linked with
 * -Bsymbolic, still gets the executable's override, so the answer is the
 * same in every module of the process.
 * pre: none; may run before main and inside DllMain.  Must not allocate,
 * take a lock of galloc's own, or abort. */
static const galloc_allocator *galloc__sys_find_override(void);

/* Writes len bytes to the process's standard error, unbuffered, without
 * allocating.  Best effort: errors are ignored. */
static void galloc__sys_write_stderr(const char *text, size_t len);

/*
 * The seam for failure injection.  A backend writes every call it makes to
 * the platform's allocator - malloc, calloc, realloc, posix_memalign, free,
 * the query malloc_usable_size, and the mmap that replaces a zeroed block's
 * pages with zero pages; HeapAlloc, HeapReAlloc, HeapFree - as
 * GALLOC__SYS_CALL(name)(arguments).  In the library that is the call
 * itself, token for token, so it costs nothing.  Built with
 * GALLOC_FAULT_INJECTION (only the test library galloc_fault is) it calls
 * galloc__fault_<name> instead: a wrapper with the same signature, which
 * the backend defines next to its calls because only it knows how each of
 * them fails; it counts the call, fails it when a test asks (src/fault.h),
 * and tallies the blocks left live.  A platform call written without the
 * seam would escape the failure tests and unbalance their tally, or hand
 * the platform a block the wrappers made up.
 */
#if defined(GALLOC_FAULT_INJECTION)
#include "fault.h"
#define GALLOC__SYS_CALL(name) galloc__fault_##name
#else
#define GALLOC__SYS_CALL(name) name
#endif

/* The backend is part of this translation unit. */
#if defined(_WIN32)
#include "win32/sys.c"
#else
#include "posix/sys.c"
#endif

#endif /* GALLOC_SYS_H */
