*** Comments ***
The board as a user gets it from platforms/framealloc-riscv64.resc: the plugin loads, every device
answers at its address with the configuration of the .repl, and the hart idles while time runs.


*** Settings ***
Resource                        ${CURDIR}/framealloc.resource
Test Setup                      Begin Checked Test
Test Teardown                   End Checked Test


*** Variables ***
${PLATFORM_SCRIPT}              ${CURDIR}/../platforms/framealloc-riscv64.resc


*** Test Cases ***
Platform Script Builds The Board
    Execute Command             include @${PLATFORM_SCRIPT}
    ${peripherals}=             Execute Command    peripherals
    FOR    ${name}    IN    cpu    clint    plic    uart0    framepool    iotlb    dma24    dma32    bootrom    ram_low    ram_dma32    ram_high
        Should Contain          ${peripherals}    ${name}
    END

Devices Answer At Their Addresses
    Create Board
    Register Should Be          ${FRAMEPOOL}    0x00    0x46504F4C
    Register Should Be          ${FRAMEPOOL}    ${FP_RANGE_COUNT}    3
    Register Should Be          ${DMA24}    0x00    0x5347444D
    Register Should Be          ${DMA24}    0x08    2
    Register Should Be          ${DMA24}    0x18    0x00FFFFFF
    Register Should Be          ${DMA32}    0x00    0x5347444D
    Register Should Be          ${DMA32}    0x18    0xFFFFFFFF
    ${capabilities}=            Read Register    ${IOTLB}    0x00
    ${entries}=                 Evaluate    ${capabilities} & 0xFFFF
    Should Be Equal As Integers    ${entries}    64
    Register Should Be          ${IOTLB}    0x0C    4

Frame Pool Ranges Are The Board's RAM
    Create Board
    FOR    ${index}    ${base}    ${size}    IN
    ...    0    0x0    0x1000000
    ...    1    0x80000000    0x10000000
    ...    2    0x100000000    0x10000000
        Write Register          ${FRAMEPOOL}    ${FP_STATS_SELECT}    ${index}
        ${range_base}=          Read Register Pair    ${FRAMEPOOL}    ${FP_STATS_BASE}
        ${range_size}=          Read Register Pair    ${FRAMEPOOL}    ${FP_STATS_SIZE}
        Should Be Equal As Integers    ${range_base}    ${base}
        Should Be Equal As Integers    ${range_size}    ${size}
    END

Hart Idles While Virtual Time Runs
    Create Board
    Run Virtual Time            0.01
    ${pc}=                      Execute Command    sysbus.cpu PC
    ${pc_value}=                Evaluate    int($pc.strip(), 0)
    Should Be True              0x20000000 <= ${pc_value} <= 0x20000004    the hart left the idle loop: PC ${pc}
    Plic Should Have Nothing Pending
