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


Start Chain Of Three Blocks
    [Documentation]    A bandwidth-limited chain on dma32 (1 MB/s: 4.096 ms per 4 KiB block), run
    ...                until one block has landed. Returns the destination.
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
    RETURN    ${target}

Run Script In Another Renode Process
    [Documentation]    Runs a monitor script in a new process of the Renode that runs this suite
    ...                (asked from its monitor: the .NET host and Renode.dll, or the one executable
    ...                of a packaged build), as a second CI job would. Fails on a non-zero exit.
    [Arguments]    ${script}
    ${host}=                    Execute Python    __import__('System').Environment.ProcessPath
    ${entry}=                   Execute Python    __import__('System').Reflection.Assembly.GetEntryAssembly().Location
    ${through_dotnet}=          Evaluate    __import__('os').path.basename($host).startswith('dotnet') and $entry != ''
    IF    ${through_dotnet}
        ${result}=              Run Process    ${host}    ${entry}    --disable-gui    --console    --plain    ${script}    timeout=300s
    ELSE
        ${result}=              Run Process    ${host}    --disable-gui    --console    --plain    ${script}    timeout=300s
    END
    Log                         ${result.stdout}
    Log                         ${result.stderr}
    Should Be Equal As Integers    ${result.rc}    0    the second Renode process failed: ${result.stdout} ${result.stderr}
    RETURN    ${result}


*** Test Cases ***
Transfer In Flight Completes The Same After Save And Load In Another Renode Process
    [Documentation]    CI runs save in one job and load in another: Renode compiles the plugin anew
    ...                in every process, under another assembly name each time.
    Create Board
    ${target}=                  Start Chain Of Three Blocks
    ${saved_here}=              Allocate Temporary File
    Execute Command             Save @${saved_here}
    Run Virtual Time            0.02
    Channel Should Have Finished    ${DMA32}    0    0x3000    3
    ${expected}=                Sample Destination    ${target}

    # The other process loads this one's snapshot, finishes the chain there and saves.
    ${saved_there}=             Allocate Temporary File
    ${script}=                  Allocate Temporary File
    Create File                 ${script}    include @${LOADER}\nLoad @${saved_here}\nmach set "${MACHINE}"\nemulation RunFor "0.02"\nSave @${saved_there}\nquit\n
    ${result}=                  Run Script In Another Renode Process    ${script}
    Should Not Contain          ${result.stdout}    incompatible
    Should Not Contain          ${result.stdout}    [ERROR]
    Should Contain              ${result.stdout}    Renode is quitting

    # And this process loads what the other one saved.
    Execute Command             Clear
    Execute Command             Load @${saved_there}
    Execute Command             mach set "${MACHINE}"
    Channel Should Have Finished    ${DMA32}    0    0x3000    3
    ${restored}=                Sample Destination    ${target}
    Should Be Equal             ${restored}    ${expected}

Transfer In Flight Completes The Same After Save And Load
    Create Board
    ${target}=                  Start Chain Of Three Blocks
    ${source}=                  Evaluate    ${target} - 0x4000

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
    # The second block was saved 1.9 ms into its 4.096 ms: after the load it waits its full time
    # again (docs/dma-engine.md, Time), so 3 ms later it has not landed yet.
    Run Virtual Time            0.003
    Chain Should Be In Flight After One Descriptor    ${target}
    Run Virtual Time            0.02
    Channel Should Have Finished    ${DMA32}    0    0x3000    3
    ${restored}=                Sample Destination    ${target}
    Should Be Equal             ${restored}    ${expected}
    Channel Interrupt Should Arrive    ${DMA32}    0    ${DMA32_CH0_IRQ}
