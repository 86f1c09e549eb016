/*
 * test_adapter_conformance.c - the conformance kit run on an allocator the
 * project ships, selected at compile time (ADAPTER_MIMALLOC,
 * ADAPTER_JEMALLOC, or the System allocator by default), with the kit's
 * default options: every check, threads included.
 */
#include "support/testing.h"

#include <galloc/conformance.h>

#if defined(ADAPTER_MIMALLOC)
#include <galloc/mimalloc.h>
#define ADAPTER galloc_mimalloc
#elif defined(ADAPTER_JEMALLOC)
#include <galloc/jemalloc.h>
#define ADAPTER galloc_jemalloc
#else
#define ADAPTER galloc_system
#endif

static void the_allocator_passes_every_conformance_check(void **state) {
    (void)state;
    galloc_conformance_report report;
    int failures = galloc_conformance_check(&ADAPTER, NULL, &report);
    print_message("  %s: %u checks, %u failed%s%s\n", ADAPTER.name, report.checks,
                  report.failures, report.failures ? ": " : "", report.first_failure);
    assert_int_equal(failures, 0);
    assert_int_equal(report.failures, 0);
    assert_true(report.checks > 100000);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_allocator_passes_every_conformance_check),
    };
    return cmocka_run_group_tests_name("conformance of a shipped allocator", tests, NULL, NULL);
}
