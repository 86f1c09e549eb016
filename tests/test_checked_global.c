/*
 * test_checked_global.c - a checked allocator as the program's global
 * allocator, through the override: galloc_alloc and friends, and the
 * libc-shaped functions, all go through it, and misuse of the global front
 * end is caught like misuse of the allocator object.  A process forked
 * while other threads allocate through it can allocate (issue #11).
 */
#if !defined(_WIN32)
#define _POSIX_C_SOURCE 200809L /* fork, waitpid, alarm, pthreads */
#endif
#include "support/testing.h"

#include <galloc/checked.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(_WIN32)
#include <pthread.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
/* Valgrind's client requests (macros that do nothing outside Valgrind), for
 * the fork test's children. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#endif

static galloc_checked checker = GALLOC_CHECKED_INIT(NULL, "global");
GALLOC_GLOBAL_ALLOCATOR(checker);

static int reports;
static galloc_checked_report last;

static void record(const galloc_checked_report *report, void *context) {
    (void)context;
    reports++;
    last = *report;
}

static int setup(void **state) {
    (void)state;
    galloc_checked_set_report(&checker, record, NULL);
    reports = 0;
    return 0;
}

static void the_checked_allocator_is_the_global_one(void **state) {
    (void)state;
    assert_ptr_equal(galloc_global(), &checker.allocator);
}

static void the_global_front_end_goes_through_it(void **state) {
    (void)state;
    galloc_checked_stats before = galloc_checked_get_stats(&checker);
    unsigned char *p = galloc_alloc(layout_of(40, 64));
    unsigned char *z = galloc_alloc_zeroed(layout_of(40, 8));
    assert_non_null(p);
    assert_non_null(z);
    assert_true(is_aligned(p, 64));
    assert_true(is_all_zero(z, 40));
    p = galloc_realloc(p, layout_of(40, 64), 4000);
    assert_non_null(p);
    assert_true(is_aligned(p, 64));
    galloc_checked_stats during = galloc_checked_get_stats(&checker);
    assert_int_equal(during.allocs - before.allocs, 2);
    assert_int_equal(during.reallocs - before.reallocs, 1);
    assert_int_equal(during.live_bytes - before.live_bytes, 4040);
    galloc_dealloc(p, layout_of(4000, 64));
    galloc_dealloc(z, layout_of(40, 8));
    /* The libc-shaped functions allocate through the global allocator too. */
    void *m = galloc_libc_malloc(100);
    assert_non_null(m);
    assert_int_equal(galloc_checked_get_stats(&checker).live_blocks, before.live_blocks + 1);
    galloc_libc_free(m);
    galloc_checked_stats after = galloc_checked_get_stats(&checker);
    assert_int_equal(after.live_blocks, before.live_blocks);
    assert_int_equal(after.live_bytes, before.live_bytes);
    assert_int_equal(reports, 0);
}

static void misuse_of_the_global_front_end_is_caught(void **state) {
    (void)state;
    void *p = galloc_alloc(layout_of(24, 8));
    galloc_dealloc(p, layout_of(32, 8));
    assert_int_equal(reports, 1);
    assert_int_equal(last.problem, GALLOC_CHECKED_LAYOUT_MISMATCH);
    assert_string_equal(last.allocator, "global");
    errno = 1234;
    galloc_dealloc(p, layout_of(24, 8));
    assert_int_equal(reports, 2);
    assert_int_equal(last.problem, GALLOC_CHECKED_DOUBLE_FREE);
    assert_int_equal(errno, 1234); /* a dealloc keeps errno, reported or not */
    assert_null(galloc_realloc(p, layout_of(24, 8), 100)); /* p is gone */
    assert_int_equal(reports, 3);
    assert_int_equal(last.problem, GALLOC_CHECKED_DOUBLE_FREE);
    void *q = galloc_alloc(layout_of(16, 16));
    ((unsigned char *)q)[16] = 0;
    galloc_dealloc(q, layout_of(16, 16));
    assert_int_equal(reports, 4);
    assert_int_equal(last.problem, GALLOC_CHECKED_OVERRUN);
    assert_int_equal(last.offset, 16);
}

