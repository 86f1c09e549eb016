/*
 * test_libc_pages.c - the libc-shaped functions keep every block off a page
 * boundary, so that galloc_libc_owns() can read a header without ever
 * touching another page (src/libc.c).  A block whose header would start a
 * page is shifted by 16 bytes inside its allocation; a realloc that moves
 * it may change the shift, and the data must move with it.
 *
 * The global allocator here places blocks where the test says, in an arena
 * of whole pages: at the end of a page (base + 16 is the next page, so the
 * block must be shifted) or in the middle of one (no shift).  It records
 * every live block, so each release must name exactly a base and layout it
 * handed out.
 */
#include "support/testing.h"

#include <string.h>

#define PAGE ((size_t)4096)
#define ARENA_PAGES 64
#define MAX_LIVE 16

enum placement { PAGE_END, MID_PAGE };

typedef struct arena_allocator {
    galloc_allocator base;
    unsigned char *pages;   /* ARENA_PAGES pages, page-aligned */
    size_t next_page;       /* bump pointer, in pages */
    enum placement place;   /* where the next block goes */
    struct {
        unsigned char *ptr;
        galloc_layout layout;
    } live[MAX_LIVE];
    int errors; /* releases that named no live block, or another layout */
} arena_allocator;

static void *arena_alloc(const galloc_allocator *self, galloc_layout layout) {
    arena_allocator *a = (arena_allocator *)(uintptr_t)self;
    size_t pages = (layout.size + 64) / PAGE + 2;
    if (layout.align > 16 || a->next_page + pages > ARENA_PAGES)
        return NULL;
    unsigned char *page = a->pages + a->next_page * PAGE;
    a->next_page += pages;
    unsigned char *ptr = a->place == PAGE_END ? page + PAGE - 16 : page + 32;
    for (int i = 0; i < MAX_LIVE; i++) {
        if (a->live[i].ptr == NULL) {
            a->live[i].ptr = ptr;
            a->live[i].layout = layout;
            return ptr;
        }
    }
    return NULL;
}

static void arena_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    arena_allocator *a = (arena_allocator *)(uintptr_t)self;
    for (int i = 0; i < MAX_LIVE; i++) {
        if (a->live[i].ptr == ptr) {
            if (a->live[i].layout.size != layout.size || a->live[i].layout.align != layout.align)
                a->errors++;
            a->live[i].ptr = NULL;
            return;
        }
    }
    a->errors++;
}

/* No realloc: the front end allocates, copies and releases, so every
 * realloc moves the block - to wherever `place` says. */
static arena_allocator arena = {{arena_alloc, arena_dealloc, NULL, NULL, "page arena"},
                                NULL, 0, PAGE_END, {{NULL, {0, 0}}}, 0};
GALLOC_GLOBAL_ALLOCATOR(arena);

static int live_blocks(void) {
    int n = 0;
    for (int i = 0; i < MAX_LIVE; i++)
        n += arena.live[i].ptr != NULL;
    return n;
}

static int setup(void **state) {
    (void)state;
    arena.pages = galloc_allocator_alloc(&galloc_system, layout_of(ARENA_PAGES * PAGE, PAGE));
    return arena.pages == NULL;
}

static int teardown(void **state) {
    (void)state;
    galloc_allocator_dealloc(&galloc_system, arena.pages, layout_of(ARENA_PAGES * PAGE, PAGE));
    return 0;
}

static void a_block_whose_header_would_start_a_page_is_shifted(void **state) {
    (void)state;
    arena.place = PAGE_END;
    unsigned char *p = galloc_libc_malloc(100);
    unsigned char *z = galloc_libc_calloc(10, 10);
    assert_non_null(p);
    assert_non_null(z);
    /* Both allocations' base + 16 began a page: shifted by 16 more. */
    assert_int_equal((uintptr_t)p % PAGE, 16);
    assert_int_equal((uintptr_t)z % PAGE, 16);
    assert_true(galloc_libc_owns(p));
    assert_true(galloc_libc_owns(z));
    assert_true(is_all_zero(z, 100));
    fill_pattern(p, 100, 1);
    assert_true(has_pattern(p, 100, 1));

    arena.place = MID_PAGE;
    unsigned char *q = galloc_libc_malloc(100);
    assert_non_null(q);
    assert_int_equal((uintptr_t)q % PAGE, 32 + 16); /* not shifted */
    assert_true(galloc_libc_owns(q));

    galloc_libc_free(p);
    galloc_libc_free(z);
    galloc_libc_free(q);
    assert_int_equal(live_blocks(), 0);
    /* This arena never touches released memory: the headers are as they
     * were, but for what galloc_libc_free spoiled, so a second free of any
     * of them would be caught. */
    assert_false(galloc_libc_owns(p));
    assert_false(galloc_libc_owns(z));
    assert_false(galloc_libc_owns(q));
    assert_int_equal(arena.errors, 0);
}

static void a_realloc_that_changes_the_shift_moves_the_data(void **state) {
    (void)state;
    /* Shifted -> not shifted -> shifted, growing and shrinking. */
    static const struct {
        enum placement place;
        size_t size;
    } steps[] = {{MID_PAGE, 3000}, {PAGE_END, 5000}, {PAGE_END, 200},
                 {MID_PAGE, 100},  {PAGE_END, 7000}};
    arena.place = PAGE_END;
    size_t size = 1000;
    unsigned char *p = galloc_libc_malloc(size);
    assert_non_null(p);
    fill_pattern(p, size, 2);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        arena.place = steps[i].place;
        p = galloc_libc_realloc(p, steps[i].size);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % PAGE, steps[i].place == PAGE_END ? 16 : 48);
        assert_true(galloc_libc_owns(p));
        size_t kept = size < steps[i].size ? size : steps[i].size;
        assert_true(has_pattern(p, kept, 2));
        size = steps[i].size;
        fill_pattern(p, size, 2);
        assert_int_equal(live_blocks(), 1);
    }
    galloc_libc_free(p);
    assert_int_equal(live_blocks(), 0);
    assert_int_equal(arena.errors, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_block_whose_header_would_start_a_page_is_shifted),
        cmocka_unit_test(a_realloc_that_changes_the_shift_moves_the_data),
    };
    return cmocka_run_group_tests_name("libc-shaped blocks and pages", tests, setup, teardown);
}
