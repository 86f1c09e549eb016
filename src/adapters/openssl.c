/*
 * openssl.c - the OpenSSL adapter.  OpenSSL's hooks are malloc-shaped (with
 * the caller's file and line, unused here): galloc's libc-shaped functions.
 */
#include <galloc/openssl.h>

#include <openssl/crypto.h>

static void *openssl_malloc(size_t size, const char *file, int line) {
    (void)file;
    (void)line;
    return galloc_libc_malloc(size);
}

/* OpenSSL hands a size of 0 to the hook as well: freed, NULL returned,
 * which is what CRYPTO_realloc does itself. */
static void *openssl_realloc(void *ptr, size_t size, const char *file, int line) {
    (void)file;
    (void)line;
    return galloc_libc_realloc(ptr, size);
}

static void openssl_free(void *ptr, const char *file, int line) {
    (void)file;
    (void)line;
    galloc_libc_free(ptr);
}

int galloc_openssl_install(void) {
    return CRYPTO_set_mem_functions(openssl_malloc, openssl_realloc, openssl_free);
}
