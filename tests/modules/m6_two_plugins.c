/*
 * m6_two_plugins.c - DESIGN.md row M6: two plugins, each embedding its own
 * static copy of galloc, loaded at run time.  A block allocated in one is
 * reallocated and freed in the other, whose galloc has made no allocation
 * before (each direction runs in a fresh process), for small and
 * over-aligned layouts; afterwards the platform heap holds exactly what it
 * held before: nothing leaked.  The measure (system_heap_bytes_in_use: the
 * heap's own count, or ASan's or memcheck's under those tools) must see the
 * live blocks, so that an equal count means something in every leg.
 *
 * usage: m6_two_plugins a-to-b|b-to-a PLUGIN_A PLUGIN_B
 */
#include "modules/plugin.h"
#include "support/system_heap.h"
#include "support/testing.h"

#include <string.h>

static plugin_api a, b;
static plugin_api *from, *to;

static const galloc_layout layouts[] = {
    {24, 8}, {100, 16}, {5000, 64}, {100, 4096}, {70000, 65536},
};
#define N_LAYOUTS (sizeof layouts / sizeof layouts[0])

/* Must run first: `to` has not allocated anything yet. */
static void blocks_move_between_plugins_and_nothing_leaks(void **state) {
    (void)state;
    void *blocks[N_LAYOUTS];
    size_t before = system_heap_bytes_in_use();
    size_t live = 0;
    for (size_t i = 0; i < N_LAYOUTS; i++) {
        blocks[i] = from->alloc(layouts[i].size, layouts[i].align);
        assert_non_null(blocks[i]);
        fill_pattern(blocks[i], layouts[i].size, (unsigned)i);
        live += layouts[i].size;
    }
    /* Not a measure that stays 0 whatever is allocated. */
    assert_true(system_heap_bytes_in_use() >= before + live);
    for (size_t i = 0; i < N_LAYOUTS; i++) {
        size_t new_size = layouts[i].size * 3 + 1;
        unsigned char *p = to->realloc(blocks[i], layouts[i].size, layouts[i].align,
                                       new_size);
        assert_non_null(p);
        assert_true(is_aligned(p, layouts[i].align));
        assert_true(has_pattern(p, layouts[i].size, (unsigned)i));
        to->dealloc(p, new_size, layouts[i].align);
    }
    assert_int_equal(system_heap_bytes_in_use(), before);
}

/* The premise: both plugins really use the System allocator. */
static void both_plugins_use_the_system_allocator(void **state) {
    (void)state;
    assert_int_equal(a.global_is_system(), 1);
    assert_int_equal(b.global_is_system(), 1);
}

int main(int argc, char **argv) {
    if (argc != 4)
        return 2;
    if (plugin_load(argv[2], &a) != 0 || plugin_load(argv[3], &b) != 0)
        return 1;
    /* Two plugins, two copies of galloc: not the same functions. */
    if (a.alloc == b.alloc)
        return 1;
    from = strcmp(argv[1], "a-to-b") == 0 ? &a : &b;
    to = from == &a ? &b : &a;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blocks_move_between_plugins_and_nothing_leaks),
        cmocka_unit_test(both_plugins_use_the_system_allocator),
    };
    return cmocka_run_group_tests_name(argv[1], tests, NULL, NULL);
}
