#!/bin/sh
# tests/fuzz/run.sh: builds the libFuzzer harnesses with clang (ASan, UBSan)
# and runs each for a bounded time over its seed corpus tests/fuzz/corpus/NAME.
#
#   FUZZ_SECONDS  seconds per harness (default 60)
#   FUZZ_OUT      build and scratch directory (default $TMPDIR/newskg-fuzz)
#   FUZZ_CONFIG   directory holding the configured config.h (default: src/
#                 of the source tree, else build-asan/src)
#   FUZZ_ONLY     run only this harness (document, rules, extract, sparql or
#                 ntwriter)
#   CLANG         the compiler (default clang)
#
# New inputs go to a scratch corpus under FUZZ_OUT; the seed corpus is not
# modified. A crash leaves its input in $FUZZ_OUT/artifacts and makes the
# script fail: add the input to tests/fuzz/corpus/NAME as a regression test
# after fixing the bug. Prints one summary line per harness.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
seconds=${FUZZ_SECONDS:-60}
out=${FUZZ_OUT:-${TMPDIR:-/tmp}/newskg-fuzz}
cc=${CLANG:-clang}
harnesses=${FUZZ_ONLY:-document rules extract sparql ntwriter}

if [ -n "${FUZZ_CONFIG:-}" ]; then
  cfg=$FUZZ_CONFIG
elif [ -f "$top/src/config.h" ]; then
  cfg=$top/src
elif [ -f "$top/build-asan/src/config.h" ]; then
  cfg=$top/build-asan/src
else
  echo "fuzz: no config.h: run ./configure first (or set FUZZ_CONFIG)" >&2
  exit 2
fi
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "fuzz: $cc not found (Debian: clang libclang-rt-14-dev)" >&2
  exit 2
fi

mkdir -p "$out/obj" "$out/artifacts"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
# shellcheck disable=SC2046 # pkg-config output is a list of flags
cflags="-g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L $san -fsanitize=fuzzer-no-link \
  -I$cfg -I$top/src -DNKG_SRCDIR=\"$top\" -DNKG_PKGDATADIR=\"/nonexistent\" \
  $(pkg-config --cflags redland raptor2 rasqal libpcre2-8 nettle libgvc libcgraph)"
libs="$(pkg-config --libs redland raptor2 rasqal libpcre2-8 nettle libgvc libcgraph) -lm -lpthread"

# The library: every source of src/ but the program's main().
objs=
for c in "$top"/src/*.c; do
  case $(basename "$c") in newskg.c) continue ;; esac
  o=$out/obj/$(basename "$c" .c).o
  if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ "$cfg/config.h" -nt "$o" ]; then
    # shellcheck disable=SC2086
    $cc $cflags -c "$c" -o "$o"
  fi
  objs="$objs $o"
done

status=0
for h in $harnesses; do
  bin=$out/fuzz_$h
  # shellcheck disable=SC2086
  $cc $cflags -fsanitize=fuzzer -o "$bin" "$here/fuzz_$h.c" $objs $libs
  seeds=$here/corpus/$h
  scratch=$out/corpus/$h
  mkdir -p "$scratch"
  case $h in
  rules) extra="-max_len=4096 -dict=$here/rules.dict" ;;
  sparql) extra="-max_len=4096 -dict=$here/sparql.dict" ;;
  document) extra="-max_len=65536" ;;
  ntwriter) extra="-max_len=4096" ;;
  *) extra="-max_len=16384" ;;
  esac
  log=$out/fuzz_$h.log
  # sparql: librdf's own leak (tests/fuzz/lsan.supp) is told from ours only
  # by full stacks through the libraries, which have no frame pointers
  unwind=1
  if [ "$h" = sparql ]; then unwind=0; fi
  # shellcheck disable=SC2086
  if ASAN_OPTIONS="fast_unwind_on_malloc=$unwind${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
    LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0" \
    NEWSKG_RULES=${NEWSKG_RULES:-$top/extract} "$bin" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/$h-" $extra "$scratch" "$seeds" \
    >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
    grep -E 'ERROR|SUMMARY|==[0-9]+==|Test unit written' "$log" | head -20 >&2
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  echo "fuzz_$h: $result, ${runs:-?} executions in ${seconds}s, ${cov:-cov: ?}, corpus $(ls "$scratch" | wc -l) new + $(ls "$seeds" | wc -l) seeds"
done
exit "$status"
