/*
 * zlib.c - galloc_zlib_use() routes a z_stream's allocations through the
 * global allocator: 8 MiB deflated and inflated back, the round trip
 * checked byte for byte.
 */
#include "libraries/global.h"

#include <galloc/zlib.h>

#include <string.h>

#define DATA_SIZE ((size_t)8 << 20)

/* Compressible but not trivial: text-like runs with a pseudo-random walk. */
static void make_data(unsigned char *data, size_t size) {
    unsigned state = 12345;
    for (size_t i = 0; i < size; i++) {
        state = state * 1103515245u + 12345u;
        data[i] = (unsigned char)('a' + (state >> 16) % 8 + (i / 4096) % 4);
    }
}

static void eight_mib_round_trip_through_the_global_allocator(void **state) {
    (void)state;
    library_global_is_installed();
    library_global_counts before = library_global_start();

    unsigned char *data = galloc_libc_malloc(DATA_SIZE);
    unsigned char *packed = galloc_libc_malloc(DATA_SIZE + DATA_SIZE / 100 + 1024);
    unsigned char *back = galloc_libc_malloc(DATA_SIZE);
    assert_non_null(data);
    assert_non_null(packed);
    assert_non_null(back);
    make_data(data, DATA_SIZE);

    z_stream deflater;
    memset(&deflater, 0, sizeof deflater);
    galloc_zlib_use(&deflater);
    assert_int_equal(deflateInit(&deflater, 6), Z_OK);
    deflater.next_in = data;
    deflater.avail_in = (uInt)DATA_SIZE;
    deflater.next_out = packed;
    deflater.avail_out = (uInt)(DATA_SIZE + DATA_SIZE / 100 + 1024);
    assert_int_equal(deflate(&deflater, Z_FINISH), Z_STREAM_END);
    size_t packed_size = deflater.total_out;
    assert_int_equal(deflateEnd(&deflater), Z_OK);
    assert_true(packed_size < DATA_SIZE / 2);

    z_stream inflater;
    memset(&inflater, 0, sizeof inflater);
    galloc_zlib_use(&inflater);
    assert_int_equal(inflateInit(&inflater), Z_OK);
    inflater.next_in = packed;
    inflater.avail_in = (uInt)packed_size;
    inflater.next_out = back;
    inflater.avail_out = (uInt)DATA_SIZE;
    assert_int_equal(inflate(&inflater, Z_FINISH), Z_STREAM_END);
    assert_int_equal(inflater.total_out, DATA_SIZE);
    assert_int_equal(inflateEnd(&inflater), Z_OK);
    assert_memory_equal(back, data, DATA_SIZE);

    galloc_libc_free(data);
    galloc_libc_free(packed);
    galloc_libc_free(back);
    /* The three buffers, deflate's five blocks (its state, window, hash
     * chains, hash heads and pending buffer) and inflate's state. */
    library_global_check(before, 3 + 5 + 1, "zlib");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eight_mib_round_trip_through_the_global_allocator),
    };
    return cmocka_run_group_tests_name("zlib adapter", tests, NULL, NULL);
}
