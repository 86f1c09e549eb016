/*
 * libxml2.c - the libxml2 adapter.  libxml2's hooks are malloc, realloc,
 * free and strdup shaped: galloc's libc-shaped functions, and a strdup
 * over them.
 */
#include <galloc/libxml2.h>

#include "strdup.h"

#include <libxml/xmlmemory.h>

int galloc_libxml2_install(void) {
    return xmlMemSetup(galloc_libc_free, galloc_libc_malloc, galloc_libc_realloc,
                       galloc_adapter_strdup);
}
