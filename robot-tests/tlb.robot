*** Comments ***
The software-managed TLB (docs/software-tlb.md) in front of dma32 and in front of Renode's stock
PDMA: a miss stalls the transfer and raises the TLB's interrupt, software refills the entry through
the staging registers and resumes, and the right bytes arrive; an abort stops the transfer; the
TSB assist refills from a table in a frame borrowed from the pool, without an interrupt. The
32-bit engine reaches RAM above 4 GiB this way: its device-virtual addresses stay in its window.


*** Settings ***
Resource                        ${CURDIR}/framealloc.resource
Test Setup                      Begin Checked Test
Test Teardown                   End Checked Test


*** Variables ***
${WORDS}                        16
# Device-virtual pages (inside dma32's 32-bit window; nothing is mapped there on the bus).
${VA_PAGE_0}                    0x40000000
${VA_PAGE_1}                    0x40001000
# 256 bytes straddling the two pages: 128 before the page boundary, 128 after.
${VA_SOURCE}                    0x40000F80
${TLB_ABORTED}                  10
${MISS}                         1
${FIRST_FREE_ENTRY}             4


*** Keywords ***
Translated Copy Setup
    [Documentation]    Two source frames above 4 GiB and a ring/destination frame below 4 GiB.
    ${sources}=                 Borrow Frames    0x2000    ${FOUR_GIB}    ${NO_LIMIT}
    ${frame_b}=                 Evaluate    ${sources} + 0x1000
    ${ring}=                    Borrow Frames    0x2000    ${SIXTEEN_MIB}    ${FOUR_GIB}
    ${target}=                  Evaluate    ${ring} + 0x1000
    Set Test Variable           ${FRAME_A}    ${sources}
    Set Test Variable           ${FRAME_B}    ${frame_b}
    Set Test Variable           ${RING}    ${ring}
    Set Test Variable           ${TARGET}    ${target}

Stock Dma Copy
    [Documentation]    Renode's PDMA, channel 0: claim, 256 bytes from ${source} to ${destination}, run;
    ...                the copy happens at the next synchronisation, so let a little time pass.
    [Arguments]    ${source}    ${destination}
    Write Register              ${PDMA}    0x000    0x1
    Write Register Pair         ${PDMA}    0x008    0x100
    Write Register Pair         ${PDMA}    0x010    ${destination}
    Write Register Pair         ${PDMA}    0x018    ${source}
    Write Register              ${PDMA}    0x004    0x0
    Write Register              ${PDMA}    0x000    0x4003
    Run Virtual Time            0.0001


*** Test Cases ***
Miss Interrupts Refill Resumes And The Right Bytes Arrive
    Create Board
    Translated Copy Setup
    # Source bytes: the tail of page 0 lives at the end of frame B, the head of page 1 at the
    # start of frame A (the mapping crosses the frames the other way round).
    ${tail}=                    Evaluate    ${FRAME_B} + 0xF80
    Fill Pattern                ${tail}    32    21
    Fill Pattern                ${FRAME_A}    32    22
    Put Descriptor              ${RING}    ${VA_SOURCE}    ${TARGET}    0x100    ${END_OF_CHAIN} | ${IRQ_ON_COMPLETION} | ${TRANSLATE_SOURCE}
    Start Channel               ${DMA32}    0    ${RING}
    # First miss: the engine waits, the TLB latched the fault and interrupts.
    ${status}=                  Channel Register    ${DMA32}    0    ${CH_STATUS}
    ${waiting}=                 Evaluate    ${status} & (${STATUS_WAITING_ON_TLB} | ${STATUS_BUSY} | ${STATUS_DONE})
    ${stalled}=                 Evaluate    ${STATUS_WAITING_ON_TLB} | ${STATUS_BUSY}
    Should Be Equal As Integers    ${waiting}    ${stalled}    STATUS: busy and waiting on the TLB
    Tlb Fault Should Be         ${VA_SOURCE}    ${DMA32_INITIATOR}    ${MISS}    1
    Plic Claim Should Be        ${TLB_IRQ}
    Tlb Write Entry             ${FIRST_FREE_ENTRY}    ${VA_PAGE_0}    ${FRAME_B}    ${DMA32_INITIATOR}    ${TLB_READ}
    Tlb Command                 ${TLB_RESUME}
    Plic Complete               ${TLB_IRQ}
    # The first 128 bytes moved; the second page misses.
    ${moved}=                   Channel Register    ${DMA32}    0    ${CH_BYTES_DONE}
    Should Be Equal As Integers    ${moved}    0x80
    Tlb Fault Should Be         ${VA_PAGE_1}    ${DMA32_INITIATOR}    ${MISS}    1
    Plic Claim Should Be        ${TLB_IRQ}
    Tlb Write Entry             5    ${VA_PAGE_1}    ${FRAME_A}    ${DMA32_INITIATOR}    ${TLB_READ}
    Tlb Command                 ${TLB_RESUME}
    Plic Complete               ${TLB_IRQ}
    Tlb Should Have No Fault
    Channel Should Have Finished    ${DMA32}    0    0x100    1
    Pattern Should Be At        ${TARGET}    32    21
    ${second_half}=             Evaluate    ${TARGET} + 0x80
    Pattern Should Be At        ${second_half}    32    22
    Channel Interrupt Should Arrive    ${DMA32}    0    ${DMA32_CH0_IRQ}
    Register Should Be          ${IOTLB}    ${TLB_MISSES}    2
    Register Should Be          ${IOTLB}    ${TLB_REFILLS}    2

