/*
 * posix/sys.c - the Unix backend: malloc, calloc, realloc, posix_memalign,
 * free.  Included by src/sys.h into src/alloc.c; see sys.h for the contract.
 */
#ifndef GALLOC_SYS_H
#error "src/posix/sys.c is part of src/alloc.c: it is included by src/sys.h"
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/mman.h>
#include <sys/utsname.h>
#endif

#if defined(GALLOC_HAVE_MALLOC_USABLE_SIZE)
#include <malloc.h>
#endif
#if defined(__APPLE__)
#include <dlfcn.h>
#elif defined(GALLOC_HAVE_DL_ITERATE_PHDR)
#include <link.h>
#else
/* CMakeLists.txt stops first, with the same message. */
#error "galloc: no known way to find the executable's override on this platform \
(neither Mach-O's dyld nor ELF's dl_iterate_phdr); see src/posix/sys.c"
#endif

#if defined(GALLOC_FAULT_INJECTION)
/* The platform calls as the failure-injection build makes them (the seam in
 * sys.h, the control in fault.h).  A failure is the real call's: malloc,
 * calloc and realloc return NULL with errno = ENOMEM; posix_memalign returns
 * ENOMEM and leaves errno alone.  With galloc__fault_silent_failures, the
 * first three leave errno alone too, injected or real, as some mallocs do
 * (jemalloc 5.3's realloc, above its largest size class).  What they return
 * when they succeed may be a block made up by fault.c (misaligned,
 * under-aligned); free, realloc and malloc_usable_size take it back as
 * the real block behind it. */
static void *galloc__fault_enomem(void) {
    errno = ENOMEM;
    return NULL;
}

/* What a call's caller sees of errno after the call. */
static void *galloc__fault_errno(void *block, int errno_before) {
    if (block == NULL && galloc__fault_silent())
        errno = errno_before;
    return block;
}

static void *galloc__fault_malloc(size_t size) {
    int before = errno;
    void *block = galloc__fault_fails(GALLOC__FAULT_MALLOC) ? galloc__fault_enomem()
                                                            : galloc__fault_platform_malloc(size);
    return galloc__fault_acquired(galloc__fault_errno(block, before));
}

static void *galloc__fault_calloc(size_t count, size_t size) {
    int before = errno;
    void *block = galloc__fault_fails(GALLOC__FAULT_CALLOC)
                      ? galloc__fault_enomem()
                      : galloc__fault_platform_calloc(count, size);
    return galloc__fault_acquired(galloc__fault_errno(block, before));
}

static void *galloc__fault_realloc(void *ptr, size_t size) {
    int before = errno;
    void *moved = galloc__fault_fails(GALLOC__FAULT_REALLOC)
                      ? galloc__fault_enomem()
                      : galloc__fault_platform_realloc(ptr, size);
    return galloc__fault_errno(moved, before);
}

static int galloc__fault_posix_memalign(void **ptr, size_t align, size_t size) {
    if (galloc__fault_fails(GALLOC__FAULT_POSIX_MEMALIGN))
        return ENOMEM;
    int error;
    if (align > 2 * sizeof(void *) && galloc__fault_misaligns()) {
        *ptr = galloc__fault_misaligned_block(size);
        error = *ptr != NULL ? 0 : ENOMEM;
    } else {
        error = posix_memalign(ptr, align, size);
    }
    if (error == 0) {
        galloc__fault_acquired(*ptr);
        /* A reused block holds what its last owner left there. */
        if (galloc__fault_dirties())
            memset(*ptr, GALLOC__FAULT_DIRT, size);
    }
    return error;
}

#if defined(__linux__)
/* The page-replacing call (galloc__sys_zero): a failure is mmap's,
 * MAP_FAILED with errno = ENOMEM, the pages left as they were.  Neither
 * acquires nor releases a block: the pages stay the block's. */
static void *galloc__fault_mmap(void *addr, size_t length, int prot, int flags, int fd,
                                off_t offset) {
    if (galloc__fault_fails(GALLOC__FAULT_MMAP)) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    return mmap(addr, length, prot, flags, fd, offset);
}

/* uname, with the release galloc__fault_kernel_release fakes, if any. */
static int galloc__fault_uname(struct utsname *name) {
    int status = uname(name);
    const char *faked = galloc__fault_faked_kernel_release();
    if (status == 0 && faked != NULL) {
        strncpy(name->release, faked, sizeof name->release - 1);
        name->release[sizeof name->release - 1] = '\0';
    }
    return status;
}
#endif

/* With galloc__fault_clobbering_releases, free changes errno after
 * releasing, as glibc's did before 2.33. */
static void galloc__fault_free(void *ptr) {
    galloc__fault_released(GALLOC__FAULT_FREE);
    free(galloc__fault_real_block(ptr));
    if (galloc__fault_clobbers())
        errno = ENOMEM;
}

