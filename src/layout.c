/*
 * layout.c - layout arithmetic.  Every computation is checked: an overflow
 * is an error code, never a wrapped size.  Outputs are written only on
 * success, so a caller's previous value survives a failure.
 */
#include "internal.h"

const char *galloc_strerror(int code) {
    switch (code) {
    case GALLOC_OK:
        return "success";
    case GALLOC_EALIGN:
        return "alignment is not a power of two";
    case GALLOC_ESIZE:
        return "size rounded up to the alignment exceeds PTRDIFF_MAX";
    case GALLOC_EOVERFLOW:
        return "layout size computation overflows size_t";
    case GALLOC_ENULL:
        return "output pointer is NULL";
    default:
        return "unknown galloc error";
    }
}

int galloc_layout_validate(galloc_layout layout) {
    return galloc__layout_check(layout.size, layout.align);
}

int galloc_layout_from_size_align(size_t size, size_t align, galloc_layout *out) {
    int rc = galloc__layout_check(size, align);
    if (rc != GALLOC_OK)
        return rc;
    if (out == NULL)
        return GALLOC_ENULL;
    out->size = size;
    out->align = align;
    return GALLOC_OK;
}

/* Valid layouts only: size + (align-1) <= PTRDIFF_MAX, so this cannot wrap. */
static size_t round_up(size_t size, size_t align) {
    return (size + (align - 1)) & ~(align - 1);
}

galloc_layout galloc_layout_pad_to_align(galloc_layout layout) {
    if (galloc__layout_ok(layout.size, layout.align))
        layout.size = round_up(layout.size, layout.align);
    return layout;
}

int galloc_layout_array(galloc_layout elem, size_t n, galloc_layout *out) {
    int rc = galloc_layout_validate(elem);
    if (rc != GALLOC_OK)
        return rc;
    size_t stride = round_up(elem.size, elem.align);
    if (stride != 0 && n > SIZE_MAX / stride)
        return GALLOC_EOVERFLOW;
    return galloc_layout_from_size_align(stride * n, elem.align, out);
}

int galloc_layout_extend(galloc_layout base, galloc_layout next,
                         galloc_layout *out, size_t *offset) {
    int rc = galloc_layout_validate(base);
    if (rc == GALLOC_OK)
        rc = galloc_layout_validate(next);
    if (rc != GALLOC_OK)
        return rc;
    /* No size_t overflow is possible for valid inputs: base.size and
     * next.align - 1 are both <= PTRDIFF_MAX, so the rounding sum is at most
     * SIZE_MAX - 1; the rounded offset is at most PTRDIFF_MAX + 1 and
     * next.size <= PTRDIFF_MAX - (next.align - 1), so the end is at most
     * SIZE_MAX.  Too large is reported by the final validation. */
    size_t mask = next.align - 1;
    size_t field = (base.size + mask) & ~mask;
    size_t align = base.align > next.align ? base.align : next.align;
    rc = galloc_layout_from_size_align(field + next.size, align, out);
    if (rc == GALLOC_OK && offset != NULL)
        *offset = field;
    return rc;
}
