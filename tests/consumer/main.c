/* A consumer of the installed package: overrides the global allocator and
 * checks that galloc routes its allocations there. */
#include <galloc.h>

#include <stdio.h>

static long calls;

static void *count_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    calls++;
    return galloc_allocator_alloc(&galloc_system, layout);
}

static void count_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    (void)self;
    calls++;
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

static const galloc_allocator counter = {count_alloc, count_dealloc, NULL, NULL, "counter"};
GALLOC_GLOBAL_ALLOCATOR(counter);

int main(void) {
    galloc_layout layout = {100, 64};
    void *p = galloc_alloc(layout);
    galloc_dealloc(p, layout);
    if (p == NULL || calls != 2 || galloc_global() != &counter) {
        fprintf(stderr, "consumer: override not used (calls = %ld)\n", calls);
        return 1;
    }
    printf("consumer: %s got %ld calls\n", galloc_global()->name, calls);
    return 0;
}
