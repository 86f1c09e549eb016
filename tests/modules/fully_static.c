/*
 * fully_static.c - rows M1 and M2 as a fully static executable (linked with
 * -static: no dynamic linker, no dynamic section).  galloc's lookup of the
 * executable's override has no dynamic symbol table to read there, so the
 * weak reference decides (src/posix/sys.c).  Built twice: with an override
 * (WITH_OVERRIDE), which must get every global call, one made by a
 * constructor before main included; and without one, where the global
 * allocator is System.  No CMocka (there may be no static build of it):
 * exits with 0, or prints what failed and exits with 1.
 */
#include "galloc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined(WITH_OVERRIDE)
static unsigned long calls;

static void *counting_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    calls++;
    return galloc_allocator_alloc(&galloc_system, layout);
}

static void counting_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    (void)self;
    calls++;
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

static const galloc_allocator counter = {counting_alloc, counting_dealloc, NULL, NULL,
                                         "counter"};
GALLOC_GLOBAL_ALLOCATOR(counter);
#define EXPECTED_NAME "counter"
#else
#define EXPECTED_NAME "system"
#endif

/* The first global call of the program, before main. */
static unsigned long calls_before_main;
__attribute__((constructor)) static void allocate_before_main(void) {
    galloc_layout layout = {64, 64};
    void *p = galloc_alloc(layout);
    galloc_dealloc(p, layout);
#if defined(WITH_OVERRIDE)
    calls_before_main = calls;
#endif
}

static int failures;
static void check(int ok, const char *what) {
    if (!ok) {
        printf("fully_static (%s): FAILED: %s\n", EXPECTED_NAME, what);
        failures++;
    }
}

int main(void) {
    check(strcmp(galloc_global()->name, EXPECTED_NAME) == 0,
          "the global allocator is " EXPECTED_NAME);
    galloc_layout layout = {100, 256};
    unsigned char *p = galloc_alloc(layout);
    check(p != NULL && (uintptr_t)p % 256 == 0, "an over-aligned global allocation");
    if (p != NULL) {
        memset(p, 0x5a, 100);
        galloc_dealloc(p, layout);
    }
#if defined(WITH_OVERRIDE)
    check(calls_before_main == 2, "the constructor's alloc and dealloc reached the override");
    check(calls == 4, "main's alloc and dealloc reached the override");
#else
    check(calls_before_main == 0, "nothing counted");
    check(galloc_global() == &galloc_system, "the global allocator is galloc_system");
#endif
    if (failures == 0)
        printf("fully_static (%s): ok\n", EXPECTED_NAME);
    return failures == 0 ? 0 : 1;
}
