/*
 * m4_cxx_plugin_override.c - DESIGN.md row M4 for C++: an executable with
 * an override loads, at run time, a C++ plugin built with the static
 * galloc and galloc::new_delete; the plugin's new and delete, its standard
 * containers' included, reach the executable's override.
 *
 * usage: m4_cxx_plugin_override PLUGIN_PATH
 */
#include "modules/cxx_plugin.h"
#include "support/counting.h"
#include "support/testing.h"

static counting_allocator counting = COUNTING_ALLOCATOR_INIT("host override");
GALLOC_GLOBAL_ALLOCATOR(counting);

static const char *plugin_path;
static cxx_plugin_api plugin;

static int load(void **state) {
    (void)state;
    return cxx_plugin_load(plugin_path, &plugin);
}

static void the_plugin_sees_the_host_override(void **state) {
    (void)state;
    assert_string_equal(plugin.global_name(), "host override");
}

static void the_plugin_new_and_delete_reach_the_host_override(void **state) {
    (void)state;
    counting_reset(&counting);
    unsigned char *small = plugin.new_block(40, 8, 0);
    unsigned char *wide = plugin.new_block(3000, 256, 0);
    assert_true(is_all_zero(small, 40));
    assert_true(is_aligned(wide, 256));
    assert_true(is_all_zero(wide, 3000));
    plugin.delete_block(small, 40, 8);
    plugin.delete_block(wide, 3000, 256);
    assert_counted(&counting, 2, 0, 0, 2);
}

static void the_plugin_containers_reach_the_host_override(void **state) {
    (void)state;
    counting_reset(&counting);
    assert_int_equal(plugin.containers(), 0);
    long allocs = counting_read(&counting.allocs);
    assert_true(allocs >= 20); /* vector growth, strings, map nodes, ... */
    assert_counted(&counting, allocs, 0, 0, allocs);
}

int main(int argc, char **argv) {
    if (argc != 2)
        return 2;
    plugin_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_plugin_sees_the_host_override),
        cmocka_unit_test(the_plugin_new_and_delete_reach_the_host_override),
        cmocka_unit_test(the_plugin_containers_reach_the_host_override),
    };
    return cmocka_run_group_tests_name("M4 C++ plugin in a host with an override", tests,
                                       load, NULL);
}
