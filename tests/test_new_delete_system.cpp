// test_new_delete_system.cpp - galloc::new_delete in an executable without
// an override: the global allocator is System, and C++'s blocks are the
// platform heap's own, with no header (galloc.h, galloc_new): on Unix
// free() releases what operator new returned, over-aligned blocks too; on
// Windows they are process-heap blocks (HeapSize answers for them), but on
// 32-bit Windows, where new asks for more than the heap aligns to.
#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

extern "C" {
#include <cmocka.h>
}

#if defined(_WIN32)
#include <windows.h> // MEMORY_ALLOCATION_ALIGNMENT
#endif

#include "galloc.h"
#include "support/cxx.hpp"

extern "C" {
#include "support/system_heap.h"
}

namespace {

using cxx_test::opaque;

// Whether the platform heap gives C++'s default new alignment by itself
// (support/system_heap.h says where not, and this checks it against the
// compiler's own figures).
constexpr bool heap_gives_new_alignment = SYSTEM_HEAP_HOLDS_NEW_BLOCKS;
#if defined(_WIN32)
static_assert(heap_gives_new_alignment ==
                  (__STDCPP_DEFAULT_NEW_ALIGNMENT__ <= MEMORY_ALLOCATION_ALIGNMENT),
              "SYSTEM_HEAP_HOLDS_NEW_BLOCKS disagrees with this target's alignments");
#endif

// Releases a block of ::operator new(size) as a plain C host would, where
// the heap gives new's alignment; else with operator delete.  (Through
// opaque(): the compiler must not see the mismatch, which is the point.)
bool release_new_block(void *ptr, std::size_t size) {
    if (heap_gives_new_alignment) {
        return is_system_heap_block(ptr, size) && release_with_platform_call(opaque(ptr));
    }
    ::operator delete(ptr, size);
    return true;
}

void the_global_allocator_is_system(void **) {
    assert_ptr_equal(galloc_global(), &galloc_system);
}

void new_gives_platform_blocks_without_a_header(void **) {
    for (std::size_t size : {1, 8, 24, 100, 5000, 1 << 20}) {
        void *p = ::operator new(size);
        assert_int_equal(reinterpret_cast<std::uintptr_t>(p) % (size < 16 ? size & -size : 16), 0);
        assert_true(release_new_block(p, size));
    }
    char *array = opaque(new char[300]);
    if (heap_gives_new_alignment) {
        assert_true(is_system_heap_block(array, 300));
        assert_true(release_with_platform_call(opaque(array)));
    } else {
        delete[] array;
    }
}

void over_aligned_new_is_freeable_on_unix(void **) {
#if defined(_WIN32)
    skip(); // over-aligned blocks sit inside a larger heap block there
#else
    assert_int_equal(first_over_aligned_block_not_freeable([](std::size_t size, std::size_t align) {
                         return ::operator new(size, std::align_val_t(align));
                     }),
                     0);
#endif
}

struct alignas(128) wide {
    unsigned char bytes[128];
};

void every_form_round_trips(void **) {
    std::vector<int> v(1000, 7);
    auto shared = std::make_shared<wide>();
    assert_int_equal(reinterpret_cast<std::uintptr_t>(shared.get()) % 128, 0);
    wide *many = new wide[3];
    delete[] many;
    void *a = ::operator new(0);
    void *b = ::operator new(0);
    assert_ptr_not_equal(a, b);
    ::operator delete(a);
    ::operator delete(b, std::size_t{0});
    void *n = ::operator new[](64, std::align_val_t(256), std::nothrow);
    assert_non_null(n);
    ::operator delete[](n, std::align_val_t(256), std::nothrow);
}

} // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_global_allocator_is_system),
        cmocka_unit_test(new_gives_platform_blocks_without_a_header),
        cmocka_unit_test(over_aligned_new_is_freeable_on_unix),
        cmocka_unit_test(every_form_round_trips),
    };
    return cmocka_run_group_tests_name("new_delete with System", tests, nullptr, nullptr);
}
