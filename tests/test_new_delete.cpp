// test_new_delete.cpp - issue 14's seed example: an executable with
// GALLOC_GLOBAL_ALLOCATOR and galloc::new_delete.  Every default allocation
// of C++ - std::vector, std::string, std::map, std::make_shared, new of an
// over-aligned type and of arrays of it - reaches the override with the
// right layout, and is released with the layout it was allocated with;
// nothing is live at the end.  Also the standard's semantics of the forms:
// new_handler loop, std::bad_alloc, nothrow, size 0, unsized delete.
//
// The global allocator is not System, so each block carries its size in a
// header (galloc.h, galloc_new): the allocator sees the request extended by
// it, which block_of() computes as galloc.h states it.
#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

extern "C" { // CMocka 1.1 has no C++ linkage guards of its own
#include <cmocka.h>
}

#include "galloc.h"
#include "support/cxx.hpp"
#include "support/recording.hpp"

namespace {

recording_allocator recorder = RECORDING_ALLOCATOR_INIT("recorder");

using cxx_test::default_align;
using cxx_test::escape;
using cxx_test::opaque;

// The layout the allocator sees for a C++ request of (size, align).
galloc_layout block_of(std::size_t size, std::size_t align) {
    return cxx_test::new_block_of(size, align);
}

void assert_layout(galloc_layout seen, galloc_layout expected) {
    assert_int_equal(seen.size, expected.size);
    assert_int_equal(seen.align, expected.align);
}

// What happened to the allocator since a mark.
struct since {
    std::size_t first = recorder.event_count;
    std::size_t live_before = recorder.live_count;

