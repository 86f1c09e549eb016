/*
 * constructor.h - RUN_BEFORE_MAIN(fn): runs `static void fn(void)` during
 * start-up, before main(), on GCC/Clang (ELF and mingw) and MSVC.
 */
#ifndef GALLOC_TEST_CONSTRUCTOR_H
#define GALLOC_TEST_CONSTRUCTOR_H

#if defined(_MSC_VER) && !defined(__clang__)
#pragma section(".CRT$XCU", read)
#define RUN_BEFORE_MAIN(fn)                                                    \
    static void fn(void);                                                      \
    __declspec(allocate(".CRT$XCU")) void (*fn##_entry)(void) = fn;            \
    static void fn(void)
#else
#define RUN_BEFORE_MAIN(fn)                                                    \
    __attribute__((constructor)) static void fn(void);                         \
    static void fn(void)
#endif

#endif
