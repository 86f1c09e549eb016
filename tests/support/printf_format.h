/*
 * printf_format.h - PRINTF_FORMAT(f, a): has GCC and clang check the
 * printf-style arguments of a function whose parameter f is the format and
 * a the first argument it formats.  mingw-w64's printf with %zu is its own
 * (__USE_MINGW_ANSI_STDIO), checked under its own format name.  For the
 * test programs; the conformance kit, a library of its own, keeps its copy.
 */
#ifndef GALLOC_TEST_PRINTF_FORMAT_H
#define GALLOC_TEST_PRINTF_FORMAT_H

#include <stdio.h> /* (mingw-w64 defines __MINGW_PRINTF_FORMAT in its headers) */

#if defined(__MINGW32__) && defined(__MINGW_PRINTF_FORMAT)
#define PRINTF_FORMAT(f, a) __attribute__((format(__MINGW_PRINTF_FORMAT, f, a)))
#elif defined(__GNUC__) || defined(__clang__)
#define PRINTF_FORMAT(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_FORMAT(f, a)
#endif

#endif
