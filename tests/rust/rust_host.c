/*
 * rust_host.c - a C executable with GALLOC_GLOBAL_ALLOCATOR, hosting the
 * Rust library of tests/rust/plugin.rs (#[global_allocator] galloc::Global):
 * linked in as a staticlib, or loaded at run time as a cdylib plugin.  The
 * Rust library's Vec, String, Box and HashMap reach the host's allocator
 * with Rust's layouts, and blocks cross between Rust and C.
 *
 * Built twice:
 *   - the global is a counting allocator that also notes the layouts Rust
 *     asks for (nothing may stay live after a call);
 *   - with RUST_HOST_CHECKED, the global is galloc's checked allocator:
 *     Rust's releases and resizes all match their blocks' layouts (no
 *     report), and a deliberate wrong-size release from C is reported.
 *
 * usage: rust_host static        the staticlib linked into this program
 *        rust_host PLUGIN_PATH   the cdylib, loaded with uv_dlopen
 */
#include "modules/plugin.h"
#include "support/counting.h"
#include "support/testing.h"

#include "modules/plugin_round_trip.h"

#if defined(RUST_HOST_CHECKED)
#include <galloc/checked.h>
#endif

#include <stdint.h>
#include <string.h>

/* The Rust library's own function (tests/rust/plugin.rs). */
typedef uint64_t (*grow_collections_fn)(uint64_t n);
uint64_t rust_grow_collections(uint64_t n);

/* What rust_grow_collections(n) returns: the Vec's sum, the String's
 * length, the decimal digits of the HashMap's strings, the zeroed vector's
 * sum (0), the page's last word (n) and 1 if the page was aligned. */
static uint64_t grow_collections_checksum(uint64_t n) {
    uint64_t digits = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t d = 1;
        for (uint64_t v = i; v >= 10; v /= 10)
            d++;
        digits += d;
    }
    return n * (n - 1) / 2 + n + digits + n + 1;
}

#define GROW_N 2000

#if defined(RUST_HOST_CHECKED)
static galloc_checked checker = GALLOC_CHECKED_INIT(NULL, "host checker");
GALLOC_GLOBAL_ALLOCATOR(checker);
#define HOST_GLOBAL_NAME "host checker"

static int reports;
static galloc_checked_report last_report;
static void record_report(const galloc_checked_report *report, void *context) {
    (void)context;
    reports++;
    last_report = *report;
}
#else
/* The counting allocator of the suite, noting two layouts only Rust's
 * code asks for: a Box of a 4096-aligned 64-byte type (Rust pads it to a
 * 4096-byte layout) and vec![0u8; GROW_N * 64] (an alloc_zeroed). */
typedef struct recording_allocator {
    counting_allocator counting; /* first: galloc passes &counting.base */
    volatile long page_boxes;
    volatile long zeroed_vectors;
} recording_allocator;

static void *recording_alloc(const galloc_allocator *self, galloc_layout layout) {
    recording_allocator *r = (recording_allocator *)(uintptr_t)self;
    if (layout.size == 4096 && layout.align == 4096)
        r->page_boxes++;
    return counting_alloc(self, layout);
}

static void *recording_alloc_zeroed(const galloc_allocator *self, galloc_layout layout) {
    recording_allocator *r = (recording_allocator *)(uintptr_t)self;
    if (layout.size == GROW_N * 64 && layout.align == 1)
        r->zeroed_vectors++;
    return counting_alloc_zeroed(self, layout);
}

static recording_allocator counter = {
    {{recording_alloc, counting_dealloc, recording_alloc_zeroed, counting_realloc,
      "host counter"},
     0, 0, 0, 0, 0},
    0, 0};
GALLOC_GLOBAL_ALLOCATOR(counter);
#define HOST_GLOBAL_NAME "host counter"
#endif

static plugin_api rust;
static grow_collections_fn grow_collections;

/* The staticlib's functions, or the cdylib's, found as the matrix hosts
 * find a plugin's (modules/plugin_host.c). */
static int load(const char *which) {
    if (strcmp(which, "static") == 0) {
        rust.alloc = plugin_alloc;
        rust.alloc_zeroed = plugin_alloc_zeroed;
        rust.realloc = plugin_realloc;
        rust.dealloc = plugin_dealloc;
        rust.global_name = plugin_global_name;
        rust.global_is_system = plugin_global_is_system;
        grow_collections = rust_grow_collections;
        return 0;
    }
    void *lib = plugin_open(which);
    if (lib == NULL || plugin_api_lookup(&rust, lib, plugin_symbol) != 0)
        return -1;
    void *grow = plugin_symbol(lib, "rust_grow_collections");
    if (grow == NULL)
        return -1;
    memcpy(&grow_collections, &grow, sizeof grow_collections);
    return 0;
}

