#!/usr/bin/env bash
# Miss cost of the hart TLB in Renode: the same 200000 random reads over 1024 pages (and, as the
# baseline, over 8 pages that never miss) with trapping refills, with TSB refills, and under
# Renode's own Sv39 MMU without the hart TLB. Needs renode on PATH (or RENODE=...) and
# riscv64-unknown-elf-gcc. Prints one table; numbers in README.md.
set -eu
cd "$(dirname "$0")/../../.."
renode=${RENODE:-renode}
make -s -C guest firmware
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() # name mode attach-tlb block-size
{
    local name=$1 mode=$2 attach=$3 block=$4
    {
        echo "include @$PWD/renode-framealloc/framealloc.resc"
        echo "mach create \"bench\""
        echo "machine LoadPlatformDescription @$PWD/platforms/framealloc-riscv64.repl"
        if [ "$attach" = yes ]; then
            echo "machine LoadPlatformDescription @$PWD/platforms/framealloc-riscv64-hart-tlb.repl"
        else
            echo "machine LoadPlatformDescriptionFromString \"fwram: Memory.MappedMemory @ sysbus 0x40000000 { size: 0x80000 }\""
        fi
        echo "sysbus.cpu MaximumBlockSize $block"
        echo "sysbus LoadELF @$PWD/guest/build/hart-tlb/hart-tlb-bench.elf"
        echo "sysbus WriteQuadWord 0x40070000 $mode"
        echo "sysbus.uart0 AddLineHook \"BENCH\" \"from System import DateTime; print('HOST %d %s' % (DateTime.UtcNow.Ticks, line))\""
        echo "emulation SetGlobalAdvanceImmediately true"
        echo "emulation RunFor \"30\""
        echo "quit"
    } > "$work/$name.resc"
    "$renode" --console --disable-xwt --plain "$work/$name.resc" 2>&1 | grep "^HOST" | sed "s/^/$name /" || true
}

{
    run trap 0 yes 1
    run tsb 1 yes 1
    run sv39 2 no 10000
    run sv39-block1 2 no 1
} > "$work/lines"

python3 - "$work/lines" <<'PY'
import sys
runs = {}
for line in open(sys.argv[1]):
    name, _, ticks, _, phase, *rest = line.split()
    fields = dict(f.split("=", 1) for f in rest)
    runs.setdefault(name, {})[phase] = (int(ticks), int(fields.get("cycles", 0)), int(fields.get("misses", 0)))
print(f"{'run':12} {'misses':>7} {'cycles resident':>16} {'cycles random':>14} {'cycles/miss':>12} {'ms resident':>12} {'ms random':>10} {'us/miss':>8}")
for name, p in runs.items():
    begin, resident, random = p["begin"], p["resident"], p["random"]
    ms_resident = (resident[0] - begin[0]) / 1e4
    ms_random = (random[0] - resident[0]) / 1e4
    misses = random[2]
    cycles_per = f"{(random[1] - resident[1]) / misses:.1f}" if misses else "-"
    us_per = f"{(ms_random - ms_resident) * 1000 / misses:.2f}" if misses else "-"
    print(f"{name:12} {misses:>7} {resident[1]:>16} {random[1]:>14} {cycles_per:>12} {ms_resident:>12.1f} {ms_random:>10.1f} {us_per:>8}")
PY