#if defined(GALLOC_HAVE_MALLOC_USABLE_SIZE)
/* A query, not counted: it cannot fail, and it releases nothing.  But the
 * platform must never be asked about a made-up block, a pointer into one of
 * its blocks: its usable size is the size it was made with. */
static size_t galloc__fault_malloc_usable_size(void *ptr) {
    size_t size;
    return galloc__fault_made_up_size(ptr, &size) ? size : malloc_usable_size(ptr);
}
#endif
#endif

/*
 * MIN_ALIGN: the alignment every malloc block is guaranteed to have.  glibc,
 * musl and the BSDs give 16 bytes on 64-bit targets and 8 on most 32-bit
 * ones; two pointers is that rule (it is also Rust's).
 */
#define GALLOC__MIN_ALIGN (2 * sizeof(void *))

/*
 * The largest size the fast paths hand to malloc, calloc and realloc as a
 * tail call, trusting them to set errno = ENOMEM when they fail, as POSIX
 * says.  Not every malloc does for sizes far beyond any address space:
 * jemalloc 5.3's realloc returns NULL with errno untouched above its largest
 * size class (0x7000000000000000 on 64-bit targets).  Half the address space
 * is more than any machine can hold, so the larger sizes, which can only
 * fail, take an out-of-line path that sets errno itself.
 */
#define GALLOC__SYS_TRUSTED_MAX ((size_t)PTRDIFF_MAX / 2)

/* Every block goes to free(), malloc'ed and posix_memalign'ed alike. */
GALLOC__INLINE bool galloc__sys_release_ignores_align(void) {
    return true;
}

/*
 * Whether malloc's own alignment serves a valid layout: the layout needs no
 * more than MIN_ALIGN *and* the size is at least the alignment.  The second
 * condition is not redundant: allocators may hand small blocks less than
 * MIN_ALIGN (jemalloc gives an 8-byte request 8-byte alignment, and tiny
 * size classes elsewhere do the same), since no object that small can need
 * more.
 */
GALLOC__INLINE bool galloc__sys_malloc_aligns(size_t size, size_t align) {
    size_t mask = align - 1;
    return mask < GALLOC__MIN_ALIGN && mask < size;
}

/*
 * The plain case: malloc's alignment serves the layout and its size is
 * trusted (above).  Written on the alignment mask so that it also proves
 * the layout valid (a power of two below MIN_ALIGN, a size that cannot
 * overflow when rounded up) and the size non-zero, which lets the front end
 * skip its own checks.
 */
GALLOC__INLINE bool galloc__sys_plain_ok(size_t size, size_t align) {
    size_t mask = align - 1;
    return mask < GALLOC__MIN_ALIGN && (mask & align) == 0 && mask < size &&
           size <= GALLOC__SYS_TRUSTED_MAX;
}

static void *galloc__sys_enomem_if_null(void *ptr) {
    if (ptr == NULL)
        errno = ENOMEM;
    return ptr;
}

GALLOC__INLINE bool galloc__sys_is_aligned(const void *ptr, size_t align) {
    return ((uintptr_t)ptr & (align - 1)) == 0;
}

/*
 * posix_memalign, checked.  It rejects (EINVAL) alignments that are not a
 * multiple of sizeof(void *), so small alignments are raised to it (a block
 * aligned to more is aligned to less too).  It returns its error instead of
 * setting errno, so errno is set here.
 *
 * Its result is not trusted blindly.  mimalloc 2.0.9 - Debian 12's, which
 * replaces malloc in every process that links it - assumes that a block
 * whose size is a multiple of a power-of-two alignment is naturally aligned,
 * and hands out 128-aligned blocks for {256, 256}, {512, 256}, {1024, 1024}
 * and the like.  So the address is checked (one AND, on a path that is
 * already the rare one), and a misaligned block is kept while the request
 * is made again differently: one byte longer, so that the size is no
 * multiple of the alignment (which avoids that shortcut), then also with
 * twice the alignment.  Every block that comes back is a block of the
 * platform's, free()-able; the misaligned ones are freed once done.  An
 * allocator that cannot produce an aligned block in three tries is out of
 * memory for that layout: NULL with ENOMEM, never a misaligned block.
 */
#define GALLOC__SYS_ALIGNED_TRIES 3

static GALLOC__NOINLINE void *galloc__sys_realign(void *misaligned, size_t size,
                                                 size_t align) {
    void *rejected[GALLOC__SYS_ALIGNED_TRIES] = {misaligned};
    size_t n_rejected = 1;
    void *ptr = NULL;
    /* A valid layout has size + align - 1 <= PTRDIFF_MAX: size + 1 fits. */
    for (size_t asked = align; n_rejected < GALLOC__SYS_ALIGNED_TRIES; asked *= 2) {
        if (GALLOC__SYS_CALL(posix_memalign)(&ptr, asked, size + 1) != 0) {
            ptr = NULL;
            break;
        }
        if (galloc__sys_is_aligned(ptr, align))
            break;
        rejected[n_rejected++] = ptr;
        ptr = NULL;
        if (asked > (size_t)PTRDIFF_MAX / 2)
            break;
    }
    while (n_rejected > 0)
        GALLOC__SYS_CALL(free)(rejected[--n_rejected]);
    return galloc__sys_enomem_if_null(ptr);
}

