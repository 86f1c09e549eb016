/*
 * m5_cxx_plain_host.c - DESIGN.md row M5 for C++: a plain C host that
 * knows nothing of galloc (no galloc header, not linked with galloc) loads
 * a C++ plugin built with the static galloc and galloc::new_delete.  The
 * plugin's global allocator is System, so its new gives the platform
 * heap's own blocks, with no header: the host releases them with free() on
 * Unix, HeapFree on Windows (for alignments the heap gives by itself).
 *
 * usage: m5_cxx_plain_host PLUGIN_PATH
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "modules/cxx_plugin.h"
#include "support/system_heap.h"

static const char *plugin_path;
static cxx_plugin_api plugin;

static int load(void **state) {
    (void)state;
    return cxx_plugin_load(plugin_path, &plugin);
}

static void the_plugin_uses_the_system_allocator(void **state) {
    (void)state;
    assert_string_equal(plugin.global_name(), "system");
    assert_int_equal(plugin.containers(), 0);
}

static void the_host_releases_plugin_new_blocks_with_the_platform_call(void **state) {
    (void)state;
    static const size_t sizes[] = {1, 24, 1000, 100000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        void *p = plugin.new_block(sizes[i], 8, 'x');
        if (!SYSTEM_HEAP_HOLDS_NEW_BLOCKS) {
            assert_int_equal((uintptr_t)p % 16, 0);
            plugin.delete_block(p, sizes[i], 8);
            continue;
        }
        assert_true(is_system_heap_block(p, sizes[i]));
        assert_true(release_with_platform_call(p));
    }
}

#if !defined(_WIN32)
static void *new_y_block(size_t size, size_t align) {
    return plugin.new_block(size, align, 'y');
}
#endif

static void over_aligned_new_blocks_are_freeable_on_unix(void **state) {
    (void)state;
#if defined(_WIN32)
    skip(); /* inside a larger heap block there: operator delete only */
#else
    assert_int_equal(first_over_aligned_block_not_freeable(new_y_block), 0);
#endif
}

int main(int argc, char **argv) {
    if (argc != 2)
        return 2;
    plugin_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_plugin_uses_the_system_allocator),
        cmocka_unit_test(the_host_releases_plugin_new_blocks_with_the_platform_call),
        cmocka_unit_test(over_aligned_new_blocks_are_freeable_on_unix),
    };
    return cmocka_run_group_tests_name("M5 C++ plugin in a plain C host", tests, load, NULL);
}