    std::size_t count(bool alloc) const {
        std::size_t n = 0;
        for (std::size_t i = first; i < recorder.event_count; i++)
            n += recorder.events[i].alloc == alloc;
        return n;
    }
    // The n-th allocation (or deallocation) since the mark.
    const recording_allocator::event &nth(bool alloc, std::size_t n) const {
        for (std::size_t i = first; i < recorder.event_count; i++)
            if (recorder.events[i].alloc == alloc && n-- == 0)
                return recorder.events[i];
        fail_msg("fewer than expected %s", alloc ? "allocations" : "deallocations");
        return recorder.events[0];
    }
    // Everything allocated since the mark was released, each block with
    // its own layout.
    void all_released() const {
        assert_int_equal(count(true), count(false));
        assert_int_equal(recorder.live_count, live_before);
        assert_int_equal(recorder.mismatches, 0);
    }
};

struct alignas(64) cache_line {
    unsigned char bytes[64];
};

void vector_push_back_reaches_the_override(void **) {
    since mark;
    {
        std::vector<int> v;
        v.push_back(1);
        escape(v);
        assert_int_equal(mark.count(true), 1);
        assert_layout(mark.nth(true, 0).layout, block_of(sizeof(int), default_align));
        for (int i = 0; i < 100; i++)
            v.push_back(i);
        escape(v);
        assert_true(mark.count(true) > 1);
    }
    mark.all_released();
}

void string_reaches_the_override(void **) {
    since mark;
    {
        std::string s(100, 'x'); // beyond the small-string buffer
        escape(s);
        assert_int_equal(mark.count(true), 1);
        assert_layout(mark.nth(true, 0).layout, block_of(101, default_align));
    }
    mark.all_released();
}

void map_reaches_the_override(void **) {
    since mark;
    {
        std::map<int, int> m;
        m[1] = 1;
        m[2] = 2;
        m[3] = 3;
        escape(m);
        assert_int_equal(mark.count(true), 3);
        galloc_layout node = mark.nth(true, 0).layout;
        assert_true(node.size >= block_of(sizeof(std::pair<const int, int>), default_align).size);
        assert_int_equal(node.align, block_of(1, default_align).align);
        for (std::size_t i = 1; i < 3; i++)
            assert_layout(mark.nth(true, i).layout, node);
    }
    mark.all_released();
}

void make_shared_reaches_the_override(void **) {
    since mark;
    {
        auto shared = std::make_shared<long>(42);
        escape(shared);
        assert_int_equal(mark.count(true), 1);
        // One block for the count and the value together.
        assert_true(mark.nth(true, 0).layout.size > block_of(sizeof(long), default_align).size);
        auto line = std::make_shared<cache_line>();
        escape(line);
        assert_int_equal(reinterpret_cast<std::uintptr_t>(line.get()) % 64, 0);
    }
    mark.all_released();
}

void new_of_an_over_aligned_type_passes_its_alignment(void **) {
    since mark;
    cache_line *one = opaque(new cache_line());
    assert_int_equal(reinterpret_cast<std::uintptr_t>(one) % 64, 0);
    assert_layout(mark.nth(true, 0).layout, block_of(sizeof(cache_line), 64));
    delete one;
    assert_layout(mark.nth(false, 0).layout, block_of(sizeof(cache_line), 64));

    cache_line *five = opaque(new cache_line[5]);
    assert_int_equal(reinterpret_cast<std::uintptr_t>(five) % 64, 0);
    assert_layout(mark.nth(true, 1).layout, block_of(5 * sizeof(cache_line), 64));
    delete[] five; // trivially destructible: an unsized delete[]
    assert_layout(mark.nth(false, 1).layout, block_of(5 * sizeof(cache_line), 64));
    mark.all_released();
}

void arrays_and_unsized_delete_find_the_size(void **) {
    since mark;
    char *bytes = opaque(new char[1000]);
    delete[] opaque(bytes); // never sized: no destructor, no cookie
    assert_layout(mark.nth(false, 0).layout, block_of(1000, default_align));

    void *raw = ::operator new(40);
    ::operator delete(raw); // unsized
    assert_layout(mark.nth(false, 1).layout, block_of(40, default_align));

    void *aligned = ::operator new(300, std::align_val_t(256));
    assert_int_equal(reinterpret_cast<std::uintptr_t>(aligned) % 256, 0);
    ::operator delete(aligned, std::align_val_t(256)); // unsized, aligned
    assert_layout(mark.nth(false, 2).layout, block_of(300, 256));

    void *sized = ::operator new[](24, std::align_val_t(128));
    ::operator delete[](sized, 24, std::align_val_t(128));
    assert_layout(mark.nth(false, 3).layout, block_of(24, 128));
    mark.all_released();
}

void new_of_size_zero_gives_distinct_pointers(void **) {
    since mark;
    void *a = ::operator new(0);
    void *b = ::operator new(0);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_layout(mark.nth(true, 0).layout, block_of(1, default_align));
    ::operator delete(a, std::size_t{0});
    ::operator delete(b);
    mark.all_released();
}

void nothrow_new_returns_null_and_new_throws(void **) {
    since mark;
    // Each of the four nothrow forms.
    recorder.refusals_left = 1;
    assert_null(::operator new(64, std::nothrow));
    recorder.refusals_left = 1;
    assert_null(opaque(new (std::nothrow) char[64]));
    recorder.refusals_left = 1;
    assert_null(::operator new(64, std::align_val_t(64), std::nothrow));
    recorder.refusals_left = 1;
    assert_null(::operator new[](64, std::align_val_t(64), std::nothrow));
    recorder.refusals_left = 1;
    bool threw = false;
    try {
        (void)::operator new(64);
    } catch (const std::bad_alloc &) {
        threw = true;
    }
    assert_true(threw);
    recorder.refusals_left = 1;
    threw = false;
    try {
        cache_line *volatile kept = new cache_line[2]; // not elided
        delete[] kept;
    } catch (const std::bad_alloc &) {
        threw = true;
    }
    assert_true(threw);
    assert_int_equal(mark.count(true), 0);
    mark.all_released();
}

int handler_calls;
void release_memory_handler() { // "frees memory": the next try succeeds
    handler_calls++;
}

void new_calls_the_new_handler_until_it_succeeds(void **) {
    since mark;
    handler_calls = 0;
    std::new_handler previous = std::set_new_handler(release_memory_handler);
    recorder.refusals_left = 3;
    int *p = opaque(new int(7));
    assert_int_equal(handler_calls, 3);
    delete p;
    recorder.refusals_left = 2;
    void *q = ::operator new(10, std::nothrow);
    assert_non_null(q);
    assert_int_equal(handler_calls, 5);
    ::operator delete(q, std::nothrow);
    std::set_new_handler(previous);
    mark.all_released();
}

void nothing_is_live_at_the_end(void **) {
    assert_int_equal(recorder.live_count, 0);
    assert_int_equal(recorder.mismatches, 0);
    assert_true(recorder.event_count > 20);
}

} // namespace

GALLOC_GLOBAL_ALLOCATOR(recorder.base);

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vector_push_back_reaches_the_override),
        cmocka_unit_test(string_reaches_the_override),
        cmocka_unit_test(map_reaches_the_override),
        cmocka_unit_test(make_shared_reaches_the_override),
        cmocka_unit_test(new_of_an_over_aligned_type_passes_its_alignment),
        cmocka_unit_test(arrays_and_unsized_delete_find_the_size),
        cmocka_unit_test(new_of_size_zero_gives_distinct_pointers),
        cmocka_unit_test(nothrow_new_returns_null_and_new_throws),
        cmocka_unit_test(new_calls_the_new_handler_until_it_succeeds),
        cmocka_unit_test(nothing_is_live_at_the_end),
    };
    return cmocka_run_group_tests_name("new_delete with an override", tests, nullptr, nullptr);
}
