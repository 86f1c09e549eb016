/*
 * strdup.h - strdup over galloc_libc_malloc, for the adapters whose library
 * takes a strdup hook too (libcurl, libxml2): the copy is then freed by
 * the library through galloc_libc_free.
 */
#ifndef GALLOC_ADAPTERS_STRDUP_H
#define GALLOC_ADAPTERS_STRDUP_H

#include <galloc.h>

#include <string.h>

static char *galloc_adapter_strdup(const char *string) {
    size_t size = strlen(string) + 1;
    char *copy = (char *)galloc_libc_malloc(size);
    if (copy != NULL)
        memcpy(copy, string, size);
    return copy;
}

#endif /* GALLOC_ADAPTERS_STRDUP_H */
