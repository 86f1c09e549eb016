// test_new_delete_checked.cpp - galloc::new_delete with the checked
// allocator (galloc/checked.h) as the global one: C++'s own misuse of new
// and delete reaches it as layout mismatches - delete of a new[] block, and
// a sized delete with the wrong size - while correct code raises nothing
// and leaves nothing live.  Sized deallocation must be on (g++ has it by
// default from C++14, clang 14 needs -fsized-deallocation): an unsized
// delete gives no size to compare, so galloc reads the block's own.
#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <map>
#include <new>
#include <string>
#include <vector>

extern "C" {
#include <cmocka.h>
}

#include "galloc/checked.h"
#include "support/cxx.hpp"

namespace {

galloc_checked checker = GALLOC_CHECKED_INIT(NULL, "checked");

galloc_checked_report last;
int reports;

void keep(const galloc_checked_report *report, void *) {
    last = *report;
    reports++;
}

int setup(void **) {
    galloc_checked_set_report(&checker, keep, nullptr);
    reports = 0;
    return 0;
}

using cxx_test::opaque;

struct point {
    double x, y, z;
};

// What the allocator sees for a C++ request (galloc.h, galloc_new).
std::size_t block_size(std::size_t size) {
    return cxx_test::new_block_of(size, cxx_test::default_align).size;
}

void correct_code_raises_nothing(void **) {
    galloc_checked_stats before = galloc_checked_get_stats(&checker);
    {
        std::vector<point> v(10);
        std::string s(200, 'y');
        std::map<int, std::string> m{{1, "one"}, {2, std::string(50, 'z')}};
        point *one = new point();
        delete one;
        point *many = new point[7];
        delete[] many;
        void *aligned = ::operator new(100, std::align_val_t(4096));
        ::operator delete(aligned, 100, std::align_val_t(4096));
    }
    galloc_checked_stats after = galloc_checked_get_stats(&checker);
    assert_int_equal(reports, 0);
    assert_true(after.allocs > before.allocs);
    assert_int_equal(after.live_blocks, before.live_blocks);
}

void delete_of_a_new_array_block_is_a_layout_mismatch(void **) {
    point *many = new point[4];
    delete opaque(many); // sized: sizeof(point), not 4 of them
    assert_int_equal(reports, 1);
    assert_int_equal(last.problem, GALLOC_CHECKED_LAYOUT_MISMATCH);
    assert_int_equal(last.given.size, block_size(sizeof(point)));
    assert_int_equal(last.block.size, block_size(4 * sizeof(point)));
    assert_int_equal(galloc_checked_get_stats(&checker).live_blocks, 0);
}

void a_sized_delete_with_a_wrong_size_is_a_layout_mismatch(void **) {
    void *p = ::operator new(48);
    ::operator delete(p, 40);
    assert_int_equal(reports, 1);
    assert_int_equal(last.problem, GALLOC_CHECKED_LAYOUT_MISMATCH);
    assert_int_equal(last.given.size, block_size(40));
    assert_int_equal(last.block.size, block_size(48));

    // The wrong alignment: the header's offset follows the alignment, so
    // the allocator is handed a pointer it never returned.  Reported and
    // left alone; the right delete then releases the block.
    void *q = ::operator new(48, std::align_val_t(64));
    ::operator delete(opaque(q), 48, std::align_val_t(32));
    assert_int_equal(reports, 2);
    assert_int_equal(last.problem, GALLOC_CHECKED_UNKNOWN_POINTER);
    ::operator delete(q, 48, std::align_val_t(64));
    assert_int_equal(reports, 2);
    assert_int_equal(galloc_checked_get_stats(&checker).live_blocks, 0);
}

} // namespace

GALLOC_GLOBAL_ALLOCATOR(checker.allocator);

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(correct_code_raises_nothing, setup),
        cmocka_unit_test_setup(delete_of_a_new_array_block_is_a_layout_mismatch, setup),
        cmocka_unit_test_setup(a_sized_delete_with_a_wrong_size_is_a_layout_mismatch, setup),
    };
    return cmocka_run_group_tests_name("new_delete with the checked allocator", tests,
                                       nullptr, nullptr);
}
