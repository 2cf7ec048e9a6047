*** Comments ***
The DMA misuse checker (docs/dma-checker.md) in Renode. First the suite plays a driver that uses the
guest bus_dma library: it reports each map load, sync and unload to the checker's debug registers as
libbusdma does, and drives the 24-bit engine, the 32-bit engine and Renode's own PDMA. Then real
firmware does it: guest/checker/checker_fw.c, built once correct and once per deliberate bug with
libbusdma reporting to the checker (`make -C guest firmware`). Each bug is caught with exactly its
finding kind (counted in FINDINGS and KIND_COUNT, one warning line each); the correct flow, and any
flow with the checker off, gives none.


*** Settings ***
Resource                        ${CURDIR}/framealloc.resource
Test Setup                      Begin Checked Test
Test Teardown                   End Checked Test


*** Variables ***
${SOURCE_MAP}                   0x80011000
${TARGET_MAP}                   0x80012000
${COPY_LENGTH}                       0x100
${WORDS}                        64
# DmaFindingKind numbers.
${UNMAPPED}                     1
${UNPREPARED}                   2
${WRONG_DIRECTION}              6
${MAP_LEAKED}                   11
${FREE_FRAME}                   15
${UNREACHABLE}                  16
${OUTSIDE_MEMORY}               17
${CPU_READ_STALE}               4
${CORRECT_ELF}                  ${CURDIR}/../guest/build/riscv/checker-correct.elf
${NO_PREWRITE_ELF}              ${CURDIR}/../guest/build/riscv/checker-no-prewrite.elf
${FREE_EARLY_ELF}               ${CURDIR}/../guest/build/riscv/checker-free-early.elf
${UNLOAD_EARLY_ELF}             ${CURDIR}/../guest/build/riscv/checker-unload-early.elf
${WRONG_DIRECTION_ELF}          ${CURDIR}/../guest/build/riscv/checker-wrong-direction.elf
${LEAK_ELF}                     ${CURDIR}/../guest/build/riscv/checker-leak.elf
${NO_POSTREAD_ELF}              ${CURDIR}/../guest/build/riscv/checker-no-postread.elf
${CPU_WRITE_ELF}                ${CURDIR}/../guest/build/riscv/checker-cpu-write.elf
${CPU_WRITE_DEVICE_OWNED}       18
${BOUNCE_FRAMES_LEAKED}         19
${BOUNCE_LEAK_ELF}              ${CURDIR}/../guest/build/riscv/checker-bounce-leak.elf
${PROBE_ELF}                    ${CURDIR}/../guest/build/riscv/checker-probe.elf
${DMA32_BANDWIDTH}              200000000
# Inside dma32's window, but no RAM there.
${HOLE}                         0x40000000


*** Keywords ***
Checked Board
    [Documentation]    The board with the checker on; a borrowed area below 16 MiB: descriptors at
    ...                its start, the source buffer at +0x1000, the target buffer at +0x2000.
    [Arguments]    ${enabled}=true
    Create Board
    Execute Command             sysbus.dmacheck Enabled ${enabled}
    ${area}=                    Borrow Frames    0x4000    0    ${SIXTEEN_MIB}
    ${source}=                  Evaluate    ${area} + 0x1000
    ${target}=                  Evaluate    ${area} + 0x2000
    Fill Pattern                ${source}    ${WORDS}    7
    Set Test Variable           ${AREA}    ${area}
    Set Test Variable           ${SOURCE}    ${source}
    Set Test Variable           ${TARGET}    ${target}

Engine Copy
    [Documentation]    One descriptor on channel 0 of the 24-bit engine: ${COPY_LENGTH} bytes, source to target.
    [Arguments]    ${source}=${SOURCE}    ${target}=${TARGET}
    Put Descriptor              ${AREA}    ${source}    ${target}    ${COPY_LENGTH}    ${END_OF_CHAIN} | ${IRQ_ON_COMPLETION}
    Start Channel               ${DMA24}    0    ${AREA}
    Channel Should Have Finished    ${DMA24}    0    ${COPY_LENGTH}    1
    Pattern Should Be At        ${target}    ${WORDS}    7