static GALLOC__NOINLINE void *galloc__sys_alloc_aligned(size_t size, size_t align) {
    /* The request lives in memory next to the block pointer posix_memalign
     * writes, rather than in registers it would have to save and restore:
     * the check after the call then costs two loads (P2). */
    struct {
        void *ptr;
        size_t size, align;
    } request = {NULL, size, align < sizeof(void *) ? sizeof(void *) : align};
    if (GALLOC__UNLIKELY(GALLOC__SYS_CALL(posix_memalign)(&request.ptr, request.align,
                                                          request.size) != 0)) {
        errno = ENOMEM;
        return NULL;
    }
    if (GALLOC__UNLIKELY(!galloc__sys_is_aligned(request.ptr, request.align)))
        return galloc__sys_realign(request.ptr, request.size, request.align);
    return request.ptr;
}

#if defined(__linux__) /* (its users: below, and the remapping realloc) */
/* The page size; sysconf is cheap, and this is off the hot path. */
static size_t galloc__sys_page_size(void) {
    long page = sysconf(_SC_PAGESIZE);
    return page > 0 ? (size_t)page : 4096;
}
#endif

/*
 * Zeroing an over-aligned block (issue 16).  calloc is cheap for large
 * blocks because the kernel's fresh pages are zero and nothing touches
 * them; posix_memalign has no zeroing twin, and memset touches every page
 * (38-43 ms for 64 MiB, against 10-20 us for calloc).  So the whole pages
 * inside a large block are replaced by fresh zero pages, and only the
 * partial pages at its ends are written.
 *
 * The replacement is mmap(MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS) over
 * those pages, not madvise(MADV_DONTNEED): after MADV_DONTNEED, only a
 * private anonymous mapping reads back as zeros (a shared or file-backed
 * one reads back its contents), and galloc cannot tell what kind of memory
 * the process's malloc carved the block from; a new anonymous mapping
 * reads zeros whatever was there.  The pages lie wholly inside the block,
 * which belongs to the caller, so no malloc's metadata is touched; the
 * malloc still owns the address range, and free() unmaps or reuses it as
 * any other (the kernel merges the new mapping with its neighbours when
 * they match, so glibc's mremap of the block still works).  Should the call
 * fail (the process's map count at its limit, Valgrind refusing it), the
 * block is zeroed with memset, as before: never stale bytes, and errno as
 * the caller left it, since the allocation succeeds.  (Linux only: it is
 * proven here under glibc, jemalloc, mimalloc, tcmalloc, Valgrind and ASan;
 * other systems keep memset until proven.)  What it costs in kind: the
 * replaced pages lose what the malloc may have set on its mapping with
 * madvise (MADV_NOHUGEPAGE, MADV_DONTDUMP) and become ordinary anonymous
 * memory.  Kernels before 6.12 unmapped the old pages before making the
 * new mapping, so a MAP_FIXED mmap failing after that point - when the
 * kernel is out of memory, the process's map count is at its limit, or
 * under strict overcommit another thread takes the commit charge just
 * released - left a hole where the memset fallback would fault: on those
 * kernels the path is not taken (galloc__sys_fixed_mmap_keeps_pages_on_failure).
 *
 * Below GALLOC__SYS_ZERO_PAGES_MIN of whole pages memset pays better: such
 * blocks usually come from memory the process already touched, where
 * memset of 64 KiB costs 1-2 us and the mmap call about 3 us (measured on
 * this project's machine); from 128 KiB on, glibc's default mmap
 * threshold, a fresh block's pages cost 6 us to replace against 60 us and
 * more to write, and a dirty block's about what memset costs.
 */
#define GALLOC__SYS_ZERO_PAGES_MIN ((size_t)128 * 1024)

#if defined(__linux__)
/*
 * Whether a MAP_FIXED mmap that fails leaves the old pages in place, so
 * that the memset fallback is safe: Linux 6.12 and later ("avoid MAP_FIXED
 * gap exposure": the new mapping is made before the old one is removed).
 * Before, mmap_region unmapped the whole range first, and a failure after
 * that left a hole - Debian 12's own kernel is 6.1.  So older kernels, and
 * a release that cannot be read, keep memset.  Asked on every large
 * zeroed block, not cached: uname is one system call, against the mmap's
 * several microseconds, and a test can fake the answer.
 */
static bool galloc__sys_fixed_mmap_keeps_pages_on_failure(void) {
    struct utsname name;
    if (GALLOC__SYS_CALL(uname)(&name) != 0)
        return false;
    unsigned long version[2] = {0, 0};
    const char *c = name.release;
    for (int part = 0; part < 2; part++, c++) {
        if (*c < '0' || *c > '9')
            return false;
        for (int digits = 0; *c >= '0' && *c <= '9' && digits < 6; c++, digits++)
            version[part] = version[part] * 10 + (unsigned long)(*c - '0');
        if (part == 0 && *c != '.')
            return false;
    }
    return version[0] > 6 || (version[0] == 6 && version[1] >= 12);
}
#endif

