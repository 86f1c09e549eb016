/*
 * win32/sys.c - the Windows backend: HeapAlloc, HeapReAlloc, HeapFree on the
 * process heap.  Included by src/sys.h into src/alloc.c; see sys.h for the
 * contract.
 */
#ifndef GALLOC_SYS_H
#error "src/win32/sys.c is part of src/alloc.c: it is included by src/sys.h"
#endif

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <errno.h>
#include <string.h>

#if defined(GALLOC_FAULT_INJECTION)
/* The platform calls as the failure-injection build makes them (the seam in
 * sys.h, the control in fault.h).  A failure is the real call's: HeapAlloc
 * and HeapReAlloc return NULL (without HEAP_GENERATE_EXCEPTIONS, which
 * galloc never passes); errno is the backend's to set. */
static LPVOID galloc__fault_HeapAlloc(HANDLE heap, DWORD flags, SIZE_T size) {
    if (galloc__fault_fails(GALLOC__FAULT_HEAP_ALLOC))
        return NULL;
    return galloc__fault_acquired(HeapAlloc(heap, flags, size));
}

static LPVOID galloc__fault_HeapReAlloc(HANDLE heap, DWORD flags, LPVOID ptr, SIZE_T size) {
    galloc__fault_kind kind = (flags & HEAP_REALLOC_IN_PLACE_ONLY) != 0
                                  ? GALLOC__FAULT_HEAP_REALLOC_IN_PLACE
                                  : GALLOC__FAULT_HEAP_REALLOC;
    if (galloc__fault_fails(kind))
        return NULL;
    return HeapReAlloc(heap, flags, ptr, size);
}

/* With galloc__fault_clobbering_releases, HeapFree sets the thread's last
 * error after releasing, as a heap call may whether it fails or not. */
static BOOL galloc__fault_HeapFree(HANDLE heap, DWORD flags, LPVOID ptr) {
    galloc__fault_released(GALLOC__FAULT_HEAP_FREE);
    BOOL released = HeapFree(heap, flags, ptr);
    if (galloc__fault_clobbers())
        SetLastError(ERROR_INVALID_PARAMETER);
    return released;
}
#endif

/*
 * The heap is read on every call rather than cached: a cached handle is a
 * hazard of its own (a block allocated in one module may be freed in
 * another module whose cache was never filled).  GetProcessHeap() is just
 * two loads, TEB -> PEB -> ProcessHeap, at offsets the ABI has fixed since
 * NT (PEB at gs:0x60 and ProcessHeap at +0x30 on x64; fs:0x30 and +0x18 on
 * x86); doing them inline instead of calling kernel32 twice per
 * allocate+free pair is part of keeping the System allocator as cheap as
 * raw HeapAlloc (P7).  Other targets call the API.
 */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
GALLOC__INLINE HANDLE galloc__sys_process_heap(void) {
    const char *peb;
    __asm__("movq %%gs:0x60, %0" : "=r"(peb));
    return *(HANDLE const *)(peb + 0x30);
}
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__i386__)
GALLOC__INLINE HANDLE galloc__sys_process_heap(void) {
    const char *peb;
    __asm__("movl %%fs:0x30, %0" : "=r"(peb));
    return *(HANDLE const *)(peb + 0x18);
}
#elif defined(_MSC_VER) && defined(_M_X64)
GALLOC__INLINE HANDLE galloc__sys_process_heap(void) {
    return *(HANDLE const *)((const char *)__readgsqword(0x60) + 0x30);
}
#elif defined(_MSC_VER) && defined(_M_IX86)
GALLOC__INLINE HANDLE galloc__sys_process_heap(void) {
    return *(HANDLE const *)((const char *)(uintptr_t)__readfsdword(0x30) + 0x18);
}
#else
GALLOC__INLINE HANDLE galloc__sys_process_heap(void) {
    return GetProcessHeap();
}
#endif
#define GALLOC__HEAP() galloc__sys_process_heap()

/* An over-aligned block is found through its header, by its alignment. */
GALLOC__INLINE bool galloc__sys_release_ignores_align(void) {
    return false;
}

/*
 * HeapAlloc aligns every block to MEMORY_ALLOCATION_ALIGNMENT (16 on Win64,
 * 8 on Win32), whatever its size.  Larger alignments over-allocate by `align`
 * and keep the block's real start in a header just below the aligned pointer:
 *
 *     raw            aligned - sizeof(void *)      aligned
 *     |   padding    | header: raw                  | user data ...
 *
 * raw is MEMORY_ALLOCATION_ALIGNMENT-aligned and align is larger, so there
 * are always at least MEMORY_ALLOCATION_ALIGNMENT >= sizeof(void *) bytes
 * between raw and the aligned pointer for the header.
 */
