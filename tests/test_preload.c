/*
 * test_preload.c - the linux-preload leg's witness: the process really runs
 * the malloc the leg says it does.  The leg (scripts/preload-run.sh) runs
 * the System allocator's tests under LD_PRELOAD of jemalloc, mimalloc and
 * tcmalloc, and once more in programs linked with galloc::mimalloc_global
 * and galloc::jemalloc_global; if the preload silently did not happen, or a
 * linked allocator did not replace malloc, those runs would prove nothing
 * about foreign mallocs, and this test fails.
 *
 * The expected allocator is a part of the name of the shared object that
 * defines malloc: GALLOC_EXPECT_MALLOC from the environment (set by the
 * leg), else EXPECT_MALLOC from the build (the linked variants), else the C
 * library's own ("libc.so"; musl's is its dynamic linker).
 */
#if !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* dladdr */
#endif
#include "support/testing.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(EXPECT_MALLOC)
#if defined(__linux__) && !defined(__GLIBC__)
/* musl: the C library and the dynamic linker are one object,
 * /lib/ld-musl-<arch>.so.1 (musl's libc.so is a link to it). */
#define EXPECT_MALLOC "/ld-musl-"
#else
#define EXPECT_MALLOC "libc.so"
#endif
#endif

/* A sanitizer's runtime replaces malloc itself, inside the executable:
 * there is nothing to witness in those builds (the leg runs none). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif

static void malloc_comes_from_the_expected_allocator(void **state) {
    (void)state;
#if defined(SANITIZED)
    skip();
#endif
    const char *expected = getenv("GALLOC_EXPECT_MALLOC");
    if (expected == NULL || *expected == '\0')
        expected = EXPECT_MALLOC;
    /* The definition every module's calls are bound to: the first one in
     * the global scope. */
    void *symbol = dlsym(RTLD_DEFAULT, "malloc");
    assert_non_null(symbol);
    Dl_info info;
    assert_int_not_equal(dladdr(symbol, &info), 0);
    assert_non_null(info.dli_fname);
    print_message("  malloc is defined in %s (expected: %s)\n", info.dli_fname, expected);
    assert_non_null(strstr(info.dli_fname, expected));
    /* And galloc's System allocator hands out its blocks. */
    void *p = galloc_allocator_alloc(&galloc_system, layout_of(256, 256));
    assert_non_null(p);
    assert_true(is_aligned(p, 256));
    free(p); /* DESIGN.md: every System block can be passed to free() */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(malloc_comes_from_the_expected_allocator),
    };
    return cmocka_run_group_tests_name("preload witness", tests, NULL, NULL);
}
