*** Comments ***
A snapshot taken while a bandwidth-limited chain is in flight: loading it and letting virtual time
run finishes the transfer exactly as the run that was never interrupted did (same registers, same
bytes), and nothing of the not-yet-copied descriptors has landed at the moment of the snapshot.


*** Settings ***
Resource                        ${CURDIR}/framealloc.resource
Test Setup                      Begin Checked Test
Test Teardown                   End Checked Test


*** Variables ***
${WORDS}                        16
${BLOCK}                        0x1000


*** Keywords ***
Sample Destination
    [Documentation]    The first and last 16 words of each 4 KiB destination block, as one list.
    [Arguments]    ${target}
    @{sample}=                  Create List
    FOR    ${part}    IN RANGE    3
        FOR    ${offset}    IN    0    0xFC0
            FOR    ${i}    IN RANGE    ${WORDS}
                ${at}=          Evaluate    ${target} + ${part} * ${BLOCK} + ${offset} + 4 * ${i}
                ${value}=       Read Word    ${at}
                Append To Sample    ${sample}    ${value}
            END
        END
    END
    RETURN    ${sample}

Append To Sample
    [Arguments]    ${sample}    ${value}
    Evaluate    $sample.append($value)

Chain Should Be In Flight After One Descriptor
    [Arguments]    ${target}
    ${status}=                  Channel Register    ${DMA32}    0    ${CH_STATUS}
    ${state}=                   Evaluate    ${status} & (${STATUS_BUSY} | ${STATUS_DONE} | ${STATUS_ERROR})
    Should Be Equal As Integers    ${state}    ${STATUS_BUSY}    STATUS: busy, neither done nor failed
    ${count}=                   Channel Register    ${DMA32}    0    ${CH_DESCRIPTORS_DONE}
    Should Be Equal As Integers    ${count}    1    DESCRIPTORS_DONE
    ${moved}=                   Channel Register    ${DMA32}    0    ${CH_BYTES_DONE}
    Should Be Equal As Integers    ${moved}    ${BLOCK}    BYTES_DONE
    ${third}=                   Evaluate    ${target} + 2 * ${BLOCK}
    Words Should Be Zero        ${third}    ${WORDS}


*** Test Cases ***
Transfer In Flight Completes The Same After Save And Load
    Create Board
    # 1 MB/s of virtual time: each 4 KiB descriptor takes 4.096 ms.
    Execute Command             sysbus.dma32 Bandwidth 1000000
    ${area}=                    Borrow Frames    0x10000    ${SIXTEEN_MIB}    ${FOUR_GIB}
    ${d1}=                      Evaluate    ${area} + 0x20
    ${d2}=                      Evaluate    ${area} + 0x40
    ${source}=                  Evaluate    ${area} + 0x4000
    ${target}=                  Evaluate    ${area} + 0x8000
    FOR    ${part}    IN RANGE    3
        FOR    ${offset}    IN    0    0xFC0
            ${at}=              Evaluate    ${source} + ${part} * ${BLOCK} + ${offset}
            ${seed}=            Evaluate    10 * ${part} + (${offset} > 0)
            Fill Pattern        ${at}    ${WORDS}    ${seed}
        END
    END
    ${s1}=                      Evaluate    ${source} + ${BLOCK}
    ${s2}=                      Evaluate    ${source} + 2 * ${BLOCK}
    ${t1}=                      Evaluate    ${target} + ${BLOCK}
    ${t2}=                      Evaluate    ${target} + 2 * ${BLOCK}
    Put Descriptor              ${area}    ${source}    ${target}    ${BLOCK}    0    ${d1}
    Put Descriptor              ${d1}    ${s1}    ${t1}    ${BLOCK}    0    ${d2}
    Put Descriptor              ${d2}    ${s2}    ${t2}    ${BLOCK}    ${END_OF_CHAIN} | ${IRQ_ON_COMPLETION}
    Start Channel               ${DMA32}    0    ${area}
    Run Virtual Time            0.006
    Chain Should Be In Flight After One Descriptor    ${target}

    ${snapshot}=                Allocate Temporary File
    Execute Command             Save @${snapshot}

    # The run that goes on uninterrupted.
    Run Virtual Time            0.02
    Channel Should Have Finished    ${DMA32}    0    0x3000    3
    ${expected}=                Sample Destination    ${target}
    ${source_sample}=           Sample Destination    ${source}
    Should Be Equal             ${expected}    ${source_sample}    the uninterrupted run copied the source

    # The same moment, restored.
    Execute Command             Clear
    Execute Command             Load @${snapshot}
    Execute Command             mach set "${MACHINE}"
    Chain Should Be In Flight After One Descriptor    ${target}
    Run Virtual Time            0.02
    Channel Should Have Finished    ${DMA32}    0    0x3000    3
    ${restored}=                Sample Destination    ${target}
    Should Be Equal             ${restored}    ${expected}
    Channel Interrupt Should Arrive    ${DMA32}    0    ${DMA32_CH0_IRQ}
