// cxx_module.cpp - the C++ side of the benchmark's rows P8 and P9, built
// twice as a module galloc_bench loads at run time: once with
// galloc::new_delete (its operator new is galloc's, the global allocator
// being System), once without (the C++ runtime's own operator new).  A
// process has one operator new, so the two can only be compared in one run
// from two modules: each binds its calls to its own definition, or to the
// runtime's, because galloc_bench itself is C and defines none
// (tests/modules/cxx_plugin.cpp says how ELF decides).
//
//   bench_new_delete_ring  P8: a ring of 4096 live objects, each step
//                          deleting the oldest and allocating a new one,
//                          with the sizes of P1's mix, as std::allocator
//                          does it (operator new, sized operator delete)
//   bench_pmr_ring         P9: the same ring of std::pmr::vector buffers
//                          over galloc::memory_resource(&galloc_system) or
//                          std::pmr::new_delete_resource()
#include <cstddef>
#include <memory_resource>
#include <new>
#include <vector>

#include "galloc.hpp"

#if defined(_WIN32)
#define BENCH_API extern "C" __declspec(dllexport)
#else
#define BENCH_API extern "C" __attribute__((visibility("default")))
#endif

namespace {

constexpr std::size_t ring = 4096; // live objects at a time, as P1

// n_sizes is a power of two; the same index sequence as P1's ring.
std::size_t size_at(const std::size_t *sizes, std::size_t n_sizes, std::size_t i,
                    std::size_t slot) {
    return sizes[(i * 7u + slot) & (n_sizes - 1)];
}

} // namespace

BENCH_API std::size_t bench_new_delete_ring(const std::size_t *sizes, std::size_t n_sizes,
                                            std::size_t ops) {
    static void *slots[ring];
    static std::size_t slot_sizes[ring];
    for (std::size_t i = 0; i < ring; i++) {
        slot_sizes[i] = sizes[i & (n_sizes - 1)];
        slots[i] = ::operator new(slot_sizes[i]);
    }
    for (std::size_t i = 0; i < ops; i++) {
        std::size_t slot = i & (ring - 1);
        ::operator delete(slots[slot], slot_sizes[slot]);
        std::size_t size = size_at(sizes, n_sizes, i, slot);
        void *ptr = ::operator new(size);
        *static_cast<volatile unsigned char *>(ptr) = static_cast<unsigned char>(i);
        slots[slot] = ptr;
        slot_sizes[slot] = size;
    }
    for (std::size_t i = 0; i < ring; i++)
        ::operator delete(slots[i], slot_sizes[i]);
    return ops;
}

BENCH_API std::size_t bench_pmr_ring(int galloc_resource, const std::size_t *sizes,
                                     std::size_t n_sizes, std::size_t ops) {
    galloc::memory_resource system(&galloc_system);
    std::pmr::memory_resource *resource =
        galloc_resource ? static_cast<std::pmr::memory_resource *>(&system)
                        : std::pmr::new_delete_resource();
    std::pmr::vector<std::pmr::vector<unsigned char>> buffers(resource);
    buffers.reserve(ring);
    for (std::size_t i = 0; i < ring; i++) {
        buffers.emplace_back();
        buffers.back().reserve(sizes[i & (n_sizes - 1)]);
    }
    for (std::size_t i = 0; i < ops; i++) {
        std::size_t slot = i & (ring - 1);
        std::pmr::vector<unsigned char> &buffer = buffers[slot];
        buffer.clear();
        buffer.shrink_to_fit(); // releases the old buffer
        buffer.reserve(size_at(sizes, n_sizes, i, slot));
        buffer.push_back(static_cast<unsigned char>(i));
    }
    return ops;
}
