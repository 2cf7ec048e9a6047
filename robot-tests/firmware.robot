*** Comments ***
Guest software on the board's hart (guest/): the self-test firmware drives the frame pool, both
DMA engines and the TLB through libbusdma and its drivers, with completions, TLB misses and errors
taken as interrupts through the PLIC and virtual time running; it prints one line per test and a
summary on the UART. The first-driver example (guest/example/first_driver.c) runs as well.
The ELFs are build outputs: `make -C guest firmware` (./test.sh builds them first).


*** Settings ***
Resource                        ${CURDIR}/framealloc.resource
Test Setup                      Begin Checked Test
Test Teardown                   End Checked Test


*** Variables ***
${SELFTEST_ELF}                 ${CURDIR}/../guest/build/riscv/selftest.elf
${FIRST_DRIVER_ELF}             ${CURDIR}/../guest/build/riscv/first-driver.elf
# Virtual seconds the whole self-test may take (it needs about 1.1 s).
${VIRTUAL_SECONDS}              3
# Bytes per second of virtual time: transfers take time, so their completion arrives by
# interrupt while the hart waits in wfi.
${DMA24_BANDWIDTH}              50000000
${DMA32_BANDWIDTH}              200000000
# Every test of guest/firmware, in the order it runs.
@{SELFTEST_TESTS}
...    setup: engines, TLB domain, tags and descriptor rings
...    frame pool: identity and the board's three ranges
...    frame pool: the firmware image is reserved
...    frame pool: borrow and return in each range
...    frame pool: aligned, bounded and scattered borrowing
...    frame pool error 1 INVALID_SIZE
...    frame pool error 2 INVALID_ALIGNMENT
...    frame pool error 3 INVALID_BOUNDARY
...    frame pool error 4 INVALID_WINDOW
...    frame pool error 5 INVALID_SEGMENT_LIMITS
...    frame pool error 6 NO_RANGE_IN_WINDOW
...    frame pool error 7 INSUFFICIENT_MEMORY
...    frame pool error 8 FRAGMENTED
...    frame pool error 10 NOT_ALLOCATED
...    frame pool error 11 PARTIAL_FREE
...    frame pool error 32 RESULT_NOT_IN_MEMORY
...    frame pool error 33 BAD_SEGMENT_COUNT
...    frame pool error 34 UNKNOWN_COMMAND
...    frame pool error 35 UNKNOWN_RANGE_INDEX
...    frame pool error 36 UNKNOWN_PREFERRED_RANGE
...    bus_dma: 24-bit engine copies through bounce pages
...    bus_dma: 32-bit engine copies directly
...    bus_dma: 32-bit engine above 4 GiB through the TLB, misses refilled by the interrupt handler
...    bus_dma: TSB assist refills the TLB without interrupts
...    TLB: an access to an unmapped I/O page is aborted
...    TLB: a device write to a read-only mapping is aborted
...    DMA engine: bad descriptors are reported by interrupt
...    bus_dma: misuse is an error code
...    exhaustion: with every frame borrowed bus_dma returns ENOMEM, then recovers
...    exhaustion: I/O virtual space runs out (ENOMEM), then recovers
...    soak: 160 random transfers, every byte checked
...    no frames leaked


*** Keywords ***
Boot Firmware
    [Documentation]    The board of the other suites, with engines that take virtual time, a
    ...                tester on the UART that fails at the first FAIL or FATAL line, and ${elf}
    ...                loaded (its entry point is the hart's PC) and running.
    [Arguments]    ${elf}
    Create Board
    Execute Command             sysbus.dma24 Bandwidth ${DMA24_BANDWIDTH}
    Execute Command             sysbus.dma32 Bandwidth ${DMA32_BANDWIDTH}
    Create Terminal Tester      sysbus.uart0    timeout=${VIRTUAL_SECONDS}
    Register Failing Uart String    FAIL
    Register Failing Uart String    FATAL
    Execute Command             sysbus LoadELF @${elf}
    Start Emulation


*** Test Cases ***
Self-Test Firmware Passes Every Test Within The Virtual Time Bound
    Boot Firmware               ${SELFTEST_ELF}
    Wait For Line On Uart       selftest: libbusdma on framealloc-riscv64
    FOR    ${test}    IN    @{SELFTEST_TESTS}
        Wait For Line On Uart   PASS ${test}
    END
    ${summary}=                 Wait For Line On Uart    ^(\\d+) passed, (\\d+) failed    treatAsRegex=true
    ${count}=                   Get Length    ${SELFTEST_TESTS}
    Should Be Equal As Integers    ${summary.Groups[0]}    ${count}    tests passed
    Should Be Equal As Integers    ${summary.Groups[1]}    0    tests failed
    # The tester's timestamp is the virtual time, in milliseconds, when the line was complete.
    Should Be True              ${summary.Timestamp} < ${VIRTUAL_SECONDS} * 1000    summary after ${summary.Timestamp} ms of virtual time

First Driver Example Copies Its Buffer
    Boot Firmware               ${FIRST_DRIVER_ELF}
    ${line}=                    Wait For Line On Uart    mycopy: copied 8192 bytes from 0x1
    Should Contain              ${line.Line}    bounced: ok
