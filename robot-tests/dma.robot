*** Comments ***
The scatter-gather DMA engines (docs/dma-engine.md) driven as a driver would: buffers borrowed from
the frame pool within each engine's reach, descriptor chains written to RAM, channel registers,
completion interrupts on the PLIC. The 24-bit engine refuses memory above its window; a bounce
buffer below 16 MiB carries the same copy. Bad descriptors stop only their channel: each is
reported (status, cause, interrupt, log line) and the emulation goes on.


*** Settings ***
Resource                        ${CURDIR}/framealloc.resource
Test Setup                      Begin Checked Test
Test Teardown                   End Checked Test


*** Variables ***
${WORDS}                        16
${BYTES}                        64
${OUTSIDE_WINDOW}               1
${DESCRIPTOR_NOT_IN_MEMORY}     2
${DESCRIPTOR_MISALIGNED}        3
${ZERO_LENGTH}                  4
${CHAIN_LOOP}                   5
${REGISTER_OVERLAP}             7
${ABORTED}                      9
# Inside dma32's window, but no RAM there.
${HOLE}                         0x40000000


*** Keywords ***
Chain Copy Should Work
    [Documentation]    Three descriptors copying three 64-byte blocks, interrupt at the end.
    [Arguments]    ${engine}    ${source}    ${low}    ${high}
    ${area}=                    Borrow Frames    0x4000    ${low}    ${high}
    ${d1}=                      Evaluate    ${area} + 0x20
    ${d2}=                      Evaluate    ${area} + 0x40
    FOR    ${i}    IN RANGE    3
        ${from}=                Evaluate    ${area} + 0x1000 + 0x100 * ${i}
        Fill Pattern            ${from}    ${WORDS}    ${i}
    END
    ${s0}=                      Evaluate    ${area} + 0x1000
    ${s1}=                      Evaluate    ${area} + 0x1100
    ${s2}=                      Evaluate    ${area} + 0x1200
    ${t0}=                      Evaluate    ${area} + 0x2000
    ${t1}=                      Evaluate    ${area} + 0x2100
    ${t2}=                      Evaluate    ${area} + 0x2200
    Put Descriptor              ${area}    ${s0}    ${t0}    ${BYTES}    0    ${d1}
    Put Descriptor              ${d1}    ${s1}    ${t1}    ${BYTES}    0    ${d2}
    Put Descriptor              ${d2}    ${s2}    ${t2}    ${BYTES}    ${END_OF_CHAIN} | ${IRQ_ON_COMPLETION}
    Start Channel               ${engine}    0    ${area}
    Channel Should Have Finished    ${engine}    0    192    3
    Pattern Should Be At        ${t0}    ${WORDS}    0
    Pattern Should Be At        ${t1}    ${WORDS}    1
    Pattern Should Be At        ${t2}    ${WORDS}    2
    Channel Interrupt Should Arrive    ${engine}    0    ${source}
    ${error}=                   Return Frames    ${area}    0x4000
    Should Be Equal As Integers    ${error}    0

Bad Transfer Should Be Reported
    [Documentation]    Starts channel 0 at ${descriptor}: it must stop with ${cause}, having moved
    ...                ${moved_bytes} bytes, with its interrupt on the PLIC and a warning naming the cause.
    [Arguments]    ${descriptor}    ${cause}    ${cause_name}    ${moved_bytes}=0
    Start Channel               ${DMA32}    0    ${descriptor}
    Channel Should Have Failed    ${DMA32}    0    ${cause}
    ${moved}=                   Channel Register    ${DMA32}    0    ${CH_BYTES_DONE}
    Should Be Equal As Integers    ${moved}    ${moved_bytes}    BYTES_DONE
    Wait For Log Entry          Channel 0 stopped: ${cause_name}    timeout=0
    Channel Interrupt Should Arrive    ${DMA32}    0    ${DMA32_CH0_IRQ}