Prepare Both Maps
    [Documentation]    The source loaded for the device to read, the target for it to write, both synced PRE.
    Report Map Load             ${SOURCE_MAP}    ${SOURCE}    ${COPY_LENGTH}    ${TO_DEVICE}
    Report Map Sync             ${SOURCE_MAP}    ${COPY_LENGTH}    ${PREWRITE}
    Report Map Load             ${TARGET_MAP}    ${TARGET}    ${COPY_LENGTH}    ${FROM_DEVICE}
    Report Map Sync             ${TARGET_MAP}    ${COPY_LENGTH}    ${PREREAD}

Finish Both Maps
    Report Map Sync             ${SOURCE_MAP}    ${COPY_LENGTH}    ${POSTWRITE}
    Report Map Sync             ${TARGET_MAP}    ${COPY_LENGTH}    ${POSTREAD}
    Report Map Unload           ${SOURCE_MAP}
    Report Map Unload           ${TARGET_MAP}

Check Leaks
    Write Register              ${DMACHECK}    ${DC_COMMAND}    ${DC_CHECK_LEAKS}

Stock Dma Copy
    [Documentation]    Renode's PDMA, channel 0: ${COPY_LENGTH} bytes from ${source} to ${destination}.
    [Arguments]    ${source}    ${destination}
    Write Register              ${PDMA}    0x000    0x1
    Write Register Pair         ${PDMA}    0x008    ${COPY_LENGTH}
    Write Register Pair         ${PDMA}    0x010    ${destination}
    Write Register Pair         ${PDMA}    0x018    ${source}
    Write Register              ${PDMA}    0x004    0x0
    Write Register              ${PDMA}    0x000    0x4003
    Run Virtual Time            0.0001


Run Checker Firmware
    [Documentation]    ${elf} (a guest/checker variant) on the board with the checker on and the
    ...                32-bit engine taking virtual time, until it says it is done.
    [Arguments]    ${elf}    ${outcome}=copy
    Create Board
    Execute Command             sysbus.dmacheck Enabled true
    Execute Command             sysbus.dma32 Bandwidth ${DMA32_BANDWIDTH}
    Create Terminal Tester      sysbus.uart0    timeout=3
    Register Failing Uart String    FATAL
    Execute Command             sysbus LoadELF @${elf}
    Start Emulation
    Wait For Line On Uart       ${outcome}
    Wait For Line On Uart       checker-fw: done

Set Firmware Variable
    [Documentation]    Writes ${value} to the firmware's 32-bit variable ${name} (found by its symbol).
    [Arguments]    ${name}    ${value}
    ${address}=                 Execute Command    sysbus GetSymbolAddress "${name}"
    Execute Command             sysbus WriteDoubleWord ${address.strip()} ${value}

Start Probe Firmware
    [Documentation]    checker-probe.elf with its probe set: one access of ${width} bytes at
    ...                ${offset} into the target the engine wrote, with no POSTREAD (a store when
    ...                ${write}, after the unload when ${after_unload}, after the hold when ${hold}).
    [Arguments]    ${width}    ${offset}    ${write}=0    ${after_unload}=0    ${hold}=0
    Create Board
    Execute Command             sysbus.dmacheck Enabled true
    Execute Command             sysbus.dma32 Bandwidth ${DMA32_BANDWIDTH}
    Create Terminal Tester      sysbus.uart0    timeout=3
    Register Failing Uart String    FATAL
    Execute Command             sysbus LoadELF @${PROBE_ELF}
    Set Firmware Variable       probe_width    ${width}
    Set Firmware Variable       probe_offset    ${offset}
    Set Firmware Variable       probe_write    ${write}
    Set Firmware Variable       probe_after_unload    ${after_unload}
    Set Firmware Variable       probe_hold    ${hold}
    Start Emulation

