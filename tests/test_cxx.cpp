// test_cxx.cpp - galloc.h from C++: the header compiles warning-free as C++,
// GALLOC_LAYOUT_OF works on C++ types, and GALLOC_GLOBAL_ALLOCATOR in a C++
// executable is seen by the library (extern "C", exported, constant-
// initialised, so even a constructor before main sees it).
#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <cstdint>

extern "C" { // CMocka 1.1 has no C++ linkage guards of its own
#include <cmocka.h>
}

#include "galloc.h"

namespace {

long calls;

void *count_alloc(const galloc_allocator *, galloc_layout layout) {
    calls++;
    return galloc_allocator_alloc(&galloc_system, layout);
}

void count_dealloc(const galloc_allocator *, void *ptr, galloc_layout layout) {
    calls++;
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

const galloc_allocator counter = {count_alloc, count_dealloc, nullptr, nullptr,
                                  "c++ counter"};

struct alignas(64) cache_line {
    char bytes[64];
};

// A static object's constructor runs before main, like C's constructors.
struct early_allocation {
    const galloc_allocator *seen;
    early_allocation() : seen(galloc_global()) {}
} early;

} // namespace

GALLOC_GLOBAL_ALLOCATOR(counter);

static void a_cxx_executable_overrides_the_global_allocator(void **) {
    assert_ptr_equal(early.seen, &counter);
    assert_ptr_equal(galloc_global(), &counter);
    long before = calls;
    galloc_layout layout = GALLOC_LAYOUT_OF(cache_line);
    assert_int_equal(layout.size, sizeof(cache_line));
    assert_int_equal(layout.align, 64);
    void *p = galloc_alloc(layout);
    assert_non_null(p);
    assert_int_equal(reinterpret_cast<std::uintptr_t>(p) % 64, 0);
    galloc_dealloc(p, layout);
    assert_int_equal(calls, before + 2);
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_cxx_executable_overrides_the_global_allocator),
    };
    return cmocka_run_group_tests_name("c++", tests, nullptr, nullptr);
}
