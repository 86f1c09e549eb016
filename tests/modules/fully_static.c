/*
 * fully_static.c - rows M1 and M2 as a fully static executable (linked with
 * -static: no dynamic linker, no dynamic section).  galloc's lookup of the
 * executable's override has no dynamic symbol table to read there, so the
 * weak reference decides (src/posix/sys.c).  Built twice: with an override
 * (WITH_OVERRIDE), which must get every global call, one made by a
 * constructor before main included; and without one, where the global
 * allocator is System.  No CMocka (there may be no static build of it):
 * exits with 0, or prints what failed and exits with 1.  (The counting
 * allocator is the tests' own, support/counting.c.)
 */
#include "galloc.h"
#include "support/counting.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined(WITH_OVERRIDE)
static counting_allocator counter = COUNTING_ALLOCATOR_INIT("counter");
GALLOC_GLOBAL_ALLOCATOR(counter);
#define EXPECTED_NAME "counter"
#else
#define EXPECTED_NAME "system"
#endif

/* Every call the counting override saw. */
static long calls(void) {
#if defined(WITH_OVERRIDE)
    return counting_read(&counter.allocs) + counting_read(&counter.deallocs) +
           counting_read(&counter.zeroed_allocs) + counting_read(&counter.reallocs);
#else
    return 0;
#endif
}

/* The first global call of the program, before main. */
static long calls_before_main;
__attribute__((constructor)) static void allocate_before_main(void) {
    galloc_layout layout = {64, 64};
    void *p = galloc_alloc(layout);
    galloc_dealloc(p, layout);
    calls_before_main = calls();
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
    check(calls() == 4, "main's alloc and dealloc reached the override");
    check(counting_read(&counter.contract_violations) == 0, "the front end kept the contract");
#else
    check(galloc_global() == &galloc_system, "the global allocator is galloc_system");
#endif
    if (failures == 0)
        printf("fully_static (%s): ok\n", EXPECTED_NAME);
    return failures == 0 ? 0 : 1;
}
