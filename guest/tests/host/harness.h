/*
 * harness.h - the host tests' runner: each test is a function; a failed CHECK reports the
 * line and the values and ends that test. main prints one line per test and the totals.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdio.h>

struct test_case {
    const char *name;
    void (*run)(void);
};

extern int harness_test_failed;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            printf("    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);          \
            harness_test_failed = 1;                                                     \
            return;                                                                      \
        }                                                                                \
    } while (0)

#define CHECK_EQ(actual, expected)                                                       \
    do {                                                                                 \
        unsigned long long a_ = (unsigned long long)(actual);                            \
        unsigned long long e_ = (unsigned long long)(expected);                          \
        if (a_ != e_) {                                                                  \
            printf("    %s:%d: %s is 0x%llx (%llu), expected %s = 0x%llx (%llu)\n",       \
                   __FILE__, __LINE__, #actual, a_, a_, #expected, e_, e_);              \
            harness_test_failed = 1;                                                     \
            return;                                                                      \
        }                                                                                \
    } while (0)

#define TEST(name) { #name, name }

extern const struct test_case tag_tests[];
extern const struct test_case load_tests[];
extern const struct test_case sync_tests[];
extern const struct test_case dmamem_tests[];
extern const struct test_case iommu_tests[];
extern const struct test_case soak_tests[];

#endif