*** Test Cases ***
Chain Copy On The 24-Bit Engine
    Create Board
    Chain Copy Should Work      ${DMA24}    ${DMA24_CH0_IRQ}    0    ${SIXTEEN_MIB}

Chain Copy On The 32-Bit Engine
    Create Board
    Chain Copy Should Work      ${DMA32}    ${DMA32_CH0_IRQ}    ${SIXTEEN_MIB}    ${FOUR_GIB}

24-Bit Engine Refuses High Memory And A Bounce Buffer Carries The Copy
    Create Board
    # The copy to do: 64 bytes from one frame above 4 GiB to another.
    ${high}=                    Borrow Frames    0x2000    ${FOUR_GIB}    ${NO_LIMIT}
    ${destination}=             Evaluate    ${high} + 0x1000
    Fill Pattern                ${high}    ${WORDS}    7
    ${ring}=                    Borrow Frames    0x1000    0    ${SIXTEEN_MIB}
    Put Descriptor              ${ring}    ${high}    ${destination}    ${BYTES}    ${END_OF_CHAIN} | ${IRQ_ON_COMPLETION}
    Start Channel               ${DMA24}    0    ${ring}
    Channel Should Have Failed    ${DMA24}    0    ${OUTSIDE_WINDOW}
    ${fault}=                   Channel Register    ${DMA24}    0    ${CH_FAULT_ADDRESS}
    ${expected_fault}=          Evaluate    ${high} & 0xFFFFFFFF
    Should Be Equal As Integers    ${fault}    ${expected_fault}    FAULT_ADDRESS_LO
    Wait For Log Entry          Channel 0 stopped: AddressOutsideWindow    timeout=0
    Words Should Be Zero        ${destination}    ${WORDS}
    Channel Interrupt Should Arrive    ${DMA24}    0    ${DMA24_CH0_IRQ}
    # The driver bounces: a frame below 16 MiB from the pool, CPU copies in, the engine copies,
    # CPU copies out (what bus_dma's PREWRITE and POSTREAD syncs do with a bounce page).
    ${bounce}=                  Borrow Frames    0x2000    0    ${SIXTEEN_MIB}
    ${bounce_out}=              Evaluate    ${bounce} + 0x1000
    Copy Words With Cpu         ${high}    ${bounce}    ${WORDS}
    Put Descriptor              ${ring}    ${bounce}    ${bounce_out}    ${BYTES}    ${END_OF_CHAIN} | ${IRQ_ON_COMPLETION}
    Start Channel               ${DMA24}    0    ${ring}
    Channel Should Have Finished    ${DMA24}    0    ${BYTES}    1
    Channel Interrupt Should Arrive    ${DMA24}    0    ${DMA24_CH0_IRQ}
    Copy Words With Cpu         ${bounce_out}    ${destination}    ${WORDS}
    Pattern Should Be At        ${destination}    ${WORDS}    7
    FOR    ${frames}    ${size}    IN    ${bounce}    0x2000    ${ring}    0x1000    ${high}    0x2000
        ${error}=               Return Frames    ${frames}    ${size}
        Should Be Equal As Integers    ${error}    0
    END

