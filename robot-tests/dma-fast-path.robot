*** Comments ***
What the fast memory path of the DMA engines (host copies between Renode's MappedMemory segments,
issue 11) must keep: the hart executes code a transfer just wrote (its translation blocks are
invalidated), a range that runs from RAM into a hole or into another device's registers still
stops with DataNotInMemory and touches nothing (translated pages, copied in runs where they are
physically contiguous, move up to the page that is not RAM and no further), a chain continued in steps survives a snapshot, a
long chain does not hold the emulator inside one register write, and a large copy allocates
nothing of its size.


*** Settings ***
Resource                        ${CURDIR}/framealloc.resource
Test Setup                      Begin Checked Test
Test Teardown                   End Checked Test


*** Variables ***
${DATA_NOT_IN_MEMORY}           8
# RAM for the tests, inside ram_dma32 [0x8000_0000, 0x9000_0000).
${CODE}                         0x88000000
${NEW_CODE}                     0x88001000
${RING}                         0x88100000
${SOURCE_AREA}                       0x88200000
${TARGET_AREA}                       0x88300000
${RAM_DMA32_END}                0x90000000
${RAM_LOW_END}                  0x01000000
${CLINT}                        0x02000000
# From the last 4 KiB of ram_low (0xFFF000) to 0x100 bytes past the CLINT's base.
${TO_CLINT_LENGTH}              0x1001100
# addi a0, zero, 1 / addi a0, zero, 2 / j .
${LOAD_ONE}                     0x00100513
${LOAD_TWO}                     0x00200513
${SPIN}                         0x0000006f
${BLOCK}                        0x1000
# Device-virtual pages for dma32 (inside its window; nothing is mapped there on the bus).
${VIRTUAL_PAGE}                 0x40000000
${FIRST_FREE_ENTRY}             4


*** Keywords ***
A0 Should Be
    [Arguments]    ${expected}
    ${raw}=                     Execute Command    sysbus.cpu GetRegister 10
    ${value}=                   Evaluate    int($raw.strip(), 0)
    Should Be Equal As Integers    ${value}    ${expected}    a0

Run Code At
    [Arguments]    ${address}
    Execute Command             sysbus.cpu PC ${address}
    Run Virtual Time            0.0001

Copy With Dma32
    [Arguments]    ${from}    ${to}    ${length}
    Put Descriptor              ${RING}    ${from}    ${to}    ${length}    ${END_OF_CHAIN}
    Start Channel               ${DMA32}    0    ${RING}

Chain Of Three Blocks
    [Documentation]    Three 4 KiB descriptors, ${SOURCE_AREA} to ${TARGET_AREA}, each block's first 16 words a pattern.
    FOR    ${i}    IN RANGE    3
        ${from}=                Evaluate    ${SOURCE_AREA} + ${BLOCK} * ${i}
        Fill Pattern            ${from}    16    ${i} + 40
    END
    ${second}=                  Evaluate    ${RING} + 32
    ${third}=                   Evaluate    ${RING} + 64
    ${from_1}=                  Evaluate    ${SOURCE_AREA} + ${BLOCK}
    ${to_1}=                    Evaluate    ${TARGET_AREA} + ${BLOCK}
    ${from_2}=                  Evaluate    ${SOURCE_AREA} + 2 * ${BLOCK}
    ${to_2}=                    Evaluate    ${TARGET_AREA} + 2 * ${BLOCK}
    Put Descriptor              ${RING}    ${SOURCE_AREA}    ${TARGET_AREA}    ${BLOCK}    0    ${second}
    Put Descriptor              ${second}    ${from_1}    ${to_1}    ${BLOCK}    0    ${third}
    Put Descriptor              ${third}    ${from_2}    ${to_2}    ${BLOCK}    ${END_OF_CHAIN}

Only The First Block Should Have Landed
    Pattern Should Be At        ${TARGET_AREA}    16    40
    ${second}=                  Evaluate    ${TARGET_AREA} + ${BLOCK}
    ${third}=                   Evaluate    ${TARGET_AREA} + 2 * ${BLOCK}
    Words Should Be Zero        ${second}    16
    Words Should Be Zero        ${third}    16

