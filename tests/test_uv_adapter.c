/*
 * test_uv_adapter.c - galloc_uv_install() routes libuv's own allocations
 * through galloc's global allocator.  An executable with a counting
 * override runs a libuv loop doing real work on loopback: a TCP echo server
 * and client exchanging data, a repeating timer, and a file written and read
 * back through uv_fs_*.  libuv's allocations must reach the override, and
 * every block must be returned once the loop is closed.
 */
#include "support/child.h"
#include "support/counting.h"
#include "support/testing.h"

#include <galloc/uv.h>

#include <string.h>

#include <uv.h>

static counting_allocator counting = COUNTING_ALLOCATOR_INIT("uv counting");
GALLOC_GLOBAL_ALLOCATOR(counting);

static long live_blocks(void) {
    return counting_read(&counting.allocs) + counting_read(&counting.zeroed_allocs) -
           counting_read(&counting.deallocs);
}

/* Allocations this test makes itself (read buffers, write requests), to
 * tell them apart from libuv's. */
static long own_allocations;

static void *own_malloc(size_t size) {
    own_allocations++;
    return galloc_libc_malloc(size);
}

/* ------------------------------------------------------------------------
 * TCP echo on 127.0.0.1.
 * ------------------------------------------------------------------------ */

#define MESSAGE "hello galloc, through libuv and back; "
#define REPEAT 200

static uv_loop_t loop;
static uv_tcp_t server, client, accepted;
static uv_connect_t connect_req;
static char sent[sizeof MESSAGE * REPEAT];
static size_t sent_len;
static char received[sizeof sent];
static size_t received_len;
static int echo_ok;

typedef struct write_job {
    uv_write_t req;
    uv_buf_t buf;
} write_job;

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf) {
    (void)handle;
    buf->base = own_malloc(suggested);
    buf->len = buf->base != NULL ? (unsigned)suggested : 0;
}

static void on_closed(uv_handle_t *handle) {
    (void)handle;
}

static void on_written(uv_write_t *req, int status) {
    (void)status;
    write_job *job = (write_job *)req;
    galloc_libc_free(job->buf.base);
    galloc_libc_free(job);
}

/* Sends a copy of data on stream; the copy is freed when the write is done. */
static void send_copy(uv_stream_t *stream, const char *data, size_t len) {
    write_job *job = own_malloc(sizeof *job);
    char *copy = own_malloc(len);
    assert_non_null(job);
    assert_non_null(copy);
    memcpy(copy, data, len);
    job->buf = uv_buf_init(copy, (unsigned)len);
    assert_int_equal(uv_write(&job->req, stream, &job->buf, 1, on_written), 0);
}

static void on_server_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
    if (nread > 0)
        send_copy(stream, buf->base, (size_t)nread); /* echo */
    else if (nread < 0)
        uv_close((uv_handle_t *)stream, on_closed); /* the client is gone */
    galloc_libc_free(buf->base);
}

static void on_connection(uv_stream_t *listener, int status) {
    assert_int_equal(status, 0);
    assert_int_equal(uv_tcp_init(&loop, &accepted), 0);
    assert_int_equal(uv_accept(listener, (uv_stream_t *)&accepted), 0);
    assert_int_equal(uv_read_start((uv_stream_t *)&accepted, on_alloc, on_server_read), 0);
}

static void on_client_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
    if (nread > 0) {
        assert_true(received_len + (size_t)nread <= sent_len);
        memcpy(received + received_len, buf->base, (size_t)nread);
        received_len += (size_t)nread;
        if (received_len == sent_len) {
            echo_ok = memcmp(sent, received, sent_len) == 0;
            uv_close((uv_handle_t *)stream, on_closed);
            uv_close((uv_handle_t *)&server, on_closed);
        }
    }
    galloc_libc_free(buf->base);
}

static void on_connect(uv_connect_t *req, int status) {
    assert_int_equal(status, 0);
    assert_int_equal(uv_read_start(req->handle, on_alloc, on_client_read), 0);
    send_copy(req->handle, sent, sent_len);
}

