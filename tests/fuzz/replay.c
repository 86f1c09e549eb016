/*
 * replay.c - runs the fuzz harness on files, without libFuzzer: every
 * compiler and platform of the suite (gcc, clang, mingw-w64 under Wine,
 * MSVC) replays the seed corpus as an ordinary test, and a crash file that
 * libFuzzer wrote can be replayed under a debugger.
 *
 *     fuzz_replay [-v] FILE...
 *
 * -v writes every operation and its result to stderr.  A model mismatch
 * aborts (fuzz_ops.c), so the exit status is the verdict.
 */
#define _CRT_SECURE_NO_WARNINGS /* MSVC: fopen is what is wanted here */

#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a whole file into a malloc'd buffer (never NULL on success, even
 * for an empty file); returns 0, or -1 with a message. */
static int read_file(const char *path, uint8_t **data, size_t *size) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        perror(path);
        return -1;
    }
    size_t capacity = 4096, used = 0;
    uint8_t *buffer = malloc(capacity);
    while (buffer != NULL) {
        used += fread(buffer + used, 1, capacity - used, file);
        if (used < capacity)
            break;
        uint8_t *bigger = realloc(buffer, capacity * 2);
        if (bigger == NULL) {
            free(buffer);
            buffer = NULL;
        } else {
            buffer = bigger;
            capacity *= 2;
        }
    }
    int failed = buffer == NULL || ferror(file);
    fclose(file);
    if (failed) {
        fprintf(stderr, "%s: cannot read it\n", path);
        free(buffer);
        return -1;
    }
    *data = buffer;
    *size = used;
    return 0;
}

int main(int argc, char **argv) {
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        fuzz_trace = 1;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: %s [-v] FILE...  (fuzz inputs to replay)\n", argv[0]);
        return 2;
    }
    for (int i = first; i < argc; i++) {
        uint8_t *data;
        size_t size;
        if (read_file(argv[i], &data, &size) != 0)
            return 1;
        printf("%s (%zu bytes)\n", argv[i], size);
        fflush(stdout); /* so a failure's message follows its file's name */
        LLVMFuzzerTestOneInput(data, size);
        free(data);
    }
    printf("replayed %d inputs: all agree with the model\n", argc - first);
    return 0;
}
