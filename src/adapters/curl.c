/*
 * curl.c - the libcurl adapter.  libcurl's hooks are the C library's five
 * functions: galloc's libc-shaped ones, and a strdup over them.
 */
#include <galloc/curl.h>

#include "strdup.h"

CURLcode galloc_curl_global_init(long flags) {
    return curl_global_init_mem(flags, galloc_libc_malloc, galloc_libc_free,
                                galloc_libc_realloc, galloc_adapter_strdup,
                                galloc_libc_calloc);
}
