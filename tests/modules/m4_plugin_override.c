/*
 * m4_plugin_override.c - DESIGN.md row M4: an executable with an override
 * loads, at run time, a plugin that embeds galloc statically; the plugin's
 * allocations reach the executable's override.
 *
 * usage: m4_plugin_override PLUGIN_PATH
 */
#include "modules/plugin.h"
#include "support/counting.h"
#include "support/testing.h"

#include "modules/plugin_round_trip.h"

static counting_allocator counting = COUNTING_ALLOCATOR_INIT("host override");
GALLOC_GLOBAL_ALLOCATOR(counting);

static const char *plugin_path;

static void a_run_time_loaded_plugin_reaches_the_host_override(void **state) {
    (void)state;
    plugin_api plugin;
    assert_int_equal(plugin_load(plugin_path, &plugin), 0);
    assert_string_equal(plugin.global_name(), "host override");
    assert_int_equal(plugin.global_is_system(), 0);

    counting_reset(&counting);
    plugin_round_trip(&plugin, 3);
    assert_counted(&counting, 1, 1, 1, 2);
}

int main(int argc, char **argv) {
    if (argc != 2)
        return 2;
    plugin_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_run_time_loaded_plugin_reaches_the_host_override),
    };
    return cmocka_run_group_tests_name("M4 plugin in a host with an override", tests,
                                       NULL, NULL);
}