static void galloc__sys_zero(void *ptr, size_t size) {
#if defined(__linux__)
    uintptr_t page_mask = (uintptr_t)galloc__sys_page_size() - 1;
    uintptr_t start = ((uintptr_t)ptr + page_mask) & ~page_mask;
    uintptr_t end = ((uintptr_t)ptr + size) & ~page_mask;
    if (end > start && end - start >= GALLOC__SYS_ZERO_PAGES_MIN &&
        galloc__sys_fixed_mmap_keeps_pages_on_failure()) {
        int kept = errno;
        if (GALLOC__SYS_CALL(mmap)((void *)start, end - start, PROT_READ | PROT_WRITE,
                                   MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1,
                                   0) != MAP_FAILED) {
            memset(ptr, 0, start - (uintptr_t)ptr);
            memset((void *)end, 0, (uintptr_t)ptr + size - end);
            return;
        }
        errno = kept;
    }
#endif
    memset(ptr, 0, size);
}

/* A size beyond GALLOC__SYS_TRUSTED_MAX that malloc's alignment would
 * serve: it can only fail, and errno is set here. */
static GALLOC__NOINLINE void *galloc__sys_alloc_untrusted(size_t size, bool zeroed) {
    return galloc__sys_enomem_if_null(zeroed ? GALLOC__SYS_CALL(calloc)(1, size)
                                             : GALLOC__SYS_CALL(malloc)(size));
}

/* malloc and calloc set errno = ENOMEM on failure (POSIX) for every size
 * the plain case lets through, so the fast paths are plain tail calls.
 * Past the plain case, the untrusted sizes are told apart inline (two
 * compares), so that the over-aligned path is one call to posix_memalign's
 * wrapper, as cheap as it can be (P2). */
GALLOC__INLINE void *galloc__sys_alloc(size_t size, size_t align) {
    if (GALLOC__LIKELY(galloc__sys_plain_ok(size, align)))
        return GALLOC__SYS_CALL(malloc)(size);
    if (GALLOC__UNLIKELY(galloc__sys_malloc_aligns(size, align)))
        return galloc__sys_alloc_untrusted(size, false);
    return galloc__sys_alloc_aligned(size, align);
}

GALLOC__INLINE void *galloc__sys_alloc_zeroed(size_t size, size_t align) {
    /* calloc gets zeroed pages from the kernel without touching them, which
     * for large blocks is far cheaper than memset. */
    if (GALLOC__LIKELY(galloc__sys_plain_ok(size, align)))
        return GALLOC__SYS_CALL(calloc)(1, size);
    if (GALLOC__UNLIKELY(galloc__sys_malloc_aligns(size, align)))
        return galloc__sys_alloc_untrusted(size, true);
    void *ptr = galloc__sys_alloc_aligned(size, align);
    if (ptr != NULL)
        galloc__sys_zero(ptr, size);
    return ptr;
}

/*
 * free() must not change errno.  POSIX.1-2024 requires that of free, and
 * glibc does it since 2.33 (before, a munmap inside free could set it).  A
 * library built against newer headers may still be loaded by an older
 * glibc, so the version is asked once, at run time, on the first free
 * (gnu_get_libc_version allocates nothing and is safe before main); from
 * then on free is called directly when it keeps errno itself, and errno is
 * kept here otherwise.  Elsewhere errno is always kept here.  (A malloc
 * interposed with LD_PRELOAD is trusted to follow POSIX here, as glibc's
 * replacement rules require it to behave like glibc's.)
 */
static void galloc__sys_free_keeping_errno(void *ptr) {
    int saved = errno;
    GALLOC__SYS_CALL(free)(ptr);
    errno = saved;
}

#if defined(__GLIBC__)
#include <gnu/libc-version.h>

/* 0: not asked yet; 1: this glibc's free keeps errno; 2: it may not. */
static volatile uintptr_t galloc__sys_free_state;

/* The state as a deallocation reads it.  In the failure-injection build, a
 * free made to change errno (galloc__fault_clobbering_releases) is an older
 * glibc's, whatever this one's version: that is how its tests run the path
 * glibc 2.33 and later never take. */
GALLOC__INLINE uintptr_t galloc__sys_free_state_now(void) {
#if defined(GALLOC_FAULT_INJECTION)
    if (galloc__fault_clobbers())
        return 2;
#endif
    return galloc__atomic_load(&galloc__sys_free_state);
}