GALLOC__INLINE bool galloc__sys_heap_suffices(size_t align) {
    return align <= MEMORY_ALLOCATION_ALIGNMENT;
}

/* A power of two up to MEMORY_ALLOCATION_ALIGNMENT and 1 <= size, bounded
 * so that the layout is valid (size - 1 wraps for size 0). */
GALLOC__INLINE bool galloc__sys_plain_ok(size_t size, size_t align) {
    size_t mask = align - 1;
    return mask < MEMORY_ALLOCATION_ALIGNMENT && (mask & align) == 0 &&
           size - 1 < (size_t)PTRDIFF_MAX - (MEMORY_ALLOCATION_ALIGNMENT - 1);
}

GALLOC__INLINE void **galloc__sys_header(void *aligned) {
    return (void **)aligned - 1;
}

/* The aligned pointer inside raw block `raw` for alignment `align`. */
GALLOC__INLINE void *galloc__sys_align_block(void *raw, size_t align) {
    uintptr_t aligned = ((uintptr_t)raw + align) & ~(uintptr_t)(align - 1);
    *galloc__sys_header((void *)aligned) = raw;
    return (void *)aligned;
}

/* HeapAlloc and HeapReAlloc leave errno alone; the contract wants ENOMEM. */
GALLOC__INLINE void *galloc__sys_enomem_if_null(void *ptr) {
    if (GALLOC__UNLIKELY(ptr == NULL))
        errno = ENOMEM;
    return ptr;
}

