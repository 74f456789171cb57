#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a while, by hand; prints the
# executions and any findings (crash files stay in the work directory it names).
#   tools/fuzz/run_fuzz.sh [SECONDS_PER_TARGET] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-120}
BUILD=${2:-build-fuzz}
CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCAMLEAK_FUZZ=ON -DCAMLEAK_TESTS=OFF -DCAMLEAK_PCH=OFF >/dev/null
targets=(fuzz_rtsp_stream_parser fuzz_rtsp_depacketizer fuzz_media_sei_parser fuzz_media_pixel_code
         fuzz_media_frame_identifier)
cmake --build "$BUILD" -j "$(nproc)" --target "${targets[@]}" >/dev/null
WORK=$(mktemp -d "${TMPDIR:-/tmp}/camleak-fuzz.XXXXXX")
echo "work directory: $WORK"
for t in "${targets[@]}"; do
  bin=$(find "$BUILD/tools/fuzz" -name "$t" -type f -executable | head -1)
  mkdir -p "$WORK/$t/corpus"
  set +e
  (cd "$WORK/$t" && "$OLDPWD/$bin" -max_total_time="$SECS" -print_final_stats=1 corpus \
     > log.txt 2>&1)
  code=$?
  set -e
  execs=$(grep -m1 'stat::number_of_executed_units' "$WORK/$t/log.txt" | awk '{print $2}')
  corpus=$(ls "$WORK/$t/corpus" | wc -l)
  crashes=$(ls "$WORK/$t" | grep -cE '^(crash|leak|timeout|oom)-' || true)
  echo "$t: ${execs:-?} executions in ${SECS} s, corpus $corpus inputs, findings $crashes (exit $code)"
done