static GALLOC__NOINLINE void galloc__sys_free_first(void *ptr) {
    uintptr_t state = galloc__sys_free_state_now();
    if (state == 0) {
        /* "2.36" -> major 2, minor 36; anything unexpected: keep errno. */
        const char *version = gnu_get_libc_version();
        unsigned major = 0, minor = 0;
        while (*version >= '0' && *version <= '9')
            major = major * 10 + (unsigned)(*version++ - '0');
        if (*version == '.')
            version++;
        while (*version >= '0' && *version <= '9')
            minor = minor * 10 + (unsigned)(*version++ - '0');
        state = (major > 2 || (major == 2 && minor >= 33)) ? 1 : 2;
        galloc__atomic_store(&galloc__sys_free_state, state);
    }
    if (state == 1)
        GALLOC__SYS_CALL(free)(ptr);
    else
        galloc__sys_free_keeping_errno(ptr);
}

GALLOC__INLINE void galloc__sys_dealloc(void *ptr, size_t size, size_t align) {
    /* malloc'd and posix_memalign'ed blocks both go to free() */
    (void)size;
    (void)align;
    if (GALLOC__LIKELY(galloc__sys_free_state_now() == 1))
        GALLOC__SYS_CALL(free)(ptr);
    else
        galloc__sys_free_first(ptr);
}
#else
GALLOC__INLINE void galloc__sys_dealloc(void *ptr, size_t size, size_t align) {
    (void)size;
    (void)align;
    galloc__sys_free_keeping_errno(ptr);
}
#endif

/* The bytes actually usable in a block, when the platform can tell. */
static size_t galloc__sys_usable_size(void *ptr) {
#if defined(GALLOC_HAVE_MALLOC_USABLE_SIZE)
    return GALLOC__SYS_CALL(malloc_usable_size)(ptr);
#else
    (void)ptr;
    return 0; /* unknown: never resize in place */
#endif
}

/*
 * glibc serves every request of at least this size with its own mmap (the
 * ceiling of its adaptive mmap threshold, DEFAULT_MMAP_THRESHOLD_MAX), and
 * realloc moves such a block with mremap: the kernel remaps the pages, no
 * byte is copied, and the block keeps its offset within a page, so an
 * alignment up to the page size survives.  Left undefined where that is
 * not known (musl, the BSDs, macOS), and with it the remapping path: as 0 it
 * made `size >= GALLOC__SYS_REMAP_MIN` always true, which -Wtype-limits
 * (-Wextra) rejects, so those platforms failed to build with -Werror.
 */
#if defined(__GLIBC__) && defined(__linux__)
#define GALLOC__SYS_REMAP_MIN ((size_t)4 * 1024 * 1024 * sizeof(long))
#endif

#if defined(GALLOC__SYS_REMAP_MIN)

/*
 * Moves a large over-aligned block with realloc (a remap, not a copy).  The
 * aligned fallback is allocated *first*: should realloc not keep the
 * alignment (it copies into a plain malloc block when the remap fails), the
 * data is copied into the fallback, so no failure can strand the caller's
 * data in a misaligned block.  Costs one untouched allocation, far less than
 * the copy it saves.  Returns NULL with the old block intact on failure.
 */
static void *galloc__sys_realloc_remap(void *ptr, size_t size, size_t align,
                                       size_t new_size) {
    void *fallback = galloc__sys_alloc_aligned(new_size, align);
    if (fallback == NULL) /* a shrink cannot fail: the block is big enough */
        return new_size <= size ? ptr : NULL;
    void *moved = GALLOC__SYS_CALL(realloc)(ptr, new_size);
    if (moved == NULL) { /* ptr untouched */
        GALLOC__SYS_CALL(free)(fallback);
        errno = ENOMEM; /* (and freeing may have changed it) */
        return NULL;
    }
    if (galloc__sys_is_aligned(moved, align)) {
        GALLOC__SYS_CALL(free)(fallback);
        return moved;
    }
    memcpy(fallback, moved, size < new_size ? size : new_size);
    GALLOC__SYS_CALL(free)(moved);
    return fallback;
}
#endif

/*
 * Everything but the plain case.  A new size beyond GALLOC__SYS_TRUSTED_MAX
 * that malloc's alignment would serve still goes to realloc, with errno set
 * here.  Otherwise realloc() cannot be used in general: it may move the
 * block to an address with only MIN_ALIGN alignment, and by then the old
 * block is gone, so a failure to re-align would lose the caller's data.
 * Instead: resize in place when the block already has room (usable size);
 * move large blocks by remapping (above); else allocate aligned, copy, free.
 */