All Blocks Should Have Landed
    FOR    ${i}    IN RANGE    3
        ${to}=                  Evaluate    ${TARGET_AREA} + ${BLOCK} * ${i}
        Pattern Should Be At    ${to}    16    ${i} + 40
    END

Chain Should Be Busy After
    [Arguments]    ${descriptors}
    ${status}=                  Channel Register    ${DMA32}    0    ${CH_STATUS}
    ${state}=                   Evaluate    ${status} & (${STATUS_BUSY} | ${STATUS_DONE} | ${STATUS_ERROR})
    Should Be Equal As Integers    ${state}    ${STATUS_BUSY}    STATUS ${status}: expected busy
    ${count}=                   Channel Register    ${DMA32}    0    ${CH_DESCRIPTORS_DONE}
    Should Be Equal As Integers    ${count}    ${descriptors}    DESCRIPTORS_DONE


*** Test Cases ***
The Hart Executes Code A Transfer Just Wrote
    Create Board
    Write Word                  ${CODE}    ${LOAD_ONE}
    ${spin_at}=                 Evaluate    ${CODE} + 4
    Write Word                  ${spin_at}    ${SPIN}
    Run Code At                 ${CODE}
    A0 Should Be                1
    # The same address now holds translated code; the DMA overwrites it with other code.
    Write Word                  ${NEW_CODE}    ${LOAD_TWO}
    ${new_spin_at}=             Evaluate    ${NEW_CODE} + 4
    Write Word                  ${new_spin_at}    ${SPIN}
    Copy With Dma32             ${NEW_CODE}    ${CODE}    ${BLOCK}
    Channel Should Have Finished    ${DMA32}    0    ${BLOCK}    1
    Run Code At                 ${CODE}
    A0 Should Be                2

A Source Running From Ram Into A Hole Stops And Touches Nothing
    Create Board
    Fill Pattern                ${TARGET_AREA}    16    7
    ${from}=                    Evaluate    ${RAM_DMA32_END} - 0x1000
    Copy With Dma32             ${from}    ${TARGET_AREA}    0x2000
    Channel Should Have Failed    ${DMA32}    0    ${DATA_NOT_IN_MEMORY}
    Register Should Be          ${DMA32}    0x114    0
    Pattern Should Be At        ${TARGET_AREA}    16    7

A Destination Running From Ram Into Registers Stops And Touches Nothing
    Create Board
    # From the last 4 KiB of ram_low over the hole up to the CLINT's first registers.
    ${destination}=             Evaluate    ${RAM_LOW_END} - 0x1000
    Fill Pattern                ${destination}    16    8
    Fill Pattern                ${SOURCE_AREA}    16    9
    Copy With Dma32             ${SOURCE_AREA}    ${destination}    ${TO_CLINT_LENGTH}
    Channel Should Have Failed    ${DMA32}    0    ${DATA_NOT_IN_MEMORY}
    Register Should Be          ${DMA32}    0x114    0
    Pattern Should Be At        ${destination}    16    8
    ${msip}=                    Read Word    ${CLINT}
    Should Be Equal As Integers    ${msip}    0    CLINT MSIP