/* A valid layout has size + align - 1 <= PTRDIFF_MAX, so size + align fits. */
static GALLOC__NOINLINE void *galloc__sys_alloc_aligned(size_t size, size_t align,
                                                        DWORD flags) {
    void *raw = GALLOC__SYS_CALL(HeapAlloc)(GALLOC__HEAP(), flags, size + align);
    if (raw == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    return galloc__sys_align_block(raw, align);
}

GALLOC__INLINE void *galloc__sys_alloc(size_t size, size_t align) {
    if (GALLOC__LIKELY(galloc__sys_heap_suffices(align)))
        return galloc__sys_enomem_if_null(
            GALLOC__SYS_CALL(HeapAlloc)(GALLOC__HEAP(), 0, size));
    return galloc__sys_alloc_aligned(size, align, 0);
}

GALLOC__INLINE void *galloc__sys_alloc_zeroed(size_t size, size_t align) {
    if (GALLOC__LIKELY(galloc__sys_heap_suffices(align)))
        return galloc__sys_enomem_if_null(
            GALLOC__SYS_CALL(HeapAlloc)(GALLOC__HEAP(), HEAP_ZERO_MEMORY, size));
    return galloc__sys_alloc_aligned(size, align, HEAP_ZERO_MEMORY);
}

/*
 * The thread's last-error value.  GetLastError() is exactly a load from the
 * thread environment block at an offset the ABI has fixed since NT (0x68 on
 * x64, 0x34 on x86); doing that load and its store inline instead of two
 * calls into kernel32 is 3% of a HeapAlloc+HeapFree pair.  Other targets
 * call the API.
 */
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
/* (Inline assembly rather than mingw's __readgsdword, which trips GCC's
 * array-bounds analysis.) */
#if defined(__x86_64__)
#define GALLOC__TEB_LAST_ERROR "%%gs:0x68"
#else
#define GALLOC__TEB_LAST_ERROR "%%fs:0x34"
#endif
GALLOC__INLINE DWORD galloc__sys_last_error(void) {
    DWORD value;
    __asm__ volatile("movl " GALLOC__TEB_LAST_ERROR ", %0" : "=r"(value) : : "memory");
    return value;
}
GALLOC__INLINE void galloc__sys_set_last_error(DWORD value) {
    __asm__ volatile("movl %0, " GALLOC__TEB_LAST_ERROR : : "r"(value) : "memory");
}
#elif defined(_MSC_VER) && defined(_M_X64)
GALLOC__INLINE DWORD galloc__sys_last_error(void) {
    return __readgsdword(0x68);
}
GALLOC__INLINE void galloc__sys_set_last_error(DWORD value) {
    __writegsdword(0x68, value);
}
#elif defined(_MSC_VER) && defined(_M_IX86)
GALLOC__INLINE DWORD galloc__sys_last_error(void) {
    return __readfsdword(0x34);
}
GALLOC__INLINE void galloc__sys_set_last_error(DWORD value) {
    __writefsdword(0x34, value);
}
#else
GALLOC__INLINE DWORD galloc__sys_last_error(void) {
    return GetLastError();
}
GALLOC__INLINE void galloc__sys_set_last_error(DWORD value) {
    SetLastError(value);
}
#endif

/* HeapFree never touches the C runtime's errno, but may set the thread's
 * last error: that one is kept. */
GALLOC__INLINE void galloc__sys_dealloc(void *ptr, size_t size, size_t align) {
    (void)size;
    DWORD last_error = galloc__sys_last_error();
    if (!galloc__sys_heap_suffices(align))
        ptr = *galloc__sys_header(ptr);
    GALLOC__SYS_CALL(HeapFree)(GALLOC__HEAP(), 0, ptr);
    galloc__sys_set_last_error(last_error);
}

/*
 * An over-aligned block must never go to a moving HeapReAlloc: the heap
 * would move the raw block to a new address whose distance to the next
 * aligned address differs from the old one, so the data would sit at the
 * wrong offset.  Resizing the raw block in place keeps both the data and
 * the offset, so that is tried first; otherwise allocate, copy, free.
 */
static GALLOC__NOINLINE void *galloc__sys_realloc_aligned(void *ptr, size_t size,
                                                          size_t align,
                                                          size_t new_size) {
    HANDLE heap = GALLOC__HEAP();
    void *raw = *galloc__sys_header(ptr);
    size_t offset = (size_t)((char *)ptr - (char *)raw);
    /* offset <= align and new_size + align - 1 <= PTRDIFF_MAX: no overflow. */
    if (GALLOC__SYS_CALL(HeapReAlloc)(heap, HEAP_REALLOC_IN_PLACE_ONLY, raw,
                                      offset + new_size) != NULL)
        return ptr;
    void *new_raw = GALLOC__SYS_CALL(HeapAlloc)(heap, 0, new_size + align);
    if (new_raw == NULL) {
        /* A shrink cannot fail: the old block is big enough as it is. */
        if (new_size <= size)
            return ptr;
        errno = ENOMEM;
        return NULL;
    }
    void *new_ptr = galloc__sys_align_block(new_raw, align);
    memcpy(new_ptr, ptr, size < new_size ? size : new_size);
    GALLOC__SYS_CALL(HeapFree)(heap, 0, raw);
    return new_ptr;
}

GALLOC__INLINE void *galloc__sys_realloc(void *ptr, size_t size, size_t align, size_t new_size) {
    if (GALLOC__LIKELY(galloc__sys_heap_suffices(align)))
        return galloc__sys_enomem_if_null(
            GALLOC__SYS_CALL(HeapReAlloc)(GALLOC__HEAP(), 0, ptr, new_size));
    return galloc__sys_realloc_aligned(ptr, size, align, new_size);
}

struct galloc__sys_errors {
    int saved_errno;
    DWORD saved_last_error;
};

static galloc__sys_errors galloc__sys_errors_save(void) {
    galloc__sys_errors saved = {errno, galloc__sys_last_error()};
    return saved;
}

static void galloc__sys_errors_restore(galloc__sys_errors saved) {
    errno = saved.saved_errno;
    galloc__sys_set_last_error(saved.saved_last_error);
}

/*
 * The override is an export of the executable (GALLOC_GLOBAL_ALLOCATOR marks
 * it dllexport), looked up in the executable's module only, so an override
 * compiled into a DLL is never seen.  GetModuleHandleW(NULL) and
 * GetProcAddress allocate nothing and are safe inside DllMain.
 */
static const galloc_allocator *galloc__sys_find_override(void) {
    HMODULE exe = GetModuleHandleW(NULL);
    FARPROC proc = exe != NULL ? GetProcAddress(exe, "galloc_global_allocator") : NULL;
    if (proc == NULL)
        return NULL;
    /* The export is data (a const pointer), not code. */
    const galloc_allocator *const *slot =
        (const galloc_allocator *const *)(uintptr_t)proc;
    return *slot;
}

static void galloc__sys_write_stderr(const char *text, size_t len) {
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    if (err == NULL || err == INVALID_HANDLE_VALUE)
        return;
    while (len > 0) {
        DWORD chunk = len > 0x10000000u ? 0x10000000u : (DWORD)len;
        DWORD written = 0;
        if (!WriteFile(err, text, chunk, &written, NULL) || written == 0)
            return;
        text += written;
        len -= written;
    }
}