static GALLOC__NOINLINE void *galloc__sys_realloc_rare(void *ptr, size_t size,
                                                       size_t align,
                                                       size_t new_size) {
    if (galloc__sys_malloc_aligns(new_size, align))
        return galloc__sys_enomem_if_null(GALLOC__SYS_CALL(realloc)(ptr, new_size));
    size_t usable = galloc__sys_usable_size(ptr);
    /* Keep the block if it is big enough and the caller is not giving back
     * most of it: a shrink to under half moves, so memory is returned. */
    if (new_size <= usable && new_size >= usable / 2)
        return ptr;
#if defined(GALLOC__SYS_REMAP_MIN)
    if (size >= GALLOC__SYS_REMAP_MIN && new_size >= GALLOC__SYS_REMAP_MIN &&
        align <= galloc__sys_page_size())
        return galloc__sys_realloc_remap(ptr, size, align, new_size);
#endif
    void *new_ptr = galloc__sys_alloc_aligned(new_size, align);
    if (new_ptr == NULL) {
        /* A shrink cannot fail: the old block is big enough as it is. */
        return new_size <= size ? ptr : NULL;
    }
    memcpy(new_ptr, ptr, size < new_size ? size : new_size);
    GALLOC__SYS_CALL(free)(ptr);
    return new_ptr;
}

GALLOC__INLINE void *galloc__sys_realloc(void *ptr, size_t size, size_t align, size_t new_size) {
    /* Whatever produced the old block (malloc or posix_memalign), realloc
     * accepts it; what matters is whether malloc's alignment is enough for
     * the new size. */
    if (GALLOC__LIKELY(galloc__sys_plain_ok(new_size, align)))
        return GALLOC__SYS_CALL(realloc)(ptr, new_size);
    return galloc__sys_realloc_rare(ptr, size, align, new_size);
}

struct galloc__sys_errors {
    int saved_errno;
};

static galloc__sys_errors galloc__sys_errors_save(void) {
    galloc__sys_errors saved = {errno};
    return saved;
}

static void galloc__sys_errors_restore(galloc__sys_errors saved) {
    errno = saved.saved_errno;
}

/*
 * Finding the executable's override.  Only the executable decides: a
 * definition in any other module must never be taken.  Each platform
 * needs its own way of asking "what does the main program define?":
 *   - Mach-O (macOS, iOS): dyld answers it (below).  There is no weak
 *     reference there: ld64 refuses a weak undefined symbol unless the
 *     whole link uses -undefined dynamic_lookup.
 *   - ELF (Linux, the BSDs, Solaris): dl_iterate_phdr and the executable's
 *     own dynamic symbol table, with a weak reference as the fallback
 *     (further below).
 *   - Anything else: the build stops (above, and in CMakeLists.txt) rather
 *     than guess, since a wrong guess lets two modules disagree about which
 *     allocator owns a block.
 */
#if defined(__APPLE__)
/*
 * dlsym(RTLD_MAIN_ONLY) searches the main executable's exports and nothing
 * else, however the calling image was loaded.  GALLOC_GLOBAL_ALLOCATOR's
 * symbol has default visibility, so a Mach-O executable exports it (and
 * -dead_strip keeps exported symbols).  errno is kept: dlsym may set it
 * while looking, and a successful allocation must not change it.  When
 * the symbol is missing, dyld records a message for dlerror(), which it
 * may allocate with the system malloc; this happens once per module, as
 * galloc caches the answer (src/alloc.c).  Not built or run here (no
 * macOS): the GitHub Actions workflow's macOS job runs the suite.
 */
static const galloc_allocator *galloc__sys_find_override(void) {
    int kept = errno;
    const galloc_allocator *const *slot = (const galloc_allocator *const *)dlsym(
        RTLD_MAIN_ONLY, "galloc_global_allocator");
    errno = kept;
    return slot != NULL ? *slot : NULL;
}
#else
/*
 * The override symbol, referenced weakly: if no module defines it, its
 * address is NULL.  Default visibility, so that even when galloc is linked
 * statically into a shared library the reference is resolved by the dynamic
 * linker against the executable, not fixed to NULL at link time.
 */
extern const galloc_allocator *const galloc_global_allocator
    __attribute__((weak, visibility("default")));

/*
 * Finding the executable's override on ELF platforms.
 *
 * The weak reference alone is not enough.  The dynamic linker binds it to
 * the first definition in the *referring module's* lookup scope, which is
 * the executable's in the ordinary case, but not when a library that embeds
 * galloc statically (wrongly) defines the override too and is opened with
 * RTLD_DEEPBIND or linked with -Bsymbolic: then the library's reference
 * binds to its own definition.  Only the executable decides, so that
 * definition is rejected, and the library would fall back to System while
 * the rest of the process uses the executable's override: blocks freed
 * across that boundary would reach the wrong allocator.  So galloc looks the
 * symbol up itself, in the executable's own dynamic symbol table, whatever
 * the binding.  By hand, with plain reads of what the loader has mapped:
 * dlsym may allocate (for dlerror), and this runs before main and inside
 * constructors.  dl_iterate_phdr visits the main program first; it takes the
 * loader's (recursive) lock and allocates nothing.
 *
 * The executable's table holds the symbol when it is linked with
 * --export-dynamic-symbol=galloc_global_allocator (galloc's CMake targets
 * and pkg-config add it).  When it is not (an executable linked by hand),
 * or when there is no dynamic section at all (a fully static executable),
 * the weak reference decides, accepted only if it lies in the executable.
 */

/* DT_HASH words are 32 bits, except on 64-bit s390 and Alpha (glibc's
 * Elf_Symndx). */