A Translated Copy Into A Hole Moves The Pages Before It
    [Documentation]    Three device-virtual pages mapped to the last two frames of ram_dma32 and the
    ...                hole after it: the two pages in RAM move (one run: they are physically
    ...                contiguous), the third stops the channel at the hole, whose address it reports.
    Create Board
    Fill Pattern                ${SOURCE_AREA}    16    11
    ${second_source}=           Evaluate    ${SOURCE_AREA} + ${BLOCK}
    Fill Pattern                ${second_source}    16    12
    FOR    ${i}    IN RANGE    3
        ${virtual}=             Evaluate    ${VIRTUAL_PAGE} + ${BLOCK} * ${i}
        ${physical}=            Evaluate    ${RAM_DMA32_END} - 2 * ${BLOCK} + ${BLOCK} * ${i}
        ${index}=               Evaluate    ${FIRST_FREE_ENTRY} + ${i}
        Tlb Write Entry         ${index}    ${virtual}    ${physical}    ${DMA32_INITIATOR}    ${TLB_WRITE}
    END
    Put Descriptor              ${RING}    ${SOURCE_AREA}    ${VIRTUAL_PAGE}    0x3000    ${END_OF_CHAIN} | ${TRANSLATE_DESTINATION}
    Start Channel               ${DMA32}    0    ${RING}
    Channel Should Have Failed    ${DMA32}    0    ${DATA_NOT_IN_MEMORY}
    Register Should Be          ${DMA32}    0x114    0x2000
    ${fault}=                   Channel Register    ${DMA32}    0    ${CH_FAULT_ADDRESS}
    Should Be Equal As Integers    ${fault}    ${RAM_DMA32_END}    FAULT_ADDR
    ${last_two}=                Evaluate    ${RAM_DMA32_END} - 2 * ${BLOCK}
    ${last_one}=                Evaluate    ${RAM_DMA32_END} - ${BLOCK}
    Pattern Should Be At        ${last_two}    16    11
    Pattern Should Be At        ${last_one}    16    12
    Tlb Should Have No Fault

A Chain Beyond The Step Bound Continues On Virtual Time
    Create Board
    Execute Command             sysbus.dma32 ChainStepBytes ${BLOCK}
    Chain Of Three Blocks
    Start Channel               ${DMA32}    0    ${RING}
    # The START write copied one step (one block); the rest waits for the emulator to run.
    Chain Should Be Busy After    1
    Only The First Block Should Have Landed
    Run Virtual Time            0.0001
    Channel Should Have Finished    ${DMA32}    0    0x3000    3
    All Blocks Should Have Landed
    Channel Interrupt Should Arrive    ${DMA32}    0    ${DMA32_CH0_IRQ}

A Snapshot Taken Between Steps Completes With The Same Bytes
    Create Board
    Execute Command             sysbus.dma32 ChainStepBytes ${BLOCK}
    Chain Of Three Blocks
    Start Channel               ${DMA32}    0    ${RING}
    Chain Should Be Busy After    1
    ${snapshot}=                Allocate Temporary File
    Execute Command             Save @${snapshot}
    Execute Command             Clear
    Execute Command             Load @${snapshot}
    Execute Command             mach set "${MACHINE}"
    Chain Should Be Busy After    1
    Only The First Block Should Have Landed
    Run Virtual Time            0.0001
    Channel Should Have Finished    ${DMA32}    0    0x3000    3
    All Blocks Should Have Landed

A Large Copy Allocates Nothing Of Its Size
    Create Board
    # A first small copy: what is built once per bus (the memory map) is not counted.
    Copy With Dma32             ${SOURCE_AREA}    ${TARGET_AREA}    ${BLOCK}
    Channel Should Have Finished    ${DMA32}    0    ${BLOCK}    1
    Put Descriptor              ${RING}    0x80000000    0x84000000    0x1000000    ${END_OF_CHAIN}
    Write Register Pair         ${DMA32}    0x100    ${RING}
    # Allocations on the thread that runs the START write (the monitor's): those of a write
    # that starts nothing (STATUS of channel 1) are the baseline, subtracted.
    ${allocated}=               Execute Command    python "import System; w = monitor.Machine.SystemBus.WriteDoubleWord; g = System.GC.GetAllocatedBytesForCurrentThread; w(0x1000414C, 0); a = g(); w(0x1000414C, 0); b = g(); w(0x10004108, 1); c = g(); print((c - b) - (b - a))"
    Channel Should Have Finished    ${DMA32}    0    0x1000000    1
    ${bytes}=                   Evaluate    int($allocated.strip())
    Should Be True              ${bytes} < 0x10000    a 16 MiB copy allocated ${bytes} bytes
