/*
 * override.c - an executable that makes a tracing allocator the global one
 * with one line, GALLOC_GLOBAL_ALLOCATOR(tracer).  Every global allocation
 * in the process goes through it, including one made before main().
 */
#include <galloc.h>

#include <stdint.h>
#include <stdio.h>

/* A stateful allocator: galloc_allocator first, state after it. */
typedef struct tracing_allocator {
    galloc_allocator base;
    size_t calls;
    size_t live_bytes;
} tracing_allocator;

/* Not thread-safe on purpose: this example is single-threaded. */
static void *trace_alloc(const galloc_allocator *self, galloc_layout layout) {
    tracing_allocator *t = (tracing_allocator *)(uintptr_t)self;
    void *p = galloc_allocator_alloc(&galloc_system, layout);
    t->calls++;
    t->live_bytes += p != NULL ? layout.size : 0;
    printf("  [tracer] alloc   %6zu bytes, align %4zu -> %p\n", layout.size,
           layout.align, p);
    return p;
}

static void trace_dealloc(const galloc_allocator *self, void *ptr,
                          galloc_layout layout) {
    tracing_allocator *t = (tracing_allocator *)(uintptr_t)self;
    t->calls++;
    t->live_bytes -= layout.size;
    printf("  [tracer] dealloc %6zu bytes, align %4zu    %p\n", layout.size,
           layout.align, ptr);
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

static void *trace_realloc(const galloc_allocator *self, void *ptr,
                           galloc_layout layout, size_t new_size) {
    tracing_allocator *t = (tracing_allocator *)(uintptr_t)self;
    void *p = galloc_allocator_realloc(&galloc_system, ptr, layout, new_size);
    t->calls++;
    if (p != NULL)
        t->live_bytes += new_size - layout.size;
    printf("  [tracer] realloc %6zu -> %zu bytes, align %zu: %p -> %p\n",
           layout.size, new_size, layout.align, ptr, p);
    return p;
}

/* alloc_zeroed is left NULL: galloc completes it with alloc + memset. */
static tracing_allocator tracer = {
    {trace_alloc, trace_dealloc, NULL, trace_realloc, "tracer"}, 0, 0};

GALLOC_GLOBAL_ALLOCATOR(tracer);

static void *early;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((constructor)) static void before_main(void) {
    printf("before main():\n");
    early = galloc_alloc((galloc_layout){128, 16});
}
#endif

int main(void) {
    printf("main(): global allocator is \"%s\"\n", galloc_global()->name);
    galloc_layout layout = GALLOC_LAYOUT_OF(double);
    double *numbers = galloc_alloc_zeroed((galloc_layout){8 * layout.size, layout.align});
    if (numbers == NULL)
        return 1;
    numbers = galloc_realloc(numbers, (galloc_layout){8 * layout.size, layout.align},
                             1000 * layout.size);
    if (numbers == NULL)
        return 1;
    void *page = galloc_alloc((galloc_layout){4096, 4096});
    galloc_dealloc(page, (galloc_layout){4096, 4096});
    galloc_dealloc(numbers, (galloc_layout){1000 * layout.size, layout.align});
    galloc_dealloc(early, (galloc_layout){128, 16});
    printf("the tracer saw %zu calls; %zu bytes still live\n", tracer.calls,
           tracer.live_bytes);
    return tracer.live_bytes == 0 ? 0 : 1;
}
