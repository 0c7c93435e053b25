#!/usr/bin/env bash
# Prints the swiftc flags that let the compiler use this processor's vector
# units: AVX2 and FMA (the "haswell" level, x86-64-v3) when /proc/cpuinfo
# lists all of that level's features, nothing otherwise. The Makefile passes
# them to every `swift build`; `make CPU_FLAGS=` builds for any x86-64.
# Swift never fuses a multiply and an add on its own; MEDAUG_FMA lets the
# few places that mean a fused multiply-add (OpenCV's filter2D sums and
# colour conversions) use the instruction instead of its emulation in
# double, which agrees with it except for rare double-rounding ties (the
# parity run checks both builds against OpenCV).
# A binary built with these flags stops with "illegal instruction" on an
# older processor: build it where it runs.
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
for f in avx avx2 fma bmi1 bmi2 f16c movbe lzcnt; do
  # lzcnt shows up as "abm" on AMD processors.
  if [ "$f" = lzcnt ] && grep -qw abm <<<"$flags"; then continue; fi
  grep -qw "$f" <<<"$flags" || exit 0
done
echo "-Xswiftc -target-cpu -Xswiftc haswell -Xswiftc -DMEDAUG_FMA"
