/*
 * galloc/expat.h - the expat adapter: a parser's allocations go through
 * galloc's global allocator.  Link galloc::expat (CMake), which brings
 * expat and galloc.
 */
#ifndef GALLOC_EXPAT_H
#define GALLOC_EXPAT_H

#include <galloc.h>

#include <expat.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * XML_ParserCreate(encoding), with galloc's allocation functions given to
 * XML_ParserCreate_MM() (the libc-shaped functions of galloc.h: expat frees
 * without a size, so each block carries a 16-byte header).  expat's hooks
 * are per parser, so every parser is made this way (XML_ParserCreateNS and
 * the other constructors are not covered: use XML_ParserCreate_MM with
 * the same functions for those).  Everything the parser allocates,
 * including its copies for XML_ExternalEntityParserCreate, is released by
 * XML_ParserFree.
 *
 * @return the parser, or NULL if it could not be allocated.
 */
XML_Parser galloc_expat_parser_create(const XML_Char *encoding);

#ifdef __cplusplus
}
#endif

#endif /* GALLOC_EXPAT_H */
