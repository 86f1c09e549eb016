// cxx.cpp - C++ with galloc: GALLOC_GLOBAL_ALLOCATOR(tracer) and the target
// galloc::new_delete make a tracing allocator the global one for C++ too:
// operator new and delete, hence std::vector, std::string, std::map,
// std::make_shared and new of an over-aligned type, reach it with their
// layouts; galloc.hpp adds galloc::allocator<T> and galloc::memory_resource
// (std::pmr), whose layouts are the requests' exact ones.
#include <galloc.hpp>

#include <cstdio>
#include <map>
#include <memory>
#include <memory_resource>
#include <string>
#include <vector>

namespace {

std::size_t calls, live;

void *trace_alloc(const galloc_allocator *, galloc_layout layout) {
    void *ptr = galloc_allocator_alloc(&galloc_system, layout);
    calls++;
    live++;
    std::printf("  [tracer] alloc   %5zu bytes, align %3zu\n", layout.size, layout.align);
    return ptr;
}

void trace_dealloc(const galloc_allocator *, void *ptr, galloc_layout layout) {
    calls++;
    live--;
    std::printf("  [tracer] dealloc %5zu bytes, align %3zu\n", layout.size, layout.align);
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

const galloc_allocator tracer = {trace_alloc, trace_dealloc, nullptr, nullptr, "tracer"};

struct alignas(64) cache_line {
    unsigned char bytes[64];
};

} // namespace

GALLOC_GLOBAL_ALLOCATOR(tracer);

int main() {
    std::printf("operator new (galloc::new_delete): each block carries its size in a\n"
                "header of max(align, 8) bytes, since C++ may delete without it\n");
    {
        std::vector<int> v;
        std::printf("std::vector<int>::push_back:\n");
        v.push_back(1);
        std::printf("std::string of 100 chars, std::map node, std::make_shared<double>:\n");
        std::string s(100, 'x');
        std::map<int, int> m{{1, 2}};
        auto shared = std::make_shared<double>(3.0);
        std::printf("new of an alignas(64) type, then delete:\n");
        delete new cache_line();
        std::printf("releasing them:\n");
    }
    std::printf("galloc.hpp: exact layouts, no header\n");
    {
        std::printf("std::vector<float, galloc::allocator<float>> of 50:\n");
        std::vector<float, galloc::allocator<float>> floats(50);
        galloc::memory_resource resource; // the global allocator
        std::printf("std::pmr::vector<cache_line> of 3 over galloc::memory_resource:\n");
        std::pmr::vector<cache_line> lines(3, cache_line{}, &resource);
        std::printf("releasing them:\n");
    }
    std::printf("%s saw %zu calls, %zu blocks live\n", galloc_global()->name, calls, live);
    return live == 0 ? 0 : 1;
}
