/*
 * curl.c - galloc_curl_global_init() routes libcurl's allocations through
 * the global allocator: a file:// transfer of a file written here, into
 * memory, checked byte for byte; then curl_global_cleanup().
 */
#include "libraries/global.h"

#include <galloc/curl.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FILE_SIZE 200000

typedef struct sink {
    char *data;
    size_t size;
} sink;

/* libcurl's write callback: appends to the sink, grown with the
 * libc-shaped functions (the test's own allocations). */
static size_t collect(char *bytes, size_t size, size_t count, void *userdata) {
    sink *s = userdata;
    size_t n = size * count;
    char *grown = galloc_libc_realloc(s->data, s->size + n);
    if (grown == NULL)
        return 0;
    memcpy(grown + s->size, bytes, n);
    s->data = grown;
    s->size += n;
    return n;
}

static void a_file_transfer_allocates_through_the_global_allocator(void **state) {
    (void)state;
    library_global_is_installed();
    /* (The counting and the checked build may run at the same time.) */
    char path[64];
    snprintf(path, sizeof path, "galloc_curl_test_%ld.txt", (long)getpid());
    char expected[FILE_SIZE];
    for (size_t i = 0; i < sizeof expected; i++)
        expected[i] = (char)('A' + i % 26);
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(expected, 1, sizeof expected, file), sizeof expected);
    assert_int_equal(fclose(file), 0);
    char cwd[4096], url[4200];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(url, sizeof url, "file://%s/%s", cwd, path);

    library_global_counts before = library_global_start();
    assert_int_equal(galloc_curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
    sink received = {NULL, 0};
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    assert_int_equal(curl_easy_setopt(curl, CURLOPT_URL, url), CURLE_OK);
    assert_int_equal(curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect), CURLE_OK);
    assert_int_equal(curl_easy_setopt(curl, CURLOPT_WRITEDATA, &received), CURLE_OK);
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK)
        fail_msg("curl: %s", curl_easy_strerror(rc));
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    remove(path);

    assert_int_equal(received.size, sizeof expected);
    assert_memory_equal(received.data, expected, sizeof expected);
    galloc_libc_free(received.data);
    library_global_check(before, 20, "libcurl");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_file_transfer_allocates_through_the_global_allocator),
    };
    return cmocka_run_group_tests_name("libcurl adapter", tests, NULL, NULL);
}
