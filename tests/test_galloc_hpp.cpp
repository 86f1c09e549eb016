// test_galloc_hpp.cpp - galloc.hpp: galloc::allocator<T> in standard
// containers and galloc::memory_resource under pmr containers, each with
// the exact layouts of their requests; over the global allocator (an
// override here) and over a given one; overflow and failure as the
// standard says; rebind, copy and equality.  (Without galloc::new_delete:
// only what goes through galloc.hpp reaches the allocators.)
#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory_resource>
#include <new>
#include <string>
#include <vector>

extern "C" {
#include <cmocka.h>
}

#include "galloc.hpp"
#include "support/recording.hpp"

namespace {

recording_allocator global_recorder = RECORDING_ALLOCATOR_INIT("global recorder");
recording_allocator other_recorder = RECORDING_ALLOCATOR_INIT("other recorder");

void assert_layout(galloc_layout seen, std::size_t size, std::size_t align) {
    assert_int_equal(seen.size, size);
    assert_int_equal(seen.align, align);
}

void assert_all_released(const recording_allocator &r) {
    assert_int_equal(r.live_count, 0);
    assert_int_equal(r.mismatches, 0);
}

struct alignas(32) vec8 {
    float lanes[8];
};

void vector_over_the_global_allocator_asks_exact_layouts(void **) {
    std::size_t first = global_recorder.event_count;
    {
        std::vector<vec8, galloc::allocator<vec8>> v;
        v.reserve(10);
        assert_layout(global_recorder.events[first].layout, 10 * sizeof(vec8), 32);
        assert_int_equal(reinterpret_cast<std::uintptr_t>(v.data()) % 32, 0);
        v.resize(25);
    }
    assert_true(global_recorder.event_count >= first + 4);
    assert_all_released(global_recorder);
}

void containers_over_a_given_allocator(void **) {
    const galloc_allocator *other = &other_recorder.base;
    std::size_t global_events = global_recorder.event_count;
    {
        using string = std::basic_string<char, std::char_traits<char>, galloc::allocator<char>>;
        galloc::allocator<char> chars(other);
        string s(300, 'q', chars);
        assert_layout(other_recorder.events[other_recorder.event_count - 1].layout, 301, 1);
        std::map<int, double, std::less<int>, galloc::allocator<std::pair<const int, double>>>
            m(galloc::allocator<std::pair<const int, double>>{other});
        m[1] = 1.0;
        std::list<long, galloc::allocator<long>> l(3, 9L, galloc::allocator<long>(other));
        assert_int_equal(other_recorder.live_count, 5);
    }
    assert_int_equal(global_recorder.event_count, global_events);
    assert_all_released(other_recorder);
}

void rebind_copy_and_equality(void **) {
    galloc::allocator<int> global;
    galloc::allocator<int> explicit_global(galloc_global());
    galloc::allocator<int> other(&other_recorder.base);
    galloc::allocator<double> rebound(other);
    assert_ptr_equal(rebound.galloc(), &other_recorder.base);
    assert_true(global == explicit_global);
    assert_true(rebound == other);
    assert_true(global != other);
    using traits = std::allocator_traits<galloc::allocator<int>>;
    static_assert(std::is_same<traits::rebind_alloc<char>, galloc::allocator<char>>::value, "");
    // A rebound copy frees what the original allocated.
    int *p = other.allocate(4);
    galloc::allocator<int>(rebound).deallocate(p, 4);
    assert_all_released(other_recorder);
}

void overflow_throws_bad_array_new_length(void **) {
    galloc::allocator<vec8> a;
    bool threw = false;
    try {
        (void)a.allocate(SIZE_MAX / sizeof(vec8) + 1);
    } catch (const std::bad_array_new_length &) {
        threw = true;
    }
    assert_true(threw);
}

void failure_throws_bad_alloc(void **) {
    galloc::allocator<int> a(&other_recorder.base);
    other_recorder.refusals_left = 1;
    bool threw = false;
    try {
        (void)a.allocate(10);
    } catch (const std::bad_array_new_length &) {
        fail_msg("a refusal is not an overflow");
    } catch (const std::bad_alloc &) {
        threw = true;
    }
    assert_true(threw);
    galloc::memory_resource resource(&other_recorder.base);
    other_recorder.refusals_left = 1;
    threw = false;
    try {
        (void)resource.allocate(64, 8);
    } catch (const std::bad_alloc &) {
        threw = true;
    }
    assert_true(threw);
}

void pmr_containers_ask_exact_layouts(void **) {
    galloc::memory_resource resource; // the global allocator
    std::size_t first = global_recorder.event_count;
    {
        std::pmr::vector<vec8> v(&resource);
        v.reserve(3);
        assert_layout(global_recorder.events[first].layout, 3 * sizeof(vec8), 32);
        std::pmr::string s(500, 'p', &resource);
        assert_layout(global_recorder.events[first + 1].layout, 501, 1);
        void *raw = resource.allocate(100, 256);
        assert_int_equal(reinterpret_cast<std::uintptr_t>(raw) % 256, 0);
        assert_layout(global_recorder.events[first + 2].layout, 100, 256);
        resource.deallocate(raw, 100, 256);
        assert_layout(global_recorder.events[first + 3].layout, 100, 256);
    }
    assert_all_released(global_recorder);
}

void monotonic_buffer_upstream_is_a_galloc_resource(void **) {
    galloc::memory_resource upstream(&other_recorder.base);
    std::size_t first = other_recorder.event_count;
    {
        std::pmr::monotonic_buffer_resource arena(1024, &upstream);
        std::pmr::vector<int> v(&arena);
        for (int i = 0; i < 2000; i++)
            v.push_back(i);
        std::pmr::map<int, int> m(&arena);
        for (int i = 0; i < 100; i++)
            m[i] = i;
        assert_true(other_recorder.event_count > first);
        assert_true(other_recorder.events[first].layout.size >= 1024); // + its bookkeeping
    }
    assert_all_released(other_recorder);
}

void resources_compare_by_allocator(void **) {
    galloc::memory_resource a(&other_recorder.base), b(&other_recorder.base), global, c;
    galloc::memory_resource explicit_global(galloc_global());
    assert_true(a == b);
    assert_true(global == c);
    assert_true(global == explicit_global);
    assert_false(a == global);
    assert_false(a == *std::pmr::new_delete_resource());
}

} // namespace

GALLOC_GLOBAL_ALLOCATOR(global_recorder.base);

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vector_over_the_global_allocator_asks_exact_layouts),
        cmocka_unit_test(containers_over_a_given_allocator),
        cmocka_unit_test(rebind_copy_and_equality),
        cmocka_unit_test(overflow_throws_bad_array_new_length),
        cmocka_unit_test(failure_throws_bad_alloc),
        cmocka_unit_test(pmr_containers_ask_exact_layouts),
        cmocka_unit_test(monotonic_buffer_upstream_is_a_galloc_resource),
        cmocka_unit_test(resources_compare_by_allocator),
    };
    return cmocka_run_group_tests_name("galloc.hpp", tests, nullptr, nullptr);
}
