/*
 * testing.h - what every galloc test includes: CMocka and the helpers for
 * checking blocks (blocks.h).
 */
#ifndef GALLOC_TESTING_H
#define GALLOC_TESTING_H

/* CMocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "blocks.h"

#endif
