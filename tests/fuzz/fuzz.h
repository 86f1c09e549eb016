/*
 * fuzz.h - the input encoding of the fuzz harness (fuzz_ops.c), shared with
 * the program that writes the seed corpus (seeds.c), so that the seeds say
 * what they do in the harness's own words.
 *
 * An input is a sequence of operations on FUZZ_SLOTS slots, each slot empty
 * or holding one block.  Each operation is a command byte and its argument
 * bytes; a byte past the end of the input reads as 0.
 *
 *   command    bits 0-2: the operation (enum fuzz_op)
 *              bits 3-4: the target (enum fuzz_target)
 *              bits 5-7: for the libc target's calloc, the element count
 *   slot       one byte, modulo FUZZ_SLOTS (every operation but CHECK)
 *   align      one byte (ALLOC, ZEROED, REALLOC, DEALLOC):
 *                < FUZZ_ALIGN_ANY    1 << (byte % 5): 1..16
 *                < FUZZ_ALIGN_ODD    1 << (byte % 17): 1..65536
 *                else                odd alignment number (byte & 15), see
 *                                    enum fuzz_odd_align: mostly invalid
 *   size       one byte, and two more for the wide classes (ALLOC, ZEROED,
 *              REALLOC; after the align, as some extreme sizes depend on it):
 *                < FUZZ_SIZE_WIDE    the byte itself: 0..191; but for
 *                                    REALLOC, FUZZ_SIZE_RELATIVE + n is
 *                                    relative to the slot's size: n <= 16
 *                                    adds n - 8 (at least 0), 17 doubles,
 *                                    18 halves, 19..31 add 1 << (n - 15)
 *                < FUZZ_SIZE_SHIFTED the next two bytes (little-endian):
 *                                    0..65535
 *                < FUZZ_SIZE_EXTREME the same shifted left by 1 + (byte % 4):
 *                                    up to about 1 MiB (rarer: blocks above
 *                                    128 KiB are slow under ASan)
 *                else                extreme size number (byte & 15), see
 *                                    enum fuzz_extreme_size
 *
 * The harness never misuses a block: on a live one, REALLOC and DEALLOC
 * pass the block's own layout, unless the align byte makes that layout
 * invalid, and then the invalid layout, which must be refused.
 */
#ifndef GALLOC_FUZZ_H
#define GALLOC_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_SLOTS 32

enum fuzz_op {
    FUZZ_ALLOC = 0,   /* releases what the slot holds, then allocates */
    FUZZ_ZEROED = 1,  /* the same, zeroed (libc target: calloc) */
    FUZZ_REALLOC = 2, /* resizes the slot's block (from NULL if empty) */
    FUZZ_DEALLOC = 3, /* releases the slot's block (NULL if empty) */
    FUZZ_REFILL = 4,  /* new contents for the slot's block */
    FUZZ_CHECK = 5,   /* verifies every slot, and the checked allocator */
    FUZZ_ALLOC_2 = 6, /* FUZZ_ALLOC again: allocations and reallocs are */
    FUZZ_REALLOC_2 = 7 /* what matters most, so they get two codes each */
};

/* Who serves an operation.  A block stays with its family: the libc and the
 * checked targets release what they allocated; the global front end and
 * galloc_allocator_* on &galloc_system are one family while the global
 * allocator is the System allocator (so a block may go from one to the
 * other), two in a program linked with an override. */
enum fuzz_target {
    FUZZ_GLOBAL = 0,  /* galloc_alloc, galloc_alloc_zeroed, ... */
    FUZZ_SYSTEM = 1,  /* galloc_allocator_*(&galloc_system, ...) */
    FUZZ_LIBC = 2,    /* galloc_libc_malloc, _calloc, _realloc, _free */
    FUZZ_CHECKED = 3  /* galloc_allocator_* on a galloc_checked over System */
};

/* The targets' names, for messages and seed file names. */
static const char *const fuzz_target_names[] = {"global", "system", "libc", "checked"};

#define FUZZ_ALIGN_ANY 0x80
#define FUZZ_ALIGN_ODD 0xF0
#define FUZZ_SIZE_RELATIVE 0xA0
#define FUZZ_SIZE_WIDE 0xC0
#define FUZZ_SIZE_SHIFTED 0xE8
#define FUZZ_SIZE_EXTREME 0xF0

/* The alignments of the odd class, by number. */
enum fuzz_odd_align {
    FUZZ_ODD_ZERO,        /* 0 */
    FUZZ_ODD_3,           /* not powers of two... */
    FUZZ_ODD_5,
    FUZZ_ODD_6,
    FUZZ_ODD_12,
    FUZZ_ODD_24,
    FUZZ_ODD_48,
    FUZZ_ODD_100,
    FUZZ_ODD_65535,
    FUZZ_ODD_65537,
    FUZZ_ODD_TWO_BITS,    /* 0x10010 */
    FUZZ_ODD_1M,          /* 1 << 20: valid, and served */
    FUZZ_ODD_PTRDIFF_MAX, /* not a power of two */
    FUZZ_ODD_QUARTER,     /* SIZE_MAX / 4 + 1: valid, but no one has it */
    FUZZ_ODD_HALF,        /* SIZE_MAX / 2 + 1: valid for size 0 only */
    FUZZ_ODD_SIZE_MAX     /* SIZE_MAX */
};

/* The sizes of the extreme class, by number. */
enum fuzz_extreme_size {
    FUZZ_EXT_SIZE_MAX,        /* SIZE_MAX */
    FUZZ_EXT_SIZE_MAX_1,      /* SIZE_MAX - 1 */
    FUZZ_EXT_SIZE_MAX_PAGE,   /* SIZE_MAX - 4095 */
    FUZZ_EXT_PTRDIFF_MAX_P1,  /* PTRDIFF_MAX + 1 */
    FUZZ_EXT_PTRDIFF_MAX,     /* PTRDIFF_MAX */
    FUZZ_EXT_PTRDIFF_MAX_1,   /* PTRDIFF_MAX - 1 */
    FUZZ_EXT_PTRDIFF_MAX_15,  /* PTRDIFF_MAX - 15 */
    FUZZ_EXT_PTRDIFF_MAX_16,  /* PTRDIFF_MAX - 16 */
    FUZZ_EXT_PTRDIFF_MAX_64K, /* PTRDIFF_MAX - 65535 */
    FUZZ_EXT_LARGEST_VALID,   /* PTRDIFF_MAX - (align - 1): the largest
                                * valid size for the alignment */
    FUZZ_EXT_SMALLEST_INVALID,/* one more */
    FUZZ_EXT_QUARTER,         /* SIZE_MAX / 4 + 1 */
    FUZZ_EXT_THIRD,           /* SIZE_MAX / 3 */
    FUZZ_EXT_32M,             /* 32 MiB + 8 KiB: where glibc's realloc remaps */
    FUZZ_EXT_48M,             /* 48 MiB */
    FUZZ_EXT_1M_ODD           /* 1 MiB + 1 */
};

/* Non-zero: the harness writes each operation and its result to stderr
 * (replay.c's -v). */
extern int fuzz_trace;

/* The libFuzzer entry point: fuzz_ops.c defines it, libFuzzer or replay.c
 * calls it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
