*** Comments ***
Guest software borrows page frames from each RAM range through the frame-pool device and gives them
back (docs/frame-pool.md); exhaustion and bad frees get the documented error values, a status bit
and a log line, and the pool keeps working.


*** Settings ***
Resource                        ${CURDIR}/framealloc.resource
Test Setup                      Begin Checked Test
Test Teardown                   End Checked Test


*** Variables ***
${INSUFFICIENT_MEMORY}          7
${NO_RANGE_IN_WINDOW}           6
${NOT_ALLOCATED}                10
${PAGES_PER_64K}                16


*** Keywords ***
Borrow And Return From Range
    [Arguments]    ${index}    ${low}    ${high}
    ${free_before}=             Range Statistic    ${index}    ${FP_STATS_FREE}
    ${wired_before}=            Range Statistic    ${index}    ${FP_STATS_WIRED}
    ${address}=                 Borrow Frames    0x10000    ${low}    ${high}
    ${free_during}=             Range Statistic    ${index}    ${FP_STATS_FREE}
    ${wired_during}=            Range Statistic    ${index}    ${FP_STATS_WIRED}
    ${expected_free}=           Evaluate    ${free_before} - ${PAGES_PER_64K}
    ${expected_wired}=          Evaluate    ${wired_before} + ${PAGES_PER_64K}
    Should Be Equal As Integers    ${free_during}    ${expected_free}    FREE of range ${index}
    Should Be Equal As Integers    ${wired_during}    ${expected_wired}    WIRED of range ${index}
    ${range_base}=              Read Register Pair    ${FRAMEPOOL}    ${FP_STATS_BASE}
    ${range_size}=              Read Register Pair    ${FRAMEPOOL}    ${FP_STATS_SIZE}
    Should Be True              ${range_base} <= ${address} and ${address} + 0x10000 <= ${range_base} + ${range_size}
    ...                         frames at ${address} are not in range ${index}
    ${error}=                   Return Frames    ${address}    0x10000
    Should Be Equal As Integers    ${error}    0
    ${free_after}=              Range Statistic    ${index}    ${FP_STATS_FREE}
    Should Be Equal As Integers    ${free_after}    ${free_before}    FREE after returning

Request Should Fail With
    [Arguments]    ${expected_error}    ${size}    ${low}    ${high}
    ${error}=                   Request Frames    ${size}    ${low}    ${high}
    Should Be Equal As Integers    ${error}    ${expected_error}    ERROR register
    ${status}=                  Read Register    ${FRAMEPOOL}    ${FP_STATUS}
    ${failed}=                  Evaluate    ${status} & ${FP_ERROR_BIT}
    Should Be Equal As Integers    ${failed}    ${FP_ERROR_BIT}    STATUS.ERROR
    Register Should Be          ${FRAMEPOOL}    ${FP_SEGMENT_COUNT}    0


*** Test Cases ***
Borrows And Returns Frames In Each Range
    Create Board
    Borrow And Return From Range    0    0    ${SIXTEEN_MIB}
    Borrow And Return From Range    1    ${SIXTEEN_MIB}    ${FOUR_GIB}
    Borrow And Return From Range    2    ${FOUR_GIB}    ${NO_LIMIT}

Aligned Request Gets An Aligned Segment
    Create Board
    ${address}=                 Borrow Frames    0x2000    0    ${SIXTEEN_MIB}    0x10000
    ${misalignment}=            Evaluate    ${address} % 0x10000
    Should Be Equal As Integers    ${misalignment}    0
    ${error}=                   Return Frames    ${address}    0x2000
    Should Be Equal As Integers    ${error}    0

Exhaustion Gives Insufficient Memory And The Pool Recovers
    Create Board
    ${everything}=              Borrow Frames    ${SIXTEEN_MIB}    0    ${SIXTEEN_MIB}
    Should Be Equal As Integers    ${everything}    0
    ${free}=                    Range Statistic    0    ${FP_STATS_FREE}
    Should Be Equal As Integers    ${free}    0
    Request Should Fail With    ${INSUFFICIENT_MEMORY}    0x1000    0    ${SIXTEEN_MIB}
    Wait For Log Entry          ALLOCATE 0x1000 bytes failed: InsufficientMemory    timeout=0
    # The other ranges are untouched by the low range running dry.
    ${elsewhere}=               Borrow Frames    0x1000    ${SIXTEEN_MIB}    ${FOUR_GIB}
    ${error}=                   Return Frames    ${elsewhere}    0x1000
    Should Be Equal As Integers    ${error}    0
    ${error}=                   Return Frames    ${everything}    ${SIXTEEN_MIB}
    Should Be Equal As Integers    ${error}    0
    ${again}=                   Borrow Frames    0x1000    0    ${SIXTEEN_MIB}
    ${error}=                   Return Frames    ${again}    0x1000
    Should Be Equal As Integers    ${error}    0

A Window Without RAM Gives No Range In Window
    Create Board
    # The boot ROM is memory, but not the pool's.
    Request Should Fail With    ${NO_RANGE_IN_WINDOW}    0x1000    ${BOOTROM}    0x20010000
    Wait For Log Entry          failed: NoRangeInWindow    timeout=0

Returning Frames Twice Is Refused And Logged
    Create Board
    ${address}=                 Borrow Frames    0x1000    ${FOUR_GIB}    ${NO_LIMIT}
    ${error}=                   Return Frames    ${address}    0x1000
    Should Be Equal As Integers    ${error}    0
    ${error}=                   Return Frames    ${address}    0x1000
    Should Be Equal As Integers    ${error}    ${NOT_ALLOCATED}
    Wait For Log Entry          refused: NotAllocated    timeout=0
    # The refused FREE changed nothing: the frame can be borrowed again.
    ${again}=                   Borrow Frames    0x1000    ${FOUR_GIB}    ${NO_LIMIT}
    ${error}=                   Return Frames    ${again}    0x1000
    Should Be Equal As Integers    ${error}    0
