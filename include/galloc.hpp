// galloc.hpp - galloc for C++ containers, header-only over galloc.h.
//
//   galloc::allocator<T>      a standard Allocator over a galloc_allocator
//                             (default: the program's global allocator)
//   galloc::memory_resource   a std::pmr::memory_resource over one (C++17)
//
// Both hand galloc the exact layout of each request: n * sizeof(T) bytes
// aligned to alignof(T), or the (bytes, alignment) a pmr container asks
// for; and both release with the same layout, so any galloc_allocator -
// one that trusts the layout it is given, or a checking one - serves them.
// To route `new`, `delete` and the default std::allocator through the
// global allocator as well, link galloc::new_delete (galloc.h, galloc_new).
#ifndef GALLOC_HPP
#define GALLOC_HPP

#include <cstddef>
#include <limits>
#include <new>
#include <type_traits>

#if __cplusplus >= 201703L && defined(__has_include)
#if __has_include(<memory_resource>)
#include <memory_resource>
#define GALLOC_HAVE_MEMORY_RESOURCE 1
#endif
#endif

#include "galloc.h"

namespace galloc {

// The allocator a default-constructed object uses: the global one, asked
// for when it is used (galloc_global() is resolved once, lock-free).
inline const galloc_allocator *resolve(const galloc_allocator *a) noexcept {
    return a != nullptr ? a : galloc_global();
}

/**
 * A standard Allocator over a galloc_allocator: the global allocator when
 * default-constructed, or the one given.  allocate(n) asks for the layout
 * {n * sizeof(T), alignof(T)} and throws std::bad_array_new_length if the
 * product overflows (or exceeds what a layout may hold), std::bad_alloc if
 * the allocator fails.  Copies and rebound copies use the same allocator
 * and compare equal; two galloc::allocators are equal when they use the
 * same galloc_allocator, so either can free what the other allocated.
 */
template <class T> class allocator {
  public:
    using value_type = T;
    using size_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    // Containers move and swap the allocator with their memory, so no
    // element-wise move is ever needed (allocators stay equal to their copy).
    using propagate_on_container_move_assignment = std::true_type;
    using propagate_on_container_swap = std::true_type;
    using is_always_equal = std::false_type;
    template <class U> struct rebind {
        using other = allocator<U>;
    };

    allocator() noexcept = default;
    explicit allocator(const galloc_allocator *a) noexcept : allocator_(a) {}
    template <class U>
    allocator(const allocator<U> &other) noexcept : allocator_(other.galloc()) {}

    /** The galloc_allocator used (NULL: the global one). */
    const galloc_allocator *galloc() const noexcept { return allocator_; }

    T *allocate(std::size_t n) {
        if (n > std::numeric_limits<std::ptrdiff_t>::max() / sizeof(T))
            throw std::bad_array_new_length();
        void *ptr = galloc_allocator_alloc(allocator_, layout(n));
        if (ptr == nullptr)
            throw std::bad_alloc();
        return static_cast<T *>(ptr);
    }

    void deallocate(T *ptr, std::size_t n) noexcept {
        galloc_allocator_dealloc(allocator_, ptr, layout(n));
    }

    template <class U> bool operator==(const allocator<U> &other) const noexcept {
        return resolve(allocator_) == resolve(other.galloc());
    }
    template <class U> bool operator!=(const allocator<U> &other) const noexcept {
        return !(*this == other);
    }

  private:
    static galloc_layout layout(std::size_t n) noexcept {
        galloc_layout result = {n * sizeof(T), alignof(T)};
        return result;
    }

    const galloc_allocator *allocator_ = nullptr;
};

#if defined(GALLOC_HAVE_MEMORY_RESOURCE)
/**
 * A std::pmr::memory_resource over a galloc_allocator (default: the global
 * one).  do_allocate(bytes, alignment) is galloc_allocator_alloc with that
 * exact layout (std::bad_alloc on failure; bytes == 0 is galloc's zero-size
 * block); do_deallocate releases with the same layout.  Two resources are
 * equal when both are galloc::memory_resources over the same allocator.
 */
class memory_resource : public std::pmr::memory_resource {
  public:
    explicit memory_resource(const galloc_allocator *a = nullptr) noexcept : allocator_(a) {}

    /** The galloc_allocator used (NULL: the global one). */
    const galloc_allocator *galloc() const noexcept { return allocator_; }

  private:
    void *do_allocate(std::size_t bytes, std::size_t alignment) override {
        galloc_layout layout = {bytes, alignment};
        void *ptr = galloc_allocator_alloc(allocator_, layout);
        if (ptr == nullptr)
            throw std::bad_alloc();
        return ptr;
    }

    void do_deallocate(void *ptr, std::size_t bytes, std::size_t alignment) override {
        galloc_layout layout = {bytes, alignment};
        galloc_allocator_dealloc(allocator_, ptr, layout);
    }

    bool do_is_equal(const std::pmr::memory_resource &other) const noexcept override {
        auto *same = dynamic_cast<const memory_resource *>(&other);
        return same != nullptr && resolve(same->allocator_) == resolve(allocator_);
    }

    const galloc_allocator *allocator_;
};
#endif

} // namespace galloc

#endif // GALLOC_HPP