#if defined(__s390x__) || defined(__alpha__)
typedef uint64_t galloc__sys_hash_word;
#else
typedef uint32_t galloc__sys_hash_word;
#endif

/* The executable's dynamic symbol table, as its dynamic section describes
 * it; a hash table is NULL when the executable has none of that kind. */
typedef struct galloc__sys_symbols {
    const ElfW(Sym) *symtab;
    const char *strtab;
    const uint32_t *gnu_hash;                 /* DT_GNU_HASH */
    const galloc__sys_hash_word *sysv_hash;   /* DT_HASH */
} galloc__sys_symbols;

/* True if the size bytes at addr lie inside one loaded segment of the
 * object. */
static bool galloc__sys_in_segments(const struct dl_phdr_info *info, uintptr_t addr,
                                    size_t size) {
    for (unsigned i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t offset = addr - ((uintptr_t)info->dlpi_addr + ph->p_vaddr);
        if (ph->p_type == PT_LOAD && offset < ph->p_memsz && size <= ph->p_memsz - offset)
            return true;
    }
    return false;
}

/*
 * The run-time address an address entry (d_ptr) of the main program's
 * dynamic section stands for, or NULL if that is not inside the program.  The
 * loaders disagree on what they leave there: glibc relocates the main
 * program's entries in place (adds the load address dlpi_addr), except
 * where the dynamic section is read-only (MIPS, RISC-V, lld's
 * -z rodynamic); musl and the BSDs leave the values as linked.  A value as
 * linked is an offset into the image, below the load address (no system
 * maps an executable within its own size of address 0); a relocated one is
 * not.  For an executable that is not position-independent, dlpi_addr is 0
 * and the two readings agree.  The result is checked against the program's
 * segments all the same: a misread value is taken for a missing table, not
 * followed.
 */
static const void *galloc__sys_dynamic_address(const struct dl_phdr_info *info,
                                               ElfW(Addr) value) {
    uintptr_t base = (uintptr_t)info->dlpi_addr;
    uintptr_t addr = value < base ? base + value : value;
    if (value == 0 || !galloc__sys_in_segments(info, addr, 1))
        return NULL;
    return (const void *)addr;
}

/* Fills *table from the main program's dynamic section; false if the
 * program has no dynamic section (a fully static executable) or no symbol
 * table. */