static void the_rust_library_uses_the_host_global_allocator(void **state) {
    (void)state;
    assert_string_equal(rust.global_name(), HOST_GLOBAL_NAME);
    assert_int_equal(rust.global_is_system(), 0);
}

#if !defined(RUST_HOST_CHECKED)
static void rust_collections_reach_the_host_counter_and_none_stays_live(void **state) {
    (void)state;
    /* Once before counting: whatever Rust's runtime sets up on first use
     * may stay for the program's life. */
    assert_true(grow_collections(GROW_N) == grow_collections_checksum(GROW_N));
    counting_reset(&counter.counting);
    counter.page_boxes = counter.zeroed_vectors = 0;

    assert_true(grow_collections(GROW_N) == grow_collections_checksum(GROW_N));
    counting_allocator *c = &counter.counting;
    long allocs = counting_read(&c->allocs), zeroed = counting_read(&c->zeroed_allocs);
    /* A String per HashMap entry, and the growth of four collections. */
    assert_true(allocs >= GROW_N);
    assert_true(counting_read(&c->reallocs) >= 10);
    assert_int_equal(counter.page_boxes, 1);
    assert_int_equal(counter.zeroed_vectors, 1);
    assert_int_equal(counting_read(&c->deallocs), allocs + zeroed);
    assert_int_equal(counting_read(&c->contract_violations), 0);
}

static void blocks_cross_between_rust_and_c(void **state) {
    (void)state;
    counting_reset(&counter.counting);
    /* Rust allocates, grows and frees; C frees what Rust made. */
    plugin_round_trip(&rust, 11);
    assert_counted(&counter.counting, 1, 1, 1, 2);
    /* C allocates, Rust frees. */
    void *from_c = galloc_alloc(layout_of(100, 64));
    assert_non_null(from_c);
    rust.dealloc(from_c, 100, 64);
    assert_counted(&counter.counting, 2, 1, 1, 3);
}
#else
static void rust_collections_and_crossings_are_clean_under_the_checker(void **state) {
    (void)state;
    galloc_checked_set_report(&checker, record_report, NULL);
    assert_true(grow_collections(GROW_N) == grow_collections_checksum(GROW_N));
    galloc_checked_stats before = galloc_checked_get_stats(&checker);
    assert_true(grow_collections(GROW_N) == grow_collections_checksum(GROW_N));
    plugin_round_trip(&rust, 12);
    void *from_c = galloc_alloc(layout_of(100, 64));
    assert_non_null(from_c);
    rust.dealloc(from_c, 100, 64);
    galloc_checked_stats after = galloc_checked_get_stats(&checker);
    assert_int_equal(reports, 0);
    assert_int_equal(galloc_checked_verify(&checker), 0);
    assert_true(after.allocs - before.allocs >= GROW_N);
    assert_int_equal(after.live_blocks, before.live_blocks);
}

static void a_wrong_size_release_from_c_is_reported(void **state) {
    (void)state;
    galloc_checked_set_report(&checker, record_report, NULL);
    reports = 0;
    void *from_rust = rust.alloc(100, 8);
    assert_non_null(from_rust);
    galloc_dealloc(from_rust, layout_of(99, 8));
    assert_int_equal(reports, 1);
    assert_int_equal(last_report.problem, GALLOC_CHECKED_LAYOUT_MISMATCH);
    assert_true(last_report.ptr == from_rust);
    assert_int_equal(last_report.given.size, 99);
    assert_int_equal(last_report.block.size, 100);
    assert_int_equal(last_report.block.align, 8);
}
#endif

int main(int argc, char **argv) {
    if (argc != 2)
        return 2;
    if (load(argv[1]) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_rust_library_uses_the_host_global_allocator),
#if !defined(RUST_HOST_CHECKED)
        cmocka_unit_test(rust_collections_reach_the_host_counter_and_none_stays_live),
        cmocka_unit_test(blocks_cross_between_rust_and_c),
#else
        cmocka_unit_test(rust_collections_and_crossings_are_clean_under_the_checker),
        cmocka_unit_test(a_wrong_size_release_from_c_is_reported),
#endif
    };
    return cmocka_run_group_tests_name("Rust library in a C host", tests, NULL, NULL);
}
