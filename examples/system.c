/*
 * system.c - a program that does not override anything: galloc's global
 * allocator is the System allocator (malloc & co. on Unix, the process heap
 * on Windows), and every layout gets its alignment.
 */
#include <galloc.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct particle {
    double position[3];
    float mass;
};

int main(void) {
    const galloc_allocator *global = galloc_global();
    printf("global allocator: %s (%s)\n", global->name,
           global == &galloc_system ? "the System allocator" : "an override");

    /* A typed array: the layout of 1000 particles, overflow-checked. */
    galloc_layout particles;
    if (galloc_layout_array(GALLOC_LAYOUT_OF(struct particle), 1000, &particles) != 0)
        return 1;
    struct particle *p = galloc_alloc_zeroed(particles);
    if (p == NULL)
        return 1;
    printf("  %zu particles: %zu bytes, align %zu -> %p (zeroed)\n", (size_t)1000,
           particles.size, particles.align, (void *)p);
    galloc_dealloc(p, particles);

    /* Over-aligned buffers: cache lines, pages. */
    static const size_t aligns[] = {64, 4096};
    for (size_t i = 0; i < 2; i++) {
        galloc_layout layout = {10000, aligns[i]};
        unsigned char *buf = galloc_alloc(layout);
        if (buf == NULL)
            return 1;
        memset(buf, 0x2a, layout.size);
        buf = galloc_realloc(buf, layout, 50000); /* keeps data and alignment */
        if (buf == NULL)
            return 1;
        printf("  align %4zu: realloc'd to 50000 bytes at %p, aligned: %s, data kept: %s\n",
               aligns[i], (void *)buf,
               ((uintptr_t)buf % aligns[i]) == 0 ? "yes" : "NO",
               buf[9999] == 0x2a ? "yes" : "NO");
        galloc_dealloc(buf, (galloc_layout){50000, aligns[i]});
    }

    /* A bad layout is an error, not a crash. */
    galloc_layout bad;
    int rc = galloc_layout_from_size_align(100, 3, &bad);
    printf("  layout {100, align 3}: %s\n", galloc_strerror(rc));
    return 0;
}
