/* adapters.c - the installed adapter targets, used from outside: linking
 * galloc::mimalloc_global makes mimalloc the global allocator (nothing
 * written here), and galloc::conformance checks it. */
#include <galloc.h>
#include <galloc/conformance.h>

#include <stdio.h>
#include <string.h>

int main(void) {
    const galloc_allocator *global = galloc_global();
    galloc_conformance_options options = {2, 2000, 4096, (size_t)1 << 20, 0};
    galloc_conformance_report report;
    int failures = galloc_conformance_check(global, &options, &report);
    printf("consumer: global allocator \"%s\", %u conformance checks, %u failed\n",
           global->name, report.checks, report.failures);
    return strcmp(global->name, "mimalloc") == 0 && failures == 0 ? 0 : 1;
}
