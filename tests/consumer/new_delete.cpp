// new_delete.cpp - a C++ user of the installed galloc-new-delete.pc: with
// an override, std::vector's allocation reaches it through operator new;
// the exit status says so.
#include <galloc.h>

#include <vector>

static long allocs;

static void *count_alloc(const galloc_allocator *, galloc_layout layout) {
    allocs++;
    return galloc_allocator_alloc(&galloc_system, layout);
}

static void count_dealloc(const galloc_allocator *, void *ptr, galloc_layout layout) {
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

static const galloc_allocator counter = {count_alloc, count_dealloc, nullptr, nullptr,
                                         "counter"};
GALLOC_GLOBAL_ALLOCATOR(counter);

int main() {
    std::vector<int> v;
    v.push_back(1);
    return allocs == 1 ? 0 : 1;
}
