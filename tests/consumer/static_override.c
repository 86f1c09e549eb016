/*
 * static_override.c - an out-of-tree user of the *installed* galloc linked
 * with `pkg-config --static`, as a fully static executable (cc -static)
 * wherever the static library is installed (row M2 without CMake): its
 * override must get every global allocation, the one made in a constructor
 * before main included.  Exits 1, naming each check that failed.
 */
#include <galloc.h>

#include <stdio.h>
#include <string.h>

static long allocs, zeroed, reallocs, deallocs;

static void *count_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    allocs++;
    return galloc_allocator_alloc(&galloc_system, layout);
}

static void *count_alloc_zeroed(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    zeroed++;
    return galloc_allocator_alloc_zeroed(&galloc_system, layout);
}

static void *count_realloc(const galloc_allocator *self, void *ptr, galloc_layout layout,
                           size_t new_size) {
    (void)self;
    reallocs++;
    return galloc_allocator_realloc(&galloc_system, ptr, layout, new_size);
}

static void count_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    (void)self;
    deallocs++;
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

static const galloc_allocator counter = {count_alloc, count_dealloc, count_alloc_zeroed,
                                         count_realloc, "static counter"};
GALLOC_GLOBAL_ALLOCATOR(counter);

static const galloc_layout early_layout = {64, 16};
static void *early;

__attribute__((constructor)) static void allocate_early(void) {
    early = galloc_alloc(early_layout);
}

static int failures;

static void check(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "static_override: FAILED: %s\n", what);
        failures++;
    }
}

int main(void) {
    check(early != NULL && allocs == 1, "the constructor's allocation reached the override");
    check(galloc_global() == &counter, "galloc_global() is the override");

    galloc_layout layout = {100, 64};
    unsigned char *p = galloc_alloc(layout);
    check(p != NULL, "galloc_alloc");
    if (p != NULL) {
        memset(p, 0x5a, layout.size);
        p = galloc_realloc(p, layout, 5000);
        layout.size = 5000;
        check(p != NULL && p[0] == 0x5a && p[99] == 0x5a, "galloc_realloc kept the data");
        galloc_dealloc(p, layout);
    }
    galloc_layout zero_layout = {32, 8};
    unsigned char *z = galloc_alloc_zeroed(zero_layout);
    check(z != NULL && z[0] == 0 && z[31] == 0, "galloc_alloc_zeroed");
    galloc_dealloc(z, zero_layout);
    galloc_dealloc(early, early_layout);

    check(allocs == 2 && zeroed == 1 && reallocs == 1 && deallocs == 3,
          "the override got every call");
    printf("static_override: \"%s\" got %ld alloc, %ld alloc_zeroed, %ld realloc, "
           "%ld dealloc of 2, 1, 1, 3: %s\n",
           galloc_global()->name, allocs, zeroed, reallocs, deallocs,
           failures == 0 ? "ok" : "WRONG");
    return failures == 0 ? 0 : 1;
}
