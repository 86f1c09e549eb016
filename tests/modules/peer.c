#include "peer.h"

#include "galloc.h"

void *peer_alloc(size_t size, size_t align) {
    galloc_layout layout = {size, align};
    return galloc_alloc(layout);
}

void *peer_realloc(void *ptr, size_t size, size_t align, size_t new_size) {
    galloc_layout layout = {size, align};
    return galloc_realloc(ptr, layout, new_size);
}

void peer_dealloc(void *ptr, size_t size, size_t align) {
    galloc_layout layout = {size, align};
    galloc_dealloc(ptr, layout);
}

const void *peer_global(void) {
    return galloc_global();
}
