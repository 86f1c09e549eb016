// new_delete.cpp - galloc::new_delete: every replaceable global allocation
// function of C++17, routed to the program's global allocator.
//
// Linked into an executable (or a plugin, see below), these definitions
// replace the C++ runtime's.  Each form is a one-line forward to one of two
// routines, so the standard's table of forms reads at a glance and nothing
// is handled twice: allocate() (the new_handler loop of [new.delete.single])
// and galloc_delete() (galloc.h).  The layout is the size and the
// alignment: align_val_t's, else __STDCPP_DEFAULT_NEW_ALIGNMENT__.  How a
// block is found again by an unsized delete - a size header, only when the
// global allocator is not System - is galloc_new's business (galloc.h).
//
// All the forms are in this one file, hence one object file: a linker that
// takes one form from it takes them all, so new and delete can never come
// from different implementations.
#include <cerrno>
#include <cstddef>
#include <new>

#include "galloc.h"

namespace {

constexpr std::size_t default_align = __STDCPP_DEFAULT_NEW_ALIGNMENT__;

#if defined(__GNUC__)
#define NEW_DELETE_NOINLINE __attribute__((noinline, cold))
#elif defined(_MSC_VER)
#define NEW_DELETE_NOINLINE __declspec(noinline)
#else
#define NEW_DELETE_NOINLINE
#endif

// operator new's loop, after a first failure: let the new_handler free
// memory and ask again; no handler means std::bad_alloc.  An alignment
// that is not a power of two (EINVAL) can never succeed, so no handler is
// bothered.  Out of line, so that the first try is all operator new holds:
// a call and a test, no frame for the loop (P8 counts the instructions).
NEW_DELETE_NOINLINE void *allocate_again(std::size_t size, std::size_t align) {
    for (;;) {
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr || errno == EINVAL)
            throw std::bad_alloc();
        handler();
        if (void *ptr = galloc_new(size, align))
            return ptr;
    }
}

inline void *allocate(std::size_t size, std::size_t align) {
    if (void *ptr = galloc_new(size, align))
        return ptr;
    return allocate_again(size, align);
}

// The nothrow forms: what operator new would return, or nullptr where it
// would throw ([new.delete.single]: "returns a null pointer").
void *allocate_nothrow(std::size_t size, std::size_t align) noexcept {
    try {
        return allocate(size, align);
    } catch (const std::bad_alloc &) {
        return nullptr;
    }
}

std::size_t align_of(std::align_val_t align) {
    return static_cast<std::size_t>(align);
}

constexpr std::size_t unknown = GALLOC_SIZE_UNKNOWN;

} // namespace

// Executables linking galloc::new_delete ask the linker for this symbol
// (galloc_require_symbol, cmake/gallocOverride.cmake; without CMake
// -Wl,--undefined=galloc_new_delete), which pulls this object in even when
// operator new is defined already when the archive is reached:
// AddressSanitizer's runtime defines weak ones, and a linker takes an
// archive member only for a symbol still undefined.  Then ours, strong,
// replace the sanitizer's.
extern "C" const int galloc_new_delete = 1;

// clang-format off
void *operator new(std::size_t n) { return allocate(n, default_align); }
void *operator new[](std::size_t n) { return allocate(n, default_align); }
void *operator new(std::size_t n, std::align_val_t a) { return allocate(n, align_of(a)); }
void *operator new[](std::size_t n, std::align_val_t a) { return allocate(n, align_of(a)); }
void *operator new(std::size_t n, const std::nothrow_t &) noexcept { return allocate_nothrow(n, default_align); }
void *operator new[](std::size_t n, const std::nothrow_t &) noexcept { return allocate_nothrow(n, default_align); }
void *operator new(std::size_t n, std::align_val_t a, const std::nothrow_t &) noexcept { return allocate_nothrow(n, align_of(a)); }
void *operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t &) noexcept { return allocate_nothrow(n, align_of(a)); }

void operator delete(void *p) noexcept { galloc_delete(p, unknown, default_align); }
void operator delete[](void *p) noexcept { galloc_delete(p, unknown, default_align); }
void operator delete(void *p, std::size_t n) noexcept { galloc_delete(p, n, default_align); }
void operator delete[](void *p, std::size_t n) noexcept { galloc_delete(p, n, default_align); }
void operator delete(void *p, std::align_val_t a) noexcept { galloc_delete(p, unknown, align_of(a)); }
void operator delete[](void *p, std::align_val_t a) noexcept { galloc_delete(p, unknown, align_of(a)); }
void operator delete(void *p, std::size_t n, std::align_val_t a) noexcept { galloc_delete(p, n, align_of(a)); }
void operator delete[](void *p, std::size_t n, std::align_val_t a) noexcept { galloc_delete(p, n, align_of(a)); }
void operator delete(void *p, const std::nothrow_t &) noexcept { galloc_delete(p, unknown, default_align); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { galloc_delete(p, unknown, default_align); }
void operator delete(void *p, std::align_val_t a, const std::nothrow_t &) noexcept { galloc_delete(p, unknown, align_of(a)); }
void operator delete[](void *p, std::align_val_t a, const std::nothrow_t &) noexcept { galloc_delete(p, unknown, align_of(a)); }
// clang-format on
