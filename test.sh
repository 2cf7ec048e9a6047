#!/usr/bin/env bash
# Runs every test of renode-framealloc: the guest code's host tests and firmware build, the .NET
# suites (allocator, bus_dma, devices, Renode adapters against the stand-in, integration checks),
# then the Robot suites when Renode's runner is on PATH. The last line is the totals:
# "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Guest code first (guest/, see guest/README.md): libbusdma built for this host and its tests run
# (their totals join ours), the differential test's tool (BusDma.Tests runs it), and the firmware
# for the board that robot-tests/firmware.robot runs, with Debian's RISC-V toolchain, installed
# here when it is missing and this runs as root.
guest_passed=0
guest_failed=0
guest_skipped=0
guest_log=$(mktemp)
if make -s -C guest host >"$guest_log" 2>&1; then
    ASAN_OPTIONS=detect_leaks=0 guest/build/host/busdma-tests >"$guest_log" 2>&1
    grep -E '^FAIL|^    ' "$guest_log"
fi
guest_totals=$(grep -E '^guest host tests: [0-9]+ passed, [0-9]+ failed$' "$guest_log")
if [ -n "$guest_totals" ]; then
    echo "$guest_totals"
    read -r guest_passed guest_failed < <(echo "$guest_totals" | awk '{ print $4, $6 }')
else
    echo "guest host tests did not build or run:"
    tail -n 30 "$guest_log"
    guest_failed=1
fi
have_cross_toolchain() {
    echo 'int main(void) { return 0; }' | riscv64-unknown-elf-gcc --specs=picolibc.specs -x c -c -o /dev/null - >/dev/null 2>&1
}
if ! have_cross_toolchain && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing the guest toolchain: apt-get install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf; } >"$guest_log" 2>&1 \
        || tail -n 5 "$guest_log"
fi
if have_cross_toolchain; then
    if make -s -C guest firmware >"$guest_log" 2>&1; then
        echo "Guest firmware built: guest/build/riscv/selftest.elf, first-driver.elf, checker-*.elf, guest/build/hart-tlb/hart-tlb.elf, hart-tlb-bench.elf"
        guest_passed=$((guest_passed + 1))
    else
        echo "Guest firmware build FAILED:"
        tail -n 30 "$guest_log"
        guest_failed=$((guest_failed + 1))
    fi
else
    echo "Guest firmware skipped: no riscv64-unknown-elf-gcc with picolibc; install gcc-riscv64-unknown-elf and picolibc-riscv64-unknown-elf (Debian/Ubuntu, as root)."
    guest_skipped=1
fi
rm -f "$guest_log"

# Build everything first (the demo, the benchmarks and the plugin compiled against the Renode
# stand-in too, not only what the tests reference), then run the tests on that build.
dotnet build renode-framealloc.sln -c Release --nologo -v quiet 2>&1 | tee "$log"
build_status=${PIPESTATUS[0]}
if [ "$build_status" -eq 0 ]; then
    dotnet test renode-framealloc.sln -c Release --no-build --nologo 2>&1 | tee -a "$log"
    dotnet_status=${PIPESTATUS[0]}
    # The suites of the code that checks its own invariants in debug builds (the allocator's
    # lists, bus_dma, the software TLB) once more in Debug, where those checks run on every step.
    for project in tests/FrameAllocator.Tests tests/BusDma.Tests tests/Devices.Tests; do
        echo "Debug build, invariant checks on: $project"
        dotnet test "$project" -c Debug --nologo 2>&1 | tee -a "$log"
        debug_status=${PIPESTATUS[0]}
        if [ "$debug_status" -ne 0 ]; then
            dotnet_status=$debug_status
        fi
    done
else
    dotnet_status=$build_status
fi

# VSTest prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, ..."
read -r passed failed skipped < <(awk '
    /(Passed|Failed)! +- +Failed: / {
        gsub(",", "");
        for(i = 1; i <= NF; i++)
        {
            if($i == "Failed:") f += $(i + 1);
            if($i == "Passed:") p += $(i + 1);
            if($i == "Skipped:") s += $(i + 1);
        }
    }
    END { printf "%d %d %d\n", p, f, s }' "$log")

passed=$((passed + guest_passed))
failed=$((failed + guest_failed))
skipped=$((skipped + guest_skipped))

if [ "$dotnet_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # The build or the runner failed before any test could report: count that as a failure.
    echo "the build or dotnet test exited with status $dotnet_status before reporting a failed test"
    failed=1
fi

# Benchmarks do not run here; each one's --smoke mode checks that it starts and that its
# bodies give valid results (a few iterations, seconds). Built above by dotnet test.
for project in bench/*/*.csproj; do
    case "$project" in *.Tests.csproj) continue ;; esac
    name=$(basename "$project" .csproj)
    smoke_log=$(mktemp)
    if timeout 300 dotnet "$(dirname "$project")/bin/Release/net10.0/$name.dll" --smoke >"$smoke_log" 2>&1; then
        echo "Benchmark smoke run passed: $project"
        passed=$((passed + 1))
    else
        echo "Benchmark smoke run FAILED: $project"
        tail -n 30 "$smoke_log"
        failed=$((failed + 1))
    fi
    rm -f "$smoke_log"
done

if command -v renode-test >/dev/null 2>&1; then
    # All suites in one renode-test run (one Renode process); every Robot test counts once, read
    # from the run's robot_output.xml. A run that leaves no results counts as one failure.
    suites=()
    for suite in robot-tests/*.robot; do
        if { [ "$suite" = robot-tests/firmware.robot ] && [ ! -e guest/build/riscv/selftest.elf ]; } \
            || { [ "$suite" = robot-tests/hart-tlb.robot ] && [ ! -e guest/build/hart-tlb/hart-tlb.elf ]; }; then
            echo "Robot suite skipped: $suite needs the guest firmware, which was not built."
            skipped=$((skipped + 1))
            continue
        fi
        suites+=("$suite")
    done
    robot_dir=$(mktemp -d)
    renode-test -r "$robot_dir" "${suites[@]}"
    robot_status=$?
    read -r robot_passed robot_failed robot_skipped < <(python3 - "$robot_dir/robot_output.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET
try:
    stat = ET.parse(sys.argv[1]).getroot().find("./statistics/total/stat")
    print(stat.get("pass", "0"), stat.get("fail", "0"), stat.get("skip", "0"))
except Exception:
    print(0, 0, 0)
PY
)
    if [ "$robot_status" -ne 0 ] && [ "$robot_failed" -eq 0 ]; then
        echo "renode-test exited with status $robot_status before reporting a failed test"
        robot_failed=1
    fi
    echo "Robot suites: $robot_passed passed, $robot_failed failed, $robot_skipped skipped (results in $robot_dir)"
    passed=$((passed + robot_passed))
    failed=$((failed + robot_failed))
    skipped=$((skipped + robot_skipped))
else
    echo "Robot suites skipped: renode-test is not on PATH (install Renode to run robot-tests/)."
fi

if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
