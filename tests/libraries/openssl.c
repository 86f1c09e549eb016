/*
 * openssl.c - galloc_openssl_install() routes OpenSSL's allocations through
 * the global allocator: SHA-256, an AES-256-GCM round trip, and a TLS 1.3
 * handshake and one message each way between two SSL objects in this
 * process over memory BIOs, with a key and a self-signed certificate made
 * here.  OPENSSL_cleanup() then returns what OpenSSL keeps for the process,
 * and every block must be back.
 */
#include "libraries/global.h"
#include "support/child.h"

#include <galloc/openssl.h>

#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

static void sha256_of_abc(void) {
    static const unsigned char expected[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
        0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
        0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    assert_non_null(ctx);
    assert_int_equal(EVP_DigestInit_ex(ctx, EVP_sha256(), NULL), 1);
    assert_int_equal(EVP_DigestUpdate(ctx, "abc", 3), 1);
    assert_int_equal(EVP_DigestFinal_ex(ctx, digest, &length), 1);
    EVP_MD_CTX_free(ctx);
    assert_int_equal(length, 32);
    assert_memory_equal(digest, expected, 32);
}

/* Encrypts and decrypts a message with AES-256-GCM; a flipped bit in the
 * ciphertext must fail the tag check. */
static void aes_256_gcm_round_trip(void) {
    unsigned char key[32], iv[12], tag[16], cipher[64], plain[64];
    static const char message[] = "galloc routes OpenSSL's memory";
    int length = 0, total = 0;
    for (int i = 0; i < 32; i++)
        key[i] = (unsigned char)(i * 7 + 1);
    for (int i = 0; i < 12; i++)
        iv[i] = (unsigned char)(i + 100);

    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    assert_non_null(ctx);
    assert_int_equal(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv), 1);
    assert_int_equal(EVP_EncryptUpdate(ctx, cipher, &length, (const unsigned char *)message,
                                       (int)sizeof message),
                     1);
    total = length;
    assert_int_equal(EVP_EncryptFinal_ex(ctx, cipher + total, &length), 1);
    total += length;
    assert_int_equal(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag), 1);
    EVP_CIPHER_CTX_free(ctx);

    for (int flip = 0; flip < 2; flip++) {
        ctx = EVP_CIPHER_CTX_new();
        assert_non_null(ctx);
        cipher[0] ^= (unsigned char)flip;
        assert_int_equal(EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv), 1);
        assert_int_equal(EVP_DecryptUpdate(ctx, plain, &length, cipher, total), 1);
        assert_int_equal(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag), 1);
        int verified = EVP_DecryptFinal_ex(ctx, plain + length, &length);
        EVP_CIPHER_CTX_free(ctx);
        cipher[0] ^= (unsigned char)flip;
        if (flip) {
            assert_int_equal(verified, 0);
        } else {
            assert_int_equal(verified, 1);
            assert_memory_equal(plain, message, sizeof message);
        }
    }
}

/* A P-256 key and a self-signed certificate for it, valid for a day. */
static void make_identity(EVP_PKEY **key, X509 **cert) {
    *key = EVP_EC_gen("P-256");
    assert_non_null(*key);
    *cert = X509_new();
    assert_non_null(*cert);
    assert_int_equal(X509_set_version(*cert, 2), 1);
    ASN1_INTEGER_set(X509_get_serialNumber(*cert), 1);
    assert_non_null(X509_gmtime_adj(X509_getm_notBefore(*cert), 0));
    assert_non_null(X509_gmtime_adj(X509_getm_notAfter(*cert), 24 * 3600));
    X509_NAME *name = X509_get_subject_name(*cert);
    assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                                (const unsigned char *)"galloc.test", -1, -1, 0),
                     1);
    assert_int_equal(X509_set_issuer_name(*cert, name), 1);
    assert_int_equal(X509_set_pubkey(*cert, *key), 1);
    assert_true(X509_sign(*cert, *key, EVP_sha256()) > 0);
}

/* Moves whatever one side wrote to the other side's input. */
static void pump(BIO *from, BIO *to) {
    char buf[4096];
    int n;
    while ((n = BIO_read(from, buf, sizeof buf)) > 0)
        assert_int_equal(BIO_write(to, buf, n), n);
}