Abort Stops The Stalled Transfer
    Create Board
    Translated Copy Setup
    Fill Pattern                ${FRAME_A}    ${WORDS}    23
    Put Descriptor              ${RING}    ${VA_PAGE_0}    ${TARGET}    0x40    ${END_OF_CHAIN} | ${IRQ_ON_COMPLETION} | ${TRANSLATE_SOURCE}
    Start Channel               ${DMA32}    0    ${RING}
    Tlb Fault Should Be         ${VA_PAGE_0}    ${DMA32_INITIATOR}    ${MISS}    1
    Plic Claim Should Be        ${TLB_IRQ}
    Tlb Command                 ${TLB_ABORT}
    Plic Complete               ${TLB_IRQ}
    Tlb Should Have No Fault
    Channel Should Have Failed    ${DMA32}    0    ${TLB_ABORTED}
    ${moved}=                   Channel Register    ${DMA32}    0    ${CH_BYTES_DONE}
    Should Be Equal As Integers    ${moved}    0    BYTES_DONE
    Wait For Log Entry          Channel 0 stopped: TlbAbort    timeout=0
    Words Should Be Zero        ${TARGET}    ${WORDS}
    Channel Interrupt Should Arrive    ${DMA32}    0    ${DMA32_CH0_IRQ}

Tsb Assist Refills Without An Interrupt
    Create Board
    Translated Copy Setup
    Fill Pattern                ${FRAME_A}    ${WORDS}    24
    # A 256-entry TSB (4 KiB) in a frame from the pool; it is read by the TLB, never mapped.
    ${tsb}=                     Borrow Frames    0x1000    ${SIXTEEN_MIB}    ${FOUR_GIB}
    # VA 0x40000000 -> slot (VA >> 12) mod 256 = 0: TAG = page | initiator, DATA = frame | READ | VALID.
    ${tag}=                     Evaluate    ${VA_PAGE_0} | ${DMA32_INITIATOR}
    ${data}=                    Evaluate    ${FRAME_A} | 0x2 | 0x1
    ${data_at}=                 Evaluate    ${tsb} + 8
    Write Quad                  ${tsb}    ${tag}
    Write Quad                  ${data_at}    ${data}
    Write Register Pair         ${IOTLB}    ${TLB_TSB_BASE}    ${tsb}
    Write Register              ${IOTLB}    ${TLB_TSB_CONFIG}    0x801
    Put Descriptor              ${RING}    ${VA_PAGE_0}    ${TARGET}    0x40    ${END_OF_CHAIN} | ${IRQ_ON_COMPLETION} | ${TRANSLATE_SOURCE}
    Start Channel               ${DMA32}    0    ${RING}
    Channel Should Have Finished    ${DMA32}    0    0x40    1
    Pattern Should Be At        ${TARGET}    ${WORDS}    24
    Tlb Should Have No Fault
    Register Should Be          ${IOTLB}    ${TLB_TSB_REFILLS}    1
    # Only the channel's completion is pending: the TLB never interrupted.
    Channel Interrupt Should Arrive    ${DMA32}    0    ${DMA32_CH0_IRQ}

Stock Renode Dma Behind The Tlb
    Create Board
    Execute Command             machine LoadPlatformDescription @${STOCK_DMA}
    Execute Command             sysbus.iotlb AttachInitiator sysbus.pdma ${PDMA_INITIATOR}
    Translated Copy Setup
    Fill Pattern                ${FRAME_A}    64    25
    # The PDMA sees device-virtual pages only: page 0 reads frame A, page 1 writes the target frame.
    Tlb Write Entry             ${FIRST_FREE_ENTRY}    ${VA_PAGE_0}    ${FRAME_A}    ${PDMA_INITIATOR}    ${TLB_READ}
    Tlb Write Entry             5    ${VA_PAGE_1}    ${TARGET}    ${PDMA_INITIATOR}    ${TLB_WRITE}
    Stock Dma Copy              ${VA_PAGE_0}    ${VA_PAGE_1}
    Pattern Should Be At        ${TARGET}    64    25
    Tlb Should Have No Fault
    ${pdma_control}=            Read Register    ${PDMA}    0x000
    ${done_bit}=                Evaluate    (${pdma_control} >> 30) & 1
    Should Be Equal As Integers    ${done_bit}    1    PDMA done
    Plic Claim Should Be        ${PDMA_DONE_IRQ}
    # An unmapped page: the PDMA cannot wait, so the access is dropped, latched and logged.
    ${unmapped}=                Evaluate    ${VA_PAGE_1} + 0x1000
    Stock Dma Copy              ${unmapped}    ${VA_PAGE_1}
    Wait For Log Entry          by initiator ${PDMA_INITIATOR}, dropped    timeout=0
    Tlb Fault Should Be         ${unmapped}    ${PDMA_INITIATOR}    ${MISS}    0
