/*
 * expat.c - the expat adapter.  expat's memory suite is malloc, realloc
 * and free: galloc's libc-shaped functions.
 */
#include <galloc/expat.h>

XML_Parser galloc_expat_parser_create(const XML_Char *encoding) {
    static const XML_Memory_Handling_Suite suite = {
        galloc_libc_malloc, galloc_libc_realloc, galloc_libc_free,
    };
    return XML_ParserCreate_MM(encoding, &suite, NULL);
}