#if !defined(_WIN32)
/* Forks made while threads allocate (a quarter of them, plus one, with
 * nested checkers).  Without the fork gate of checked.c, nearly every child
 * hangs (195 to 199 of 200 here, natively and under ASan; 150 to 163 under
 * TSan): it was forked while a thread held a checker's lock, which nobody
 * in the child releases.  Under Valgrind, where a fork and its child take
 * some 50 ms, 20 (16 to 20 of which hung without the gate).
 * GALLOC_FORK_TEST_FORKS sets the count (1 to 100000). */
#define FORKS 200
#define FORKS_UNDER_VALGRIND 20
#define ALLOCATING_THREADS 2
/* Seconds a child, and a whole test of forks, may take before SIGALRM
 * kills it: a deadlock (in a child, or in a fork that waits for ever)
 * fails the test instead of hanging the suite. */
#define CHILD_SECONDS 10
#define PARENT_SECONDS 120
#define MAX_CHECKERS 3

static int stop_allocating;   /* __atomic: set when the forks are done */
static int allocation_failed; /* __atomic: a thread got NULL */

/* The global front end (via NULL) or an explicit allocator. */
static void *alloc_via(const galloc_allocator *via, galloc_layout layout) {
    return via != NULL ? galloc_allocator_alloc(via, layout) : galloc_alloc(layout);
}

static void *realloc_via(const galloc_allocator *via, void *ptr, galloc_layout layout,
                         size_t new_size) {
    return via != NULL ? galloc_allocator_realloc(via, ptr, layout, new_size)
                       : galloc_realloc(ptr, layout, new_size);
}

static void dealloc_via(const galloc_allocator *via, void *ptr, galloc_layout layout) {
    if (via != NULL)
        galloc_allocator_dealloc(via, ptr, layout);
    else
        galloc_dealloc(ptr, layout);
}

typedef struct allocating_thread {
    pthread_t thread;
    const galloc_allocator *via; /* NULL: galloc_alloc & co. and galloc_libc_* */
    size_t round;
} allocating_thread;

/* Allocates, grows, fills and frees blocks of varying layouts until told to
 * stop.  Threads cannot fail a CMocka assertion (it longjmps to the main
 * thread), so a failure is recorded. */
static void *allocate_until_stopped(void *arg) {
    allocating_thread *t = arg;
    while (!__atomic_load_n(&stop_allocating, __ATOMIC_ACQUIRE)) {
        size_t size = 8 + t->round % 500, align = (size_t)8 << t->round % 4;
        unsigned char *p = alloc_via(t->via, layout_of(size, align));
        unsigned char *q = p == NULL ? NULL : realloc_via(t->via, p, layout_of(size, align), 2 * size);
        char *m = t->via == NULL ? galloc_libc_malloc(size) : "";
        if (q == NULL || m == NULL) {
            __atomic_store_n(&allocation_failed, 1, __ATOMIC_RELAXED);
            dealloc_via(t->via, q == NULL ? p : q, layout_of(q == NULL ? size : 2 * size, align));
        } else {
            memset(q, 1, 2 * size);
            dealloc_via(t->via, q, layout_of(2 * size, align));
        }
        if (t->via == NULL)
            galloc_libc_free(m);
        t->round++;
    }
    return NULL;
}

static void start_allocating(allocating_thread *threads, size_t count) {
    __atomic_store_n(&stop_allocating, 0, __ATOMIC_RELAXED);
    for (size_t i = 0; i < count; i++) {
        threads[i].round = i * 1000;
        assert_int_equal(pthread_create(&threads[i].thread, NULL, allocate_until_stopped,
                                        &threads[i]),
                         0);
    }
}

static void stop_allocating_and_join(allocating_thread *threads, size_t count) {
    __atomic_store_n(&stop_allocating, 1, __ATOMIC_RELEASE);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(pthread_join(threads[i].thread, NULL), 0);
    assert_int_equal(__atomic_load_n(&allocation_failed, __ATOMIC_RELAXED), 0);
}

/* What each child does: allocate, realloc and free a few blocks through
 * the global front end, the libc-shaped functions and each checked
 * allocator given, check that their tables are whole and that the blocks
 * are all gone, and exit, with 1 if anything failed. */