Bad Descriptors Are Reported And The Emulation Goes On
    Create Board
    ${area}=                    Borrow Frames    0x4000    ${SIXTEEN_MIB}    ${FOUR_GIB}
    ${source}=                  Evaluate    ${area} + 0x1000
    ${target}=                  Evaluate    ${area} + 0x2000
    Fill Pattern                ${source}    ${WORDS}    3
    Put Descriptor              ${area}    ${source}    ${target}    0    ${END_OF_CHAIN}
    Bad Transfer Should Be Reported    ${area}    ${ZERO_LENGTH}    ZeroLength
    # A descriptor whose NEXT is itself: its copy runs once, then the engine sees the loop.
    ${loop_target}=             Evaluate    ${area} + 0x3000
    Put Descriptor              ${area}    ${source}    ${loop_target}    ${BYTES}    0    ${area}
    Bad Transfer Should Be Reported    ${area}    ${CHAIN_LOOP}    ChainLoop    ${BYTES}
    Pattern Should Be At        ${loop_target}    ${WORDS}    3
    ${misaligned}=              Evaluate    ${area} + 4
    Bad Transfer Should Be Reported    ${misaligned}    ${DESCRIPTOR_MISALIGNED}    DescriptorMisaligned
    Bad Transfer Should Be Reported    ${HOLE}    ${DESCRIPTOR_NOT_IN_MEMORY}    DescriptorNotInMemory
    Put Descriptor              ${area}    ${DMA32}    ${target}    ${BYTES}    ${END_OF_CHAIN}
    Bad Transfer Should Be Reported    ${area}    ${REGISTER_OVERLAP}    RegisterOverlap
    Words Should Be Zero        ${target}    ${WORDS}
    # Nothing stopped but the channel: time runs, the hart idles, the same channel copies.
    Run Virtual Time            0.001
    Put Descriptor              ${area}    ${source}    ${target}    ${BYTES}    ${END_OF_CHAIN} | ${IRQ_ON_COMPLETION}
    Start Channel               ${DMA32}    0    ${area}
    Channel Should Have Finished    ${DMA32}    0    ${BYTES}    1
    Pattern Should Be At        ${target}    ${WORDS}    3
    Channel Interrupt Should Arrive    ${DMA32}    0    ${DMA32_CH0_IRQ}

Abort In The Middle Of A Chain Reports The Bytes Moved
    Create Board
    # 1 MB/s of virtual time: each 4 KiB descriptor takes 4.096 ms.
    Execute Command             sysbus.dma32 Bandwidth 1000000
    ${area}=                    Borrow Frames    0x10000    ${SIXTEEN_MIB}    ${FOUR_GIB}
    ${d1}=                      Evaluate    ${area} + 0x20
    ${s0}=                      Evaluate    ${area} + 0x1000
    ${s1}=                      Evaluate    ${area} + 0x2000
    ${t0}=                      Evaluate    ${area} + 0x4000
    ${t1}=                      Evaluate    ${area} + 0x5000
    Fill Pattern                ${s0}    ${WORDS}    11
    Fill Pattern                ${s1}    ${WORDS}    12
    Put Descriptor              ${area}    ${s0}    ${t0}    0x1000    0    ${d1}
    Put Descriptor              ${d1}    ${s1}    ${t1}    0x1000    ${END_OF_CHAIN} | ${IRQ_ON_COMPLETION}
    Start Channel               ${DMA32}    0    ${area}
    Run Virtual Time            0.006
    ${status}=                  Channel Register    ${DMA32}    0    ${CH_STATUS}
    ${in_flight}=               Evaluate    ${status} & ${STATUS_BUSY}
    Should Be Equal As Integers    ${in_flight}    ${STATUS_BUSY}    the second descriptor should be in flight
    ${base}=                    Channel Base    ${DMA32}    0
    Write Register              ${base}    ${CH_CONTROL}    ${ABORT}
    Channel Should Have Failed    ${DMA32}    0    ${ABORTED}
    ${moved}=                   Channel Register    ${DMA32}    0    ${CH_BYTES_DONE}
    Should Be Equal As Integers    ${moved}    0x1000    BYTES_DONE: the first descriptor only
    Wait For Log Entry          Channel 0 stopped: Aborted    timeout=0
    Pattern Should Be At        ${t0}    ${WORDS}    11
    Words Should Be Zero        ${t1}    ${WORDS}
    # The aborted descriptor's completion never lands, however long time runs.
    Run Virtual Time            0.01
    Words Should Be Zero        ${t1}    ${WORDS}
    Channel Should Have Failed    ${DMA32}    0    ${ABORTED}