static bool galloc__sys_read_dynamic(const struct dl_phdr_info *info,
                                     galloc__sys_symbols *table) {
    const ElfW(Dyn) *dynamic = NULL;
    for (unsigned i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
            dynamic = (const ElfW(Dyn) *)((uintptr_t)info->dlpi_addr +
                                          info->dlpi_phdr[i].p_vaddr);
    if (dynamic == NULL)
        return false;
    ElfW(Addr) symtab = 0, strtab = 0, gnu_hash = 0, sysv_hash = 0;
    for (const ElfW(Dyn) *entry = dynamic; entry->d_tag != DT_NULL; entry++) {
        switch (entry->d_tag) {
        case DT_SYMTAB:
            symtab = entry->d_un.d_ptr;
            break;
        case DT_STRTAB:
            strtab = entry->d_un.d_ptr;
            break;
#if defined(DT_GNU_HASH)
        case DT_GNU_HASH:
            gnu_hash = entry->d_un.d_ptr;
            break;
#endif
        case DT_HASH:
            sysv_hash = entry->d_un.d_ptr;
            break;
        default:
            break;
        }
    }
    table->symtab = galloc__sys_dynamic_address(info, symtab);
    table->strtab = galloc__sys_dynamic_address(info, strtab);
    table->gnu_hash = galloc__sys_dynamic_address(info, gnu_hash);
    table->sysv_hash = galloc__sys_dynamic_address(info, sysv_hash);
    return table->symtab != NULL && table->strtab != NULL;
}

/* True if the table's symbol sym is called name. */
static bool galloc__sys_symbol_is(const galloc__sys_symbols *table, const ElfW(Sym) *sym,
                                  const char *name) {
    return strcmp(table->strtab + sym->st_name, name) == 0;
}

/*
 * `name` in a DT_GNU_HASH table, or NULL.  The table is: nbuckets,
 * symoffset (the first symbol it covers), bloom_size, bloom_shift; a Bloom
 * filter of bloom_size words of the ELF class's size (skipped: it only saves
 * time); nbuckets buckets, each the first symbol of a chain or 0; then one
 * word per symbol from symoffset on: its hash with the low bit replaced by
 * "last in its chain".  The hash is Bernstein's, h * 33 + c.
 */
static const ElfW(Sym) *galloc__sys_gnu_lookup(const galloc__sys_symbols *table,
                                               const char *name) {
    const uint32_t *header = table->gnu_hash;
    uint32_t nbuckets = header[0], symoffset = header[1], bloom_size = header[2];
    if (nbuckets == 0)
        return NULL;
    uint32_t hash = 5381;
    for (const char *c = name; *c != '\0'; c++)
        hash = hash * 33 + (unsigned char)*c;
    /* The Bloom words are 32 or 64 bits: step over them in bytes. */
    const uint32_t *buckets =
        (const uint32_t *)((uintptr_t)(header + 4) + bloom_size * sizeof(ElfW(Addr)));
    const uint32_t *chains = buckets + nbuckets; /* from symbol symoffset on */
    uint32_t index = buckets[hash % nbuckets];
    if (index < symoffset)
        return NULL; /* an empty bucket */
    for (;; index++) {
        uint32_t entry = chains[index - symoffset];
        if ((entry | 1) == (hash | 1) &&
            galloc__sys_symbol_is(table, &table->symtab[index], name))
            return &table->symtab[index];
        if (entry & 1)
            return NULL; /* the end of the chain */
    }
}

/*
 * `name` in a DT_HASH table (the System V ABI's), or NULL.  The table is:
 * nbucket, nchain (the number of symbols); nbucket buckets, each the first
 * symbol of a chain; then chain[i], the symbol after i in its chain, 0
 * ending it.  Counting the steps guards against a loop in a damaged table.
 */
static const ElfW(Sym) *galloc__sys_sysv_lookup(const galloc__sys_symbols *table,
                                                const char *name) {
    const galloc__sys_hash_word *header = table->sysv_hash;
    galloc__sys_hash_word nbucket = header[0], nchain = header[1];
    if (nbucket == 0)
        return NULL;
    uint32_t hash = 0;
    for (const char *c = name; *c != '\0'; c++) {
        hash = (hash << 4) + (unsigned char)*c;
        uint32_t high = hash & 0xf0000000u;
        hash ^= high >> 24;
        hash &= ~high;
    }
    const galloc__sys_hash_word *bucket = header + 2, *chain = bucket + nbucket;
    galloc__sys_hash_word index = bucket[hash % nbucket];
    for (galloc__sys_hash_word steps = 0; index != STN_UNDEF && steps < nchain; steps++) {
        if (galloc__sys_symbol_is(table, &table->symtab[index], name))
            return &table->symtab[index];
        index = chain[index];
    }
    return NULL;
}

/*
 * The override slot the executable defines and exports in its dynamic
 * symbol table, or NULL.  Only a definition counts: an executable that
 * links galloc but has no override may list the symbol as an undefined
 * (weak) reference.
 */
static const galloc_allocator *const *galloc__sys_exported_override(
    const struct dl_phdr_info *info) {
    galloc__sys_symbols table;
    if (!galloc__sys_read_dynamic(info, &table))
        return NULL;

    const char *name = "galloc_global_allocator";
    const ElfW(Sym) *sym = NULL;
    if (table.gnu_hash != NULL) /* where both exist, both list every definition */
        sym = galloc__sys_gnu_lookup(&table, name);
    else if (table.sysv_hash != NULL)
        sym = galloc__sys_sysv_lookup(&table, name);
    /* (ELF32_ST_TYPE and ELF64_ST_TYPE are the same.) */
    if (sym == NULL || sym->st_shndx == SHN_UNDEF || sym->st_value == 0 ||
        ELF32_ST_TYPE(sym->st_info) != STT_OBJECT)
        return NULL;
    uintptr_t slot = (uintptr_t)info->dlpi_addr + sym->st_value;
    if (!galloc__sys_in_segments(info, slot, sizeof(const galloc_allocator *)))
        return NULL;
    return (const galloc_allocator *const *)slot;
}

/* What galloc__sys_search_main_program is given, and what it finds. */
typedef struct galloc__sys_override_search {
    const galloc_allocator *const *weak;  /* the weak reference's binding */
    const galloc_allocator *const *found; /* the executable's slot, or NULL */
} galloc__sys_override_search;

/* A dl_iterate_phdr callback that looks at the main program only. */
static int galloc__sys_search_main_program(struct dl_phdr_info *info, size_t size,
                                           void *data) {
    (void)size;
    galloc__sys_override_search *search = (galloc__sys_override_search *)data;
    search->found = galloc__sys_exported_override(info);
    /* Not exported: the weak reference, if it is bound to the executable
     * (a shared library's definition is ignored). */
    if (search->found == NULL && search->weak != NULL &&
        galloc__sys_in_segments(info, (uintptr_t)search->weak, sizeof *search->weak))
        search->found = search->weak;
    return 1; /* the main program only: stop after the first object */
}

static const galloc_allocator *galloc__sys_find_override(void) {
    galloc__sys_override_search search = {&galloc_global_allocator, NULL};
    dl_iterate_phdr(galloc__sys_search_main_program, &search);
    return search.found != NULL ? *search.found : NULL;
}
#endif /* ELF */

static void galloc__sys_write_stderr(const char *text, size_t len) {
    while (len > 0) {
        ssize_t n = write(STDERR_FILENO, text, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        text += n;
        len -= (size_t)n;
    }
}
