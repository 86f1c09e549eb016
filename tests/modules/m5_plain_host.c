/*
 * m5_plain_host.c - DESIGN.md row M5: a plain C host that knows nothing of
 * galloc (no galloc header, not linked with galloc) loads a plugin that
 * embeds galloc.  The plugin uses the System allocator, and the host can
 * release the plugin's blocks with the platform's own call: free() on Unix;
 * on Windows HeapFree on the process heap, for blocks whose alignment the
 * heap gives by itself.
 *
 * usage: m5_plain_host PLUGIN_PATH
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "modules/plugin.h"
#include "support/system_heap.h"

/*
 * The largest alignment for which a System block is a plain platform-heap
 * block, which the host can release with the platform call.  On Windows
 * that is MEMORY_ALLOCATION_ALIGNMENT, what HeapAlloc guarantees every
 * block (DESIGN.md, the System allocator): 16 on Win64, but 8 on Win32,
 * where HeapAlloc blocks are often 8 mod 16, so a block aligned to 16 is
 * over-aligned, carved out of a larger heap block, and only
 * galloc_dealloc may release it.  On Unix every System block is free()-able;
 * 16 is malloc's own alignment on 64-bit targets.
 */
#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#define PLAIN_ALIGN MEMORY_ALLOCATION_ALIGNMENT
#else
#define PLAIN_ALIGN 16
#endif

static const char *plugin_path;
static plugin_api plugin;

static int load(void **state) {
    (void)state;
    return plugin_load(plugin_path, &plugin);
}

static void the_plugin_uses_the_system_allocator(void **state) {
    (void)state;
    assert_int_equal(plugin.global_is_system(), 1);
    assert_string_equal(plugin.global_name(), "system");
}

static void the_host_releases_plugin_blocks_with_the_platform_call(void **state) {
    (void)state;
    static const size_t sizes[] = {1, 24, 1000, 100000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *p = plugin.alloc(sizes[i], 8);
        assert_non_null(p);
        memset(p, 'x', sizes[i]);
        assert_true(is_system_heap_block(p, sizes[i]));
        assert_true(release_with_platform_call(p));
        char *z = plugin.alloc_zeroed(sizes[i], PLAIN_ALIGN);
        assert_non_null(z);
        assert_true(is_system_heap_block(z, sizes[i]));
        assert_true(release_with_platform_call(z));
    }
}

/* posix_memalign blocks are free()-able too; Windows over-aligned blocks
 * sit inside a larger heap block and are not (galloc_dealloc only). */
static void over_aligned_plugin_blocks_are_freeable_on_unix(void **state) {
    (void)state;
#if defined(_WIN32)
    skip();
#else
    assert_int_equal(first_over_aligned_block_not_freeable(plugin.alloc), 0);
#endif
}

int main(int argc, char **argv) {
    if (argc != 2)
        return 2;
    plugin_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_plugin_uses_the_system_allocator),
        cmocka_unit_test(the_host_releases_plugin_blocks_with_the_platform_call),
        cmocka_unit_test(over_aligned_plugin_blocks_are_freeable_on_unix),
    };
    return cmocka_run_group_tests_name("M5 plugin in a plain C host", tests, load, NULL);
}