static void child_allocates_and_exits(galloc_checked *const *checkers, size_t count) {
    alarm(CHILD_SECONDS);
#if defined(VALGRIND_CLO_CHANGE)
    /* The blocks the parent's threads were using at the fork are copied
     * into the child, but nothing there points to their start any more
     * (their threads are gone), so Valgrind's leak check at the child's
     * exit would call them lost.  The child's own blocks are counted by the
     * checkers instead (live_blocks below); memory errors still fail it. */
    VALGRIND_CLO_CHANGE("--leak-check=no");
#endif
    size_t live[MAX_CHECKERS];
    for (size_t c = 0; c < count; c++)
        live[c] = galloc_checked_get_stats(checkers[c]).live_blocks;
    int failed = 0;
    for (size_t c = 0; c <= count; c++) {
        const galloc_allocator *via = c < count ? &checkers[c]->allocator : NULL;
        for (size_t i = 0; i < 4; i++) {
            galloc_layout layout = layout_of(24 + 40 * i, (size_t)8 << i);
            unsigned char *p = alloc_via(via, layout);
            unsigned char *q = p == NULL ? NULL : realloc_via(via, p, layout, 1000 + i);
            failed |= q == NULL;
            if (q != NULL) {
                memset(q, 2, 1000 + i);
                dealloc_via(via, q, layout_of(1000 + i, layout.align));
            }
        }
    }
    char *m = galloc_libc_malloc(100);
    char *n = m == NULL ? NULL : galloc_libc_realloc(m, 10000);
    failed |= n == NULL;
    galloc_libc_free(n != NULL ? n : m);
    for (size_t c = 0; c < count; c++) {
        failed |= galloc_checked_verify(checkers[c]) != 0;
        failed |= galloc_checked_get_stats(checkers[c]).live_blocks != live[c];
    }
    _exit(failed);
}

static int fork_count(void) {
    const char *text = getenv("GALLOC_FORK_TEST_FORKS");
    long n = text != NULL ? strtol(text, NULL, 10) : 0;
    if (n >= 1 && n <= 100000)
        return (int)n;
#if defined(RUNNING_ON_VALGRIND)
    if (RUNNING_ON_VALGRIND)
        return FORKS_UNDER_VALGRIND;
#endif
    return FORKS;
}

/* How a series of forks went. */
typedef struct forks_made {
    int forks, done;
    int status; /* the last child's (waitpid), or -1: fork/waitpid failed */
    int error;  /* errno, if status is -1 */
} forks_made;

/* Forks `forks` children, one at a time, each running
 * child_allocates_and_exits(checkers); the first failure ends the series,
 * since a hung child costs CHILD_SECONDS.  (Children _exit: nothing
 * buffered is written twice.) */
static forks_made fork_children(int forks, galloc_checked *const *checkers, size_t count) {
    forks_made made = {forks, 0, 0, 0};
    for (; made.done < forks; made.done++) {
        pid_t child = fork();
        if (child == 0)
            child_allocates_and_exits(checkers, count);
        if (child < 0 || waitpid(child, &made.status, 0) != child) {
            made.error = errno;
            made.status = -1;
            break;
        }
        if (!WIFEXITED(made.status) || WEXITSTATUS(made.status) != 0)
            break;
    }
    return made;
}

static void assert_every_child_succeeded(forks_made made) {
    if (made.done == made.forks)
        return;
    int n = made.done + 1, status = made.status;
    if (status == -1)
        fail_msg("fork %d of %d: fork or waitpid failed (errno %d)", n, made.forks, made.error);
    else if (WIFSIGNALED(status))
        fail_msg("child %d of %d was killed by signal %d%s", n, made.forks, WTERMSIG(status),
                 WTERMSIG(status) == SIGALRM ? " (SIGALRM: it hung)" : "");
    else
        fail_msg("child %d of %d exited with %d", n, made.forks, WEXITSTATUS(status));
}
#endif