static void start_echo(void) {
    for (size_t i = 0; i < REPEAT; i++) {
        memcpy(sent + sent_len, MESSAGE, sizeof MESSAGE - 1);
        sent_len += sizeof MESSAGE - 1;
    }
    struct sockaddr_in addr;
    assert_int_equal(uv_ip4_addr("127.0.0.1", 0, &addr), 0);
    assert_int_equal(uv_tcp_init(&loop, &server), 0);
    assert_int_equal(uv_tcp_bind(&server, (const struct sockaddr *)&addr, 0), 0);
    assert_int_equal(uv_listen((uv_stream_t *)&server, 8, on_connection), 0);
    struct sockaddr_storage bound;
    int len = (int)sizeof bound;
    assert_int_equal(uv_tcp_getsockname(&server, (struct sockaddr *)&bound, &len), 0);
    assert_int_equal(uv_tcp_init(&loop, &client), 0);
    assert_int_equal(uv_tcp_connect(&connect_req, &client, (const struct sockaddr *)&bound,
                                    on_connect),
                     0);
}

/* ------------------------------------------------------------------------
 * A repeating timer.
 * ------------------------------------------------------------------------ */

static uv_timer_t timer;
static int ticks;

static void on_tick(uv_timer_t *handle) {
    if (++ticks == 5)
        uv_close((uv_handle_t *)handle, on_closed);
}

/* ------------------------------------------------------------------------
 * A file written, then read back, through the thread pool.
 * ------------------------------------------------------------------------ */

#define FILE_NAME "galloc_uv_adapter_test.txt"
#define FILE_TEXT "written and read by libuv, allocated by galloc\n"

static uv_fs_t fs_req;
static uv_file file;
static char file_buf[128];
static uv_buf_t file_iov;
static int file_ok;

static void on_fs(uv_fs_t *req);

/* The steps, in order; each callback starts the next. */
enum { OPEN_W, WRITE, CLOSE_W, OPEN_R, READ, CLOSE_R, UNLINK, DONE } fs_step;

static void fs_next(void) {
    int rc = 0;
    switch (fs_step) {
    case OPEN_W:
        rc = uv_fs_open(&loop, &fs_req, FILE_NAME,
                        UV_FS_O_CREAT | UV_FS_O_WRONLY | UV_FS_O_TRUNC, 0644, on_fs);
        break;
    case WRITE:
        memcpy(file_buf, FILE_TEXT, sizeof FILE_TEXT - 1);
        file_iov = uv_buf_init(file_buf, (unsigned)(sizeof FILE_TEXT - 1));
        rc = uv_fs_write(&loop, &fs_req, file, &file_iov, 1, 0, on_fs);
        break;
    case CLOSE_W:
    case CLOSE_R:
        rc = uv_fs_close(&loop, &fs_req, file, on_fs);
        break;
    case OPEN_R:
        rc = uv_fs_open(&loop, &fs_req, FILE_NAME, UV_FS_O_RDONLY, 0, on_fs);
        break;
    case READ:
        memset(file_buf, 0, sizeof file_buf);
        file_iov = uv_buf_init(file_buf, (unsigned)sizeof file_buf);
        rc = uv_fs_read(&loop, &fs_req, file, &file_iov, 1, 0, on_fs);
        break;
    case UNLINK:
        rc = uv_fs_unlink(&loop, &fs_req, FILE_NAME, on_fs);
        break;
    case DONE:
        return;
    }
    assert_int_equal(rc, 0);
}

static void on_fs(uv_fs_t *req) {
    assert_true(req->result >= 0);
    if (fs_step == OPEN_W || fs_step == OPEN_R)
        file = (uv_file)req->result;
    if (fs_step == READ)
        file_ok = req->result == (ssize_t)(sizeof FILE_TEXT - 1) &&
                  memcmp(file_buf, FILE_TEXT, sizeof FILE_TEXT - 1) == 0;
    uv_fs_req_cleanup(req); /* frees what libuv allocated for the request */
    fs_step++;
    fs_next();
}

/* ------------------------------------------------------------------------ */

