/*
 * tour_plugin.c - a plugin, as a third party would ship it: it embeds galloc
 * statically and allocates through galloc's global allocator, and knows
 * nothing about who hosts it.
 */
#include <galloc.h>

#include <stdio.h>
#include <string.h>

#if defined(_WIN32)
#define TOUR_EXPORT __declspec(dllexport)
#else
#define TOUR_EXPORT __attribute__((visibility("default")))
#endif

TOUR_EXPORT int tour_plugin_run(void);

/* Builds a small table of words, grows it, and frees it all. */
int tour_plugin_run(void) {
    static const char *const words[] = {"layout", "alignment", "global", "allocator"};
    galloc_layout slot = GALLOC_LAYOUT_OF(char *);
    size_t capacity = 2, count = 0;
    char **table = galloc_alloc((galloc_layout){capacity * slot.size, slot.align});
    if (table == NULL)
        return 1;
    for (size_t i = 0; i < 4; i++) {
        if (count == capacity) {
            table = galloc_realloc(table, (galloc_layout){capacity * slot.size, slot.align},
                                   2 * capacity * slot.size);
            if (table == NULL)
                return 1;
            capacity *= 2;
        }
        size_t len = strlen(words[i]) + 1;
        table[count] = galloc_alloc((galloc_layout){len, 1});
        if (table[count] == NULL)
            return 1;
        memcpy(table[count++], words[i], len);
    }
    /* A cache-line aligned scratch buffer, zeroed. */
    void *scratch = galloc_alloc_zeroed((galloc_layout){256, 64});
    printf("  plugin: built a table of %zu words; galloc_global() here is \"%s\"\n", count,
           galloc_global()->name);
    galloc_dealloc(scratch, (galloc_layout){256, 64});
    for (size_t i = 0; i < count; i++)
        galloc_dealloc(table[i], (galloc_layout){strlen(table[i]) + 1, 1});
    galloc_dealloc(table, (galloc_layout){capacity * slot.size, slot.align});
    return 0;
}
