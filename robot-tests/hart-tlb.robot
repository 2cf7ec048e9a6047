*** Comments ***
The hart's own software-refilled TLB (docs/hart-tlb.md): firmware (guest/hart-tlb, built with
`make -C guest firmware`, into guest/build/hart-tlb) touches 1024 pages through a 16-entry TLB; every miss traps precisely
into its handler, which walks a two-level page table kept in frames borrowed from the frame pool
and read through the unmapped segment, and refills with a random write; a last phase lets the TSB
assist refill without a trap. The firmware's results block and the TLB's counters are checked.


*** Settings ***
Resource                        ${CURDIR}/framealloc.resource
Test Setup                      Begin Checked Test
Test Teardown                   End Checked Test


*** Variables ***
${HART_TLB_REPL}                ${CURDIR}/../platforms/framealloc-riscv64-hart-tlb.repl
${HART_TLB_ELF}                 ${CURDIR}/../guest/build/hart-tlb/hart-tlb.elf
${HART_TLB}                     0x10006000
# Firmware results block (guest/hart-tlb/main.c, struct hart_tlb_results).
${RESULTS}                      0x40070000
${RESULT_WORDS}                 18
${GOOD}                         0x600D
${REGION_PAGES}                 1024
# Hart TLB registers.
${HT_STATUS}                    0x28
${HT_MISSES}                    0x48
${HT_REFILLS}                   0x4C
${HT_TSB_REFILLS}               0x50
${HT_TRAPS}                     0x54
${HT_NESTED}                    0x5C
${HT_FAULT_PENDING}             1


*** Keywords ***
Create Hart TLB Board
    Create Board
    Execute Command             machine LoadPlatformDescription @${HART_TLB_REPL}
    # The TLB runs its hart in one-instruction translation blocks (docs/hart-tlb.md, "Why one
    # instruction per block"); nothing in the script sets it.
    Hart Should Run One Instruction Blocks
    Execute Command             sysbus LoadELF @${HART_TLB_ELF}
    Create Terminal Tester      sysbus.uart0    timeout=120

Hart Should Run One Instruction Blocks
    ${size}=                    Execute Command    sysbus.cpu MaximumBlockSize
    Should Be Equal As Integers    ${size.strip()}    1

Result
    [Arguments]    ${index}
    ${address}=                 Evaluate    ${RESULTS} + 8 * ${index}
    ${value}=                   Read Quad    ${address}
    RETURN    ${value}

Results
    ${values}=                  Create List
    FOR    ${index}    IN RANGE    ${RESULT_WORDS}
        ${value}=               Result    ${index}
        Append To List          ${values}    ${value}
    END
    RETURN    ${values}

Run Workload To The End
    ${done}=                    Wait For Line On Uart    HART-TLB DONE errors=0
    ${values}=                  Results
    Should Be Equal As Integers    ${values}[0]    ${GOOD}
    RETURN    ${done.Line}    ${values}


*** Test Cases ***
Miss Handler Refills From A Page Table In Unmapped Pool Frames
    Create Hart TLB Board
    ${line}    ${r}=            Run Workload To The End
    # No wrong data, and every trap was a miss the handler served (none outside the region).
    Should Be Equal As Integers    ${r}[1]    0
    Should Be Equal As Integers    ${r}[15]    0
    # Every miss ended in one refill: by the handler after a trap, or by the TSB assist.
    ${misses}=                  Read Register    ${HART_TLB}    ${HT_MISSES}
    ${refills}=                 Read Register    ${HART_TLB}    ${HT_REFILLS}
    ${tsb_refills}=             Read Register    ${HART_TLB}    ${HT_TSB_REFILLS}
    ${traps}=                   Read Register    ${HART_TLB}    ${HT_TRAPS}
    Should Be Equal As Integers    ${misses}    ${refills + ${tsb_refills}}
    Should Be Equal As Integers    ${traps}    ${refills}
    Should Be True              ${tsb_refills} > 0
    # Many more misses than pages (16 entries for 1024 pages, random reads), and the handler ran
    # once per trap: it never missed itself (no nested fault) and no fault is left pending.
    Should Be True              ${misses} > 2 * ${REGION_PAGES}
    Should Be Equal As Integers    ${r}[2]    ${traps}
    Register Should Be          ${HART_TLB}    ${HT_NESTED}    0
    Register Should Be          ${HART_TLB}    ${HT_STATUS}    0
    # What the firmware read from the counters is what the monitor reads.
    Should Be Equal As Integers    ${r}[8]    ${misses}
    Should Be Equal As Integers    ${r}[12]    0
    # Page tables and TSB came from ram_high (above 4 GiB), data pages from ram_dma32.
    Should Be True              ${r}[16] >= ${FOUR_GIB}
    Should Be True              0x80000000 <= ${r}[17] < ${FOUR_GIB}

A Miss Traps Precisely At The Faulting Instruction
    [Documentation]    The firmware's first miss is an amoswap.d (a load into a register and a
    ...                store): at the trap, mepc is that instruction, the register and memory hold
    ...                their old values, the instruction before it (same translation block without
    ...                the one-instruction limit) ran once, and mret's retry does the swap.
    Create Hart TLB Board
    Run Workload To The End
    ${mepc_ok}=                 Result    3
    ${memory_untouched}=        Result    4
    ${rd_untouched}=            Result    5
    ${retried_ok}=              Result    6
    ${earlier_once}=            Result    7
    Should Be Equal As Integers    ${mepc_ok}    1
    Should Be Equal As Integers    ${memory_untouched}    1
    Should Be Equal As Integers    ${rd_untouched}    1
    Should Be Equal As Integers    ${retried_ok}    1
    Should Be Equal As Integers    ${earlier_once}    1

Snapshot With A Miss Pending Restores And Finishes The Same
    [Documentation]    Saved while the handler runs with a miss pending (it prints the line
    ...                before it refills) and every TLB entry is a window of the hart's external
    ...                MMU. Loaded, the run finishes with the same results as an uninterrupted one.
    ...                The hart's MaximumBlockSize is not in Renode's snapshot: the TLB sets it again.
    Create Hart TLB Board
    ${expected_line}    ${expected}=    Run Workload To The End
    ${misses}=                  Read Register    ${HART_TLB}    ${HT_MISSES}

    Reset Emulation
    Create Log Tester           0
    Create Hart TLB Board
    Wait For Line On Uart       HART-TLB TRAP 2000    pauseEmulation=true
    Register Should Be          ${HART_TLB}    ${HT_STATUS}    ${HT_FAULT_PENDING}
    ${snapshot}=                Allocate Temporary File
    Execute Command             Save @${snapshot}
    Execute Command             Load @${snapshot}
    Execute Command             mach set "${MACHINE}"
    Hart Should Run One Instruction Blocks
    Register Should Be          ${HART_TLB}    ${HT_STATUS}    ${HT_FAULT_PENDING}
    Create Terminal Tester      sysbus.uart0    timeout=120
    ${line}    ${r}=            Run Workload To The End
    Should Be Equal             ${line}    ${expected_line}
    Lists Should Be Equal       ${r}    ${expected}
    Register Should Be          ${HART_TLB}    ${HT_MISSES}    ${misses}
