/*
 * test_main.c - runs every host test of libbusdma: one line per test, then the totals
 * ("guest host tests: N passed, N failed"), which test.sh adds to its own.
 */
#include <stdio.h>

#include "harness.h"

int harness_test_failed;

int main(void)
{
    const struct test_case *groups[] = { tag_tests, load_tests, sync_tests, dmamem_tests,
                                         iommu_tests, soak_tests };
    int passed = 0, failed = 0;
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        for (const struct test_case *t = groups[g]; t->name != NULL; t++) {
            harness_test_failed = 0;
            t->run();
            if (harness_test_failed) {
                printf("FAIL %s\n", t->name);
                failed++;
            } else {
                printf("ok   %s\n", t->name);
                passed++;
            }
        }
    }
    printf("guest host tests: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