static void a_child_forked_while_threads_allocate_can_allocate(void **state) {
    (void)state;
#if defined(_WIN32)
    skip(); /* no fork */
#else
    alarm(PARENT_SECONDS);
    galloc_checked_stats before = galloc_checked_get_stats(&checker);
    allocating_thread threads[ALLOCATING_THREADS] = {{0}};
    start_allocating(threads, ALLOCATING_THREADS);
    galloc_checked *const checkers[] = {&checker};
    forks_made made = fork_children(fork_count(), checkers, 1);
    stop_allocating_and_join(threads, ALLOCATING_THREADS);
    alarm(0);
    assert_every_child_succeeded(made);
    galloc_checked_stats after = galloc_checked_get_stats(&checker);
    assert_int_equal(after.live_blocks, before.live_blocks);
    assert_true(after.allocs > before.allocs);
    assert_int_equal(after.problems, before.problems);
    assert_int_equal(reports, 0);
#endif
}

#if !defined(_WIN32)
/* A fork made by a leak callback: its allocator's lock is held then. */
typedef struct fork_in_callback {
    galloc_checked *const *child_uses;
    size_t count;
    forks_made made;
} fork_in_callback;

static void fork_from_the_callback(galloc_layout layout, size_t blocks, void *context) {
    (void)layout;
    (void)blocks;
    fork_in_callback *f = context;
    if (f->made.forks == 0) /* once, whatever the number of groups */
        f->made = fork_children(1, f->child_uses, f->count);
}
#endif

/* A checked allocator wrapping another (both stack objects, as in any
 * function): the outer one's lock is held while the inner one works, so a
 * thread inside both must not wait for a fork that waits for it; and a fork
 * made by a thread that holds a checker's lock (from a leak callback here,
 * or a report hook of a wrapped checker) must not wait for the threads that
 * wait for that lock. */
static void nested_checked_allocators_survive_forks_made_anywhere(void **state) {
    (void)state;
#if defined(_WIN32)
    skip(); /* no fork */
#else
    alarm(PARENT_SECONDS);
    galloc_checked inner, outer;
    galloc_checked_init(&inner, NULL, "inner");
    galloc_checked_init(&outer, &inner.allocator, "outer");
    /* (Also makes outer's table, in inner: a child that made it would see
     * one more block live in inner.) */
    void *kept = galloc_allocator_alloc(&outer.allocator, layout_of(40, 8));
    assert_non_null(kept);
    allocating_thread threads[ALLOCATING_THREADS] = {{0}};
    threads[0].via = &outer.allocator;
    start_allocating(threads, ALLOCATING_THREADS); /* the other one: the global */
    galloc_checked *const checkers[] = {&outer, &inner, &checker};
    forks_made made = fork_children(fork_count() / 4 + 1, checkers, 3);

    /* The callback (called for kept's group) runs under outer's lock, which
     * the thread allocating through outer waits for; the child cannot use
     * outer (its copy of the lock is held by the callback, in the child
     * too), only the others. */
    fork_in_callback in_callback = {checkers + 1, 2, {0, 0, 0, 0}};
    galloc_checked_leaks(&outer, fork_from_the_callback, &in_callback);
    galloc_allocator_dealloc(&outer.allocator, kept, layout_of(40, 8));

    stop_allocating_and_join(threads, ALLOCATING_THREADS);
    alarm(0);
    assert_every_child_succeeded(made);
    assert_int_equal(in_callback.made.forks, 1);
    assert_every_child_succeeded(in_callback.made);
    assert_int_equal(galloc_checked_get_stats(&outer).problems, 0);
    assert_int_equal(galloc_checked_get_stats(&inner).problems, 0);
    assert_int_equal(galloc_checked_destroy(&outer), 0); /* its table is in inner */
    assert_int_equal(galloc_checked_destroy(&inner), 0);
    assert_int_equal(reports, 0);
#endif
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(the_checked_allocator_is_the_global_one, setup),
        cmocka_unit_test_setup(the_global_front_end_goes_through_it, setup),
        cmocka_unit_test_setup(misuse_of_the_global_front_end_is_caught, setup),
        cmocka_unit_test_setup(a_child_forked_while_threads_allocate_can_allocate, setup),
        cmocka_unit_test_setup(nested_checked_allocators_survive_forks_made_anywhere, setup),
    };
    int failed = cmocka_run_group_tests_name("checked allocator as the global", tests, NULL,
                                             NULL);
    /* Whatever the tests left live is a leak of the test itself. */
    return failed != 0 || galloc_checked_leaks(&checker, NULL, NULL) != 0;
}