static void libuv_allocates_through_galloc_and_returns_every_block(void **state) {
    (void)state;
    /* Before any other libuv call (the adapter's rule). */
    assert_int_equal(galloc_uv_install(), 0);
    counting_reset(&counting);
    own_allocations = 0;

    assert_int_equal(uv_loop_init(&loop), 0);
    start_echo();
    assert_int_equal(uv_timer_init(&loop, &timer), 0);
    assert_int_equal(uv_timer_start(&timer, on_tick, 1, 1), 0);
    fs_next();
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);

    assert_true(echo_ok);
    assert_int_equal(received_len, sent_len);
    assert_int_equal(ticks, 5);
    assert_int_equal(fs_step, DONE);
    assert_true(file_ok);
    assert_int_equal(uv_loop_close(&loop), 0);

    long total = counting_read(&counting.allocs) + counting_read(&counting.zeroed_allocs);
    print_message("  libuv made %ld allocations through galloc (the test %ld)\n",
                  total - own_allocations, own_allocations);
    /* libuv itself allocated through galloc, not only this test... */
    assert_true(total > own_allocations);
    /* ...and every block, libuv's and the test's, came back. */
    assert_int_equal(live_blocks(), 0);
    assert_int_equal(counting_read(&counting.contract_violations), 0);
}

/* ------------------------------------------------------------------------
 * uv_fs_realpath: on Unix, libuv before 1.49 hands its free hook the C
 * library's realpath() result (see src/adapters/uv.c).
 * ------------------------------------------------------------------------ */

static char cwd[4096];
static int realpath_callbacks;

static void check_realpath_result(uv_fs_t *req) {
    assert_int_equal(req->result, 0);
    assert_non_null(req->ptr);
    assert_string_equal((const char *)req->ptr, cwd);
#if !defined(_WIN32)
    /* The case this test is for: the block is the C library's, not
     * galloc's, with the libuv versions that have the bug. */
    if (uv_version() < ((1 << 16) | (49 << 8)))
        assert_false(galloc_libc_owns(req->ptr));
#endif
}

static void on_realpath(uv_fs_t *req) {
    check_realpath_result(req);
    realpath_callbacks++;
    uv_fs_req_cleanup(req); /* frees req->ptr through the adapter */
}

static void uv_fs_realpath_works_synchronously_and_through_the_loop(void **state) {
    (void)state;
    assert_int_equal(galloc_uv_install(), 0);
    counting_reset(&counting);
    size_t cwd_len = sizeof cwd;
    assert_int_equal(uv_cwd(cwd, &cwd_len), 0);
    assert_int_equal(uv_loop_init(&loop), 0);

    for (int round = 0; round < 3; round++) {
        uv_fs_t req;
        assert_int_equal(uv_fs_realpath(&loop, &req, ".", NULL), 0); /* no callback */
        check_realpath_result(&req);
        uv_fs_req_cleanup(&req);
        assert_int_equal(uv_fs_realpath(&loop, &fs_req, ".", on_realpath), 0);
        assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    }
    assert_int_equal(realpath_callbacks, 3);
    assert_int_equal(uv_loop_close(&loop), 0);
    /* The requests' own copies of the path went through galloc, and came
     * back; the C library's blocks never reached the override. */
    assert_true(counting_read(&counting.allocs) > 0);
    assert_int_equal(live_blocks(), 0);
    assert_int_equal(counting_read(&counting.contract_violations), 0);
}

/* The same in a child process, whose whole output is checked: a block the
 * adapter handed to the wrong free would abort it (glibc: "free(): invalid
 * pointer") or, caught by galloc_libc_free, be reported and leaked - and
 * under Valgrind the leak fails the child too. */
static const char *self_path;

static void uv_fs_realpath_frees_every_block_to_its_own_allocator(void **state) {
    (void)state;
    char output[8192];
    int status = run_self(self_path, "realpath", output, sizeof output);
    assert_int_equal(status, 0);
    assert_non_null(strstr(output, "[  PASSED  ] 1 test(s)."));
    assert_null(strstr(output, "not a block of galloc"));
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "realpath") == 0) {
        const struct CMUnitTest child[] = {
            cmocka_unit_test(uv_fs_realpath_works_synchronously_and_through_the_loop),
        };
        return cmocka_run_group_tests_name("libuv adapter: realpath", child, NULL, NULL);
    }
    self_path = argv[0];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(libuv_allocates_through_galloc_and_returns_every_block),
        cmocka_unit_test(uv_fs_realpath_frees_every_block_to_its_own_allocator),
    };
    return cmocka_run_group_tests_name("libuv adapter", tests, NULL, NULL);
}
