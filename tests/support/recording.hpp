// recording.hpp - a recording allocator for the C++ tests: it forwards to
// the System allocator and keeps every call (fixed tables: an allocator
// must not allocate), so a test can ask which layouts a piece of C++ asked
// for, and whether each block was released with the layout it was
// allocated with.  It can also be told to refuse, for the failure paths.
// Single-threaded, as the C++ tests are.  The counters are volatile: a
// compiler may assume that operator new, like malloc, touches no memory of
// the program's (clang at -O2 does), and would then reuse a count read
// before a new-expression instead of reading it again after.
#ifndef GALLOC_TEST_RECORDING_HPP
#define GALLOC_TEST_RECORDING_HPP

#include <cstddef>

#include "galloc.h"

struct recording_allocator {
    galloc_allocator base; // first member: galloc passes &base as self

    struct event {
        bool alloc; // else a dealloc
        void *ptr;
        galloc_layout layout;
    };
    static constexpr std::size_t max_events = 4096, max_live = 1024;
    event events[max_events];
    volatile std::size_t event_count;
    struct live_block {
        void *ptr;
        galloc_layout layout;
    } live[max_live];
    volatile std::size_t live_count;
    volatile long mismatches;    // deallocs whose layout or pointer was not a live block's
    volatile long refusals_left; // > 0: refuse that many allocations

    static recording_allocator &of(const galloc_allocator *self) {
        return *const_cast<recording_allocator *>(
            reinterpret_cast<const recording_allocator *>(self));
    }

    void record(bool alloc, void *ptr, galloc_layout layout) {
        if (event_count < max_events) {
            events[event_count] = {alloc, ptr, layout};
            event_count = event_count + 1;
        }
    }

    static void *alloc(const galloc_allocator *self, galloc_layout layout) {
        recording_allocator &r = of(self);
        if (r.refusals_left > 0) {
            r.refusals_left = r.refusals_left - 1;
            return nullptr;
        }
        void *ptr = galloc_allocator_alloc(&galloc_system, layout);
        if (ptr != nullptr && r.live_count < max_live) {
            r.live[r.live_count] = {ptr, layout};
            r.live_count = r.live_count + 1;
            r.record(true, ptr, layout);
        }
        return ptr;
    }

    static void dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
        recording_allocator &r = of(self);
        r.record(false, ptr, layout);
        std::size_t i = 0;
        while (i < r.live_count && r.live[i].ptr != ptr)
            i++;
        if (i == r.live_count || r.live[i].layout.size != layout.size ||
            r.live[i].layout.align != layout.align) {
            r.mismatches = r.mismatches + 1;
            if (i == r.live_count)
                return; // not ours: leave it alone
            layout = r.live[i].layout;
        }
        r.live_count = r.live_count - 1;
        r.live[i] = r.live[r.live_count];
        galloc_allocator_dealloc(&galloc_system, ptr, layout);
    }
};

#define RECORDING_ALLOCATOR_INIT(name)                                         \
    {{recording_allocator::alloc, recording_allocator::dealloc, nullptr, nullptr, name},  \
     {}, 0, {}, 0, 0, 0}

#endif