static void tls13_handshake_and_messages(void) {
    EVP_PKEY *key;
    X509 *cert;
    make_identity(&key, &cert);

    SSL_CTX *server_ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX *client_ctx = SSL_CTX_new(TLS_client_method());
    assert_non_null(server_ctx);
    assert_non_null(client_ctx);
    assert_int_equal(SSL_CTX_set_min_proto_version(server_ctx, TLS1_3_VERSION), 1);
    assert_int_equal(SSL_CTX_set_min_proto_version(client_ctx, TLS1_3_VERSION), 1);
    assert_int_equal(SSL_CTX_use_certificate(server_ctx, cert), 1);
    assert_int_equal(SSL_CTX_use_PrivateKey(server_ctx, key), 1);
    /* The client trusts exactly this certificate. */
    assert_int_equal(X509_STORE_add_cert(SSL_CTX_get_cert_store(client_ctx), cert), 1);
    SSL_CTX_set_verify(client_ctx, SSL_VERIFY_PEER, NULL);

    SSL *server = SSL_new(server_ctx), *client = SSL_new(client_ctx);
    assert_non_null(server);
    assert_non_null(client);
    /* Each side reads from its own input BIO and writes to its output BIO;
     * pump() carries the bytes across. */
    BIO *server_in = BIO_new(BIO_s_mem()), *server_out = BIO_new(BIO_s_mem());
    BIO *client_in = BIO_new(BIO_s_mem()), *client_out = BIO_new(BIO_s_mem());
    assert_non_null(server_in);
    assert_non_null(client_out);
    SSL_set_bio(server, server_in, server_out);
    SSL_set_bio(client, client_in, client_out);
    SSL_set_accept_state(server);
    SSL_set_connect_state(client);
    assert_int_equal(SSL_set_tlsext_host_name(client, "galloc.test"), 1);

    int client_done = 0, server_done = 0;
    for (int round = 0; round < 20 && !(client_done && server_done); round++) {
        if (!client_done)
            client_done = SSL_do_handshake(client) == 1;
        pump(client_out, server_in);
        if (!server_done)
            server_done = SSL_do_handshake(server) == 1;
        pump(server_out, client_in);
    }
    assert_true(client_done);
    assert_true(server_done);
    assert_int_equal(SSL_version(client), TLS1_3_VERSION);
    assert_int_equal(SSL_get_verify_result(client), X509_V_OK);

    static const char ping[] = "ping from the client", pong[] = "pong from the server";
    char got[64];
    assert_int_equal(SSL_write(client, ping, sizeof ping), (int)sizeof ping);
    pump(client_out, server_in);
    assert_int_equal(SSL_read(server, got, sizeof got), (int)sizeof ping);
    assert_memory_equal(got, ping, sizeof ping);
    assert_int_equal(SSL_write(server, pong, sizeof pong), (int)sizeof pong);
    pump(server_out, client_in);
    /* (The client first reads the server's session tickets.) */
    assert_int_equal(SSL_read(client, got, sizeof got), (int)sizeof pong);
    assert_memory_equal(got, pong, sizeof pong);

    SSL_free(server); /* frees its BIOs */
    SSL_free(client);
    SSL_CTX_free(server_ctx);
    SSL_CTX_free(client_ctx);
    X509_free(cert);
    EVP_PKEY_free(key);
}

static void crypto_and_tls_allocate_through_the_global_allocator(void **state) {
    (void)state;
    library_global_is_installed();
    library_global_counts before = library_global_start();
    assert_int_equal(galloc_openssl_install(), 1);

    sha256_of_abc();
    aes_256_gcm_round_trip();
    tls13_handshake_and_messages();
    assert_int_equal(ERR_peek_error(), 0);
    /* What OpenSSL keeps for the process; it cannot be used afterwards. */
    OPENSSL_cleanup();

    library_global_check(before, 1000, "OpenSSL");
}

/* OpenSSL's rule, in a process of its own: once OpenSSL has allocated
 * with its default functions, installing is refused (0) - blocks malloc
 * made must not reach galloc's free. */
static const char *self_path;

static int late_install_child(void) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new(); /* OpenSSL allocates with malloc */
    EVP_MD_CTX_free(ctx);
    printf("late install: %d\n", galloc_openssl_install());
    return 0;
}

static void installing_after_openssl_allocated_is_refused(void **state) {
    (void)state;
    char output[4096];
    assert_int_equal(run_self(self_path, "late-install", output, sizeof output), 0);
    assert_non_null(strstr(output, "late install: 0\n"));
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "late-install") == 0)
        return late_install_child();
    self_path = argv[0];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crypto_and_tls_allocate_through_the_global_allocator),
        cmocka_unit_test(installing_after_openssl_allocated_is_refused),
    };
    return cmocka_run_group_tests_name("OpenSSL adapter", tests, NULL, NULL);
}