Probe Should Be The One Finding
    [Documentation]    The firmware finished, with exactly one finding, of ${kind}, at the probed
    ...                bytes (the target is page-aligned: the offset's low 12 bits) and width.
    [Arguments]    ${kind}    ${offset}    ${width}    ${operation}=CpuRead
    Wait For Line On Uart       checker-fw: done
    Checker Findings Should Be    ${kind}    1
    ${findings}=                Execute Command    sysbus.dmacheck Findings
    ${match}=                   Evaluate    re.search(r' at 0x([0-9A-F]+)[+]0x${width} during ${operation} [(]PC 0x', $findings)    modules=re
    Should Be True              $match is not None    no ${operation} finding of ${width} bytes in: ${findings}
    ${low}=                     Evaluate    int($match.group(1), 16) & 0xFFF
    ${expected}=                Evaluate    ${offset} & 0xFFF
    Should Be Equal As Integers    ${low}    ${expected}

Stale Read Of Width Is Caught
    [Arguments]    ${width}    ${offset}
    Start Probe Firmware        ${width}    ${offset}
    Probe Should Be The One Finding    ${CPU_READ_STALE}    ${offset}    ${width}

Hart Stops Right After The Finding
    [Documentation]    Runs ${elf} with StopOnFinding until its ${kind} finding; the hart must stop
    ...                right after the offending access: its PC is the finding's plus the instruction's
    ...                length (2 bytes when compressed, the low two bits of its first halfword not 0b11;
    ...                else 4), not a few instructions on at the end of its translation block. Then
    ...                StopOnFinding off gives the hart back its own block size. Returns the finding's PC.
    [Arguments]                 ${elf}    ${kind}
    Create Board
    Execute Command             sysbus.dmacheck Enabled true
    Execute Command             sysbus.dma32 Bandwidth ${DMA32_BANDWIDTH}
    Create Terminal Tester      sysbus.uart0    timeout=3
    ${own_size}=                Execute Command    sysbus.cpu MaximumBlockSize
    Execute Command             sysbus.dmacheck StopOnFinding true
    Execute Command             sysbus LoadELF @${elf}
    Start Emulation
    Wait For Log Entry          DMA checker: ${kind}    timeout=3
    ${paused}=                  Execute Command    machine IsPaused
    Should Contain              ${paused}    True
    ${findings}=                Execute Command    sysbus.dmacheck Findings
    ${at}=                      Evaluate    re.search(r'PC (0x[0-9A-F]+)', $findings).group(1)    modules=re
    ${halfword}=                Execute Command    sysbus ReadWord ${at}
    ${expected}=                Evaluate    int($at, 16) + (4 if int($halfword.strip(), 16) & 3 == 3 else 2)
    ${pc}=                      Execute Command    sysbus.cpu PC
    Should Be Equal As Integers    ${pc.strip()}    ${expected}
    Execute Command             sysbus.dmacheck StopOnFinding false
    ${size}=                    Execute Command    sysbus.cpu MaximumBlockSize
    Should Be Equal As Integers    ${size.strip()}    ${own_size.strip()}
    Should Not Be Equal As Integers    ${size.strip()}    1
    RETURN                      ${at}

Firmware Bug Is Caught
    [Arguments]    ${elf}    ${kind}
    Run Checker Firmware        ${elf}
    Checker Findings Should Be    ${kind}    1
    ${findings}=                Execute Command    sysbus.dmacheck Findings
    Should Contain              ${findings}    (PC 0x


*** Test Cases ***
Correct Driver Has No Findings
    Checked Board
    Prepare Both Maps
    Engine Copy
    Finish Both Maps
    Check Leaks
    Register Should Be          ${DMACHECK}    ${DC_LOADED_MAPS}    0
    Checker Should Have No Findings

Forgotten Prewrite Is An Unprepared Device Read
    Checked Board
    Report Map Load             ${SOURCE_MAP}    ${SOURCE}    ${COPY_LENGTH}    ${TO_DEVICE}
    Report Map Load             ${TARGET_MAP}    ${TARGET}    ${COPY_LENGTH}    ${FROM_DEVICE}
    Report Map Sync             ${TARGET_MAP}    ${COPY_LENGTH}    ${PREREAD}
    Engine Copy
    Finish Both Maps
    Check Leaks
    Checker Findings Should Be    ${UNPREPARED}    1
    ${findings}=                Execute Command    sysbus.dmacheck Findings
    Should Contain              ${findings}    DMA checker: DeviceAccessUnprepared map #1 (guest map 0x80011000) at 0x
    Wait For Log Entry          +0x100 during DeviceRead by dma24: device reads map offset 0x0 with no PREWRITE    timeout=0

Wrong Direction Sync Is Reported
    Checked Board
    Prepare Both Maps
    Engine Copy
    # POSTREAD on the transmit map where POSTWRITE belongs.
    Report Map Sync             ${SOURCE_MAP}    ${COPY_LENGTH}    ${POSTREAD}
    Report Map Sync             ${TARGET_MAP}    ${COPY_LENGTH}    ${POSTREAD}
    Report Map Unload           ${SOURCE_MAP}
    Report Map Unload           ${TARGET_MAP}
    Check Leaks
    Checker Findings Should Be    ${WRONG_DIRECTION}    1

Unloaded Too Early Is A Device Access After Unload
    Checked Board
    Prepare Both Maps
    # The driver tears the receive map down before the device has written it.
    Report Map Sync             ${TARGET_MAP}    ${COPY_LENGTH}    ${POSTREAD}
    Report Map Unload           ${TARGET_MAP}
    Engine Copy
    Report Map Sync             ${SOURCE_MAP}    ${COPY_LENGTH}    ${POSTWRITE}
    Report Map Unload           ${SOURCE_MAP}
    Check Leaks
    Checker Findings Should Be    ${UNMAPPED}    1
    Wait For Log Entry          device access after unload    timeout=0

Buffer Returned To The Pool While The Device Writes Is Dma After Free
    Checked Board
    ${buffer}=                  Borrow Frames    0x1000    0    ${SIXTEEN_MIB}
    Prepare Both Maps
    Report Map Load             0x80013000    ${buffer}    ${COPY_LENGTH}    ${FROM_DEVICE}
    Report Map Sync             0x80013000    ${COPY_LENGTH}    ${PREREAD}
    Report Map Sync             0x80013000    ${COPY_LENGTH}    ${POSTREAD}
    Report Map Unload           0x80013000
    ${error}=                   Return Frames    ${buffer}    0x1000
    Should Be Equal As Integers    ${error}    0
    Engine Copy                 ${SOURCE}    ${buffer}
    Finish Both Maps
    Check Leaks
    Checker Findings Should Be    ${FREE_FRAME}    1
    ${findings}=                Execute Command    sysbus.dmacheck Findings
    Should Contain              ${findings}    DMA checker: DeviceAccessFreeFrame at 0x
    Wait For Log Entry          +0x100 during DeviceWrite by dma24: the frame pool holds this frame as free    timeout=0

Map Never Unloaded Is A Leak
    Checked Board
    Prepare Both Maps
    Engine Copy
    Report Map Sync             ${SOURCE_MAP}    ${COPY_LENGTH}    ${POSTWRITE}
    Report Map Sync             ${TARGET_MAP}    ${COPY_LENGTH}    ${POSTREAD}
    Report Map Unload           ${SOURCE_MAP}
    Check Leaks
    Checker Findings Should Be    ${MAP_LEAKED}    1

Dma Into Memory Nobody Borrowed Is Reported Without Any Map
    Checked Board
    # Below the borrowed area's frames: the pool holds ram_low's first free frames as free.
    ${free}=                    Borrow Frames    0x1000    0    ${SIXTEEN_MIB}
    ${error}=                   Return Frames    ${free}    0x1000
    Should Be Equal As Integers    ${error}    0
    Engine Copy                 ${SOURCE}    ${free}
    Checker Findings Should Be    ${FREE_FRAME}    1

Access Outside Memory Is Reported
    Checked Board
    ${ring}=                    Borrow Frames    0x1000    ${SIXTEEN_MIB}    ${FOUR_GIB}
    Put Descriptor              ${ring}    ${HOLE}    ${ring}    0x40    ${END_OF_CHAIN} | ${IRQ_ON_COMPLETION}
    Start Channel               ${DMA32}    0    ${ring}
    # DataNotInMemory: the engine refuses the range, and the checker reports the refused access.
    Channel Should Have Failed    ${DMA32}    0    8
    Checker Findings Should Be    ${OUTSIDE_MEMORY}    1
    Wait For Log Entry          DeviceAccessOutsideMemory at 0x40000000+0x40 during DeviceRead by dma32    timeout=0

Stock Dma Beyond Its Reach Is Reported
    Checked Board
    Execute Command             machine LoadPlatformDescription @${STOCK_DMA}
    Execute Command             sysbus.dmacheck AttachInitiator sysbus.pdma ${SIXTEEN_MIB}
    ${high}=                    Borrow Frames    0x1000    ${SIXTEEN_MIB}    ${FOUR_GIB}
    Stock Dma Copy              ${SOURCE}    ${TARGET}
    Pattern Should Be At        ${TARGET}    ${WORDS}    7
    Checker Should Have No Findings
    Stock Dma Copy              ${SOURCE}    ${high}
    Checker Findings Should Be    ${UNREACHABLE}    1
    Wait For Log Entry          +0x100 during DeviceWrite by pdma: outside the device's reach [0x0, 0x1000000)    timeout=0

Stock Dma Behind The Tlb Writing A Free Frame Is Reported
    Checked Board
    Execute Command             machine LoadPlatformDescription @${STOCK_DMA}
    Execute Command             sysbus.iotlb AttachInitiator sysbus.pdma ${PDMA_INITIATOR}
    ${free}=                    Borrow Frames    0x1000    ${SIXTEEN_MIB}    ${FOUR_GIB}
    ${error}=                   Return Frames    ${free}    0x1000
    Should Be Equal As Integers    ${error}    0
    # Device-virtual page 0x1000 reads the source, page 0x2000 writes the frame just returned.
    Tlb Write Entry             4    0x1000    ${SOURCE}    ${PDMA_INITIATOR}    ${TLB_READ}
    Tlb Write Entry             5    0x2000    ${free}    ${PDMA_INITIATOR}    ${TLB_WRITE}
    Stock Dma Copy              0x1000    0x2000
    Checker Findings Should Be    ${FREE_FRAME}    1
    Wait For Log Entry          during DeviceWrite by pdma: the frame pool holds this frame as free    timeout=0

Checker Off Sees Nothing
    Checked Board               false
    Prepare Both Maps
    Report Map Sync             ${TARGET_MAP}    ${COPY_LENGTH}    ${POSTREAD}
    Report Map Unload           ${TARGET_MAP}
    Engine Copy
    Check Leaks
    Checker Should Have No Findings

Monitor Lists And Clears Findings
    Checked Board
    Report Map Unload           ${SOURCE_MAP}
    ${findings}=                Execute Command    sysbus.dmacheck Findings
    Should Contain              ${findings}    UnloadNotLoaded
    Should Contain              ${findings}    1 findings since the last clear; UnloadNotLoaded: 1 (checker enabled)
    Execute Command             sysbus.dmacheck Clear
    Register Should Be          ${DMACHECK}    ${DC_FINDINGS}    0
    ${findings}=                Execute Command    sysbus.dmacheck Findings
    Should Contain              ${findings}    0 findings since the last clear

Correct Firmware Has No Findings
    Run Checker Firmware        ${CORRECT_ELF}    checker-fw: bug 0, copy ok
    Checker Should Have No Findings

Firmware Without Prewrite Is Caught
    Firmware Bug Is Caught      ${NO_PREWRITE_ELF}    ${UNPREPARED}

Firmware Returning The Buffer While The Engine Writes Is Caught
    Firmware Bug Is Caught      ${FREE_EARLY_ELF}    ${FREE_FRAME}

Firmware Unloading Too Early Is Caught
    Firmware Bug Is Caught      ${UNLOAD_EARLY_ELF}    ${UNMAPPED}

Firmware Syncing The Wrong Direction Is Caught
    Firmware Bug Is Caught      ${WRONG_DIRECTION_ELF}    ${WRONG_DIRECTION}

Firmware Leaking A Map Is Caught
    Firmware Bug Is Caught      ${LEAK_ELF}    ${MAP_LEAKED}

Firmware Reading Without Postread Is Caught
    Firmware Bug Is Caught      ${NO_POSTREAD_ELF}    ${CPU_READ_STALE}

Firmware Writing A Buffer The Engine Owns Is Caught
    Firmware Bug Is Caught      ${CPU_WRITE_ELF}    ${CPU_WRITE_DEVICE_OWNED}

Stop On Finding Pauses The Emulation Right After The Offending Load
    # The finding names the load that read the stale byte (memcmp's, in the firmware's check).
    ${at}=                      Hart Stops Right After The Finding    ${NO_POSTREAD_ELF}    CpuReadStale
    ${symbol}=                  Execute Command    sysbus FindSymbolAt ${at}
    Should Contain              ${symbol}    memcmp

Stop On Finding Pauses The Emulation Right After The Offending Store
    Hart Stops Right After The Finding    ${CPU_WRITE_ELF}    CpuWriteDeviceOwned

Stop On Finding Set In A Repl Before The Cpu Switches The Cpu
    [Documentation]    Renode builds a .repl's peripherals in its order: a checker listed first with
    ...                stopOnFinding: true exists before the CPU, which must still get one-instruction
    ...                blocks when it is added, and its own block size back when StopOnFinding is off.
    Execute Command             include @${LOADER}
    Execute Command             mach create "checker-first"
    Execute Command             machine LoadPlatformDescriptionFromString "dmacheck: Miscellaneous.DmaCheckerDevice @ sysbus 0x10005000 { stopOnFinding: true }; ram: Memory.MappedMemory @ sysbus 0x80000000 { size: 0x100000 }; cpu: CPU.RiscV64 @ sysbus { cpuType: \\"rv64gc\\"; timeProvider: empty }"
    ${size}=                    Execute Command    sysbus.cpu MaximumBlockSize
    Should Be Equal As Integers    ${size.strip()}    1
    Execute Command             sysbus.dmacheck StopOnFinding false
    ${size}=                    Execute Command    sysbus.cpu MaximumBlockSize
    Should Not Be Equal As Integers    ${size.strip()}    1

Stop On Finding Stays On After A Snapshot Load
    [Documentation]    A loaded CPU comes back with Renode's default block size: a checker saved with
    ...                StopOnFinding on sets one-instruction blocks again, and off then gives the CPU
    ...                the size it had before the save (a script's own, here), not the default.
    Create Board
    Execute Command             sysbus.cpu MaximumBlockSize 0x100
    Execute Command             sysbus.dmacheck StopOnFinding true
    ${snapshot}=                Allocate Temporary File
    Execute Command             Save @${snapshot}
    Execute Command             Clear
    Execute Command             Load @${snapshot}
    Execute Command             mach set "${MACHINE}"
    ${size}=                    Execute Command    sysbus.cpu MaximumBlockSize
    Should Be Equal As Integers    ${size.strip()}    1
    Execute Command             sysbus.dmacheck StopOnFinding false
    ${size}=                    Execute Command    sysbus.cpu MaximumBlockSize
    Should Be Equal As Integers    ${size.strip()}    0x100

Firmware Leaking Bounce Frames Is Caught
    Firmware Bug Is Caught      ${BOUNCE_LEAK_ELF}    ${BOUNCE_FRAMES_LEAKED}
    Wait For Log Entry          [+]0x1000 during Reset [(]PC 0x[0-9A-F]+[)]: 0x1000 bytes of bounce frames [(]1 stretch[)] still borrowed from the frame pool    treatAsRegex=True    timeout=0

Stale Byte Read Off A Line Start Is Caught
    Stale Read Of Width Is Caught    1    0x45

Stale Halfword Read Off A Line Start Is Caught
    Stale Read Of Width Is Caught    2    0x8A

Stale Word Read Off A Line Start Is Caught
    Stale Read Of Width Is Caught    4    0x1234

Stale Doubleword Read Off A Line Start Is Caught
    Stale Read Of Width Is Caught    8    0x1FF8

Halfword Store Into A Buffer The Engine Owns Is Caught Off A Line Start
    Start Probe Firmware        2    0x10E    write=1
    Probe Should Be The One Finding    ${CPU_WRITE_DEVICE_OWNED}    0x10E    2    CpuWrite

Stale Read After An Unload Without Postread Is Caught
    Start Probe Firmware        4    0x9C    after_unload=1
    Probe Should Be The One Finding    ${CPU_READ_STALE}    0x9C    4
    Wait For Log Entry          CPU reads a buffer a device wrote into a map that was unloaded with no POSTREAD    timeout=0

Stale Read After A Snapshot Load Is Still Caught
    Start Probe Firmware        8    0x1238    hold=1
    Wait For Line On Uart       checker-fw: holding
    Execute Command             pause
    ${snapshot}=                Allocate Temporary File
    Execute Command             Save @${snapshot}
    Execute Command             Clear
    Execute Command             Load @${snapshot}
    Execute Command             mach set "${MACHINE}"
    Register Should Be          ${DMACHECK}    ${DC_FINDINGS}    0
    Set Firmware Variable       probe_go    1
    Create Terminal Tester      sysbus.uart0    timeout=3
    Start Emulation
    Probe Should Be The One Finding    ${CPU_READ_STALE}    0x1238    8

Our Engines Reach Is Known Without SetReach
    Checked Board
    ${reaches}=                 Execute Command    sysbus.dmacheck Reaches
    Should Contain              ${reaches}    dma24: [0x0, 0x1000000)
    Should Contain              ${reaches}    dma32: any address (its translator maps anywhere)
    Prepare Both Maps
    Engine Copy
    Finish Both Maps
    Checker Should Have No Findings
