/*
 * allocator_module.c - hands one of galloc's allocator adapters to the
 * benchmark, from a module loaded at run time (see "Columns" in
 * galloc_bench.c for why a module).  Built once per adapter with
 * BENCH_ADAPTER_HEADER and BENCH_ADAPTER set.
 */
#include <galloc.h>

#include BENCH_ADAPTER_HEADER

#if defined(_WIN32)
#define BENCH_EXPORT __declspec(dllexport)
#else
#define BENCH_EXPORT __attribute__((visibility("default")))
#endif

BENCH_EXPORT const galloc_allocator *bench_allocator(void);

const galloc_allocator *bench_allocator(void) {
    return &BENCH_ADAPTER;
}
