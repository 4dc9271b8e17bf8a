#!/usr/bin/env bash
# Runs the jcstress tests of stress-tests/target/jcstress.jar (build it first:
# `mvn -B -pl stress-tests -am package -DskipTests`).
#
#   stress-tests/run.sh [MODE] [more jcstress options...]
#
# MODE:
#   sanity  (default) what CI runs: every test in each JVM configuration jcstress picks, one
#           compilation mode (-sc false), no C2-randomizer forks (-fsm 0), 200 ms per test
#           (-time 200: the sanity preset's 0 ms gives the Mode.Termination tests no sample);
#           2 to 4 minutes on 2 busy cores
#   quick   jcstress's quick preset (5 x 200 ms per fork), all compilation modes
#   full    jcstress's default preset (5 x 1 s per fork, 1 + 5 forks), all compilation
#           modes: hours on 2 cores; select tests with -t REGEXP
#   tough | stress   jcstress's longer presets
#
# Examples:
#   stress-tests/run.sh sanity
#   stress-tests/run.sh full -t 'SharedLockStress'
#   stress-tests/run.sh sanity -jvmArgsPrepend -Dinterproc.waiter=parking
#
# The HTML report goes to $JCSTRESS_RESULTS (default stress-tests/target/jcstress-results),
# with the console output in console.txt beside it. The script exits 1 if any test FAILED (a
# FORBIDDEN outcome was seen) or hit an ERROR (an exception, a timeout, a crashed VM), and ends
# with a line "jcstress: N passed, N failed", counting test runs (test x JVM configuration).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/jcstress.jar"
mode=${1:-sanity}
if [ $# -gt 0 ]; then shift; fi

case "$mode" in
  sanity) args=(-m sanity -sc false -fsm 0 -time 200) ;;
  quick) args=(-m quick) ;;
  full) args=(-m default) ;;
  tough | stress) args=(-m "$mode") ;;
  -h | --help | help)
    sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
    exit 0 ;;
  *)
    echo "unknown mode '$mode': expected sanity, quick, full, tough or stress" >&2
    exit 2 ;;
esac

if [ ! -f "$jar" ]; then
  echo "$jar is missing: run 'mvn -B -pl stress-tests -am package -DskipTests' first" >&2
  exit 2
fi

results=${JCSTRESS_RESULTS:-$here/target/jcstress-results}
rm -rf "$results"
mkdir -p "$results"
cd "$results" # jcstress writes its result blob (jcstress-results-*.bin.gz) into the working directory

start=$(date +%s)
set +e
java -jar "$jar" "${args[@]}" -r "$results" "$@" 2>&1 | tee "$results/console.txt"
java_status=${PIPESTATUS[0]} # jcstress ends with an AssertionError listing failures and errors
set -e
elapsed=$(( $(date +%s) - start ))

console="$results/console.txt"
summary=$(grep -o 'Results: [0-9]* planned; [0-9]* passed, [0-9]* failed, [0-9]* soft errs, [0-9]* hard errs' \
  "$console" | tail -n 1 || true)
if [ -z "$summary" ]; then
  echo "jcstress printed no results: see $console" >&2
  exit 1
fi
[[ $summary =~ ([0-9]+)\ planned\;\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ soft\ errs,\ ([0-9]+)\ hard ]]
planned=${BASH_REMATCH[1]} passed=${BASH_REMATCH[2]} failed=${BASH_REMATCH[3]}
soft=${BASH_REMATCH[4]} hard=${BASH_REMATCH[5]}
echo "jcstress $mode mode took ${elapsed}s; report: $results/index.html"

status=0
if [ "$java_status" -ne 0 ]; then
  status=1
fi
if ! grep -q 'Failed tests: No matches.' "$console" || ! grep -q 'Error tests: No matches.' "$console"; then
  status=1
fi
if [ "$failed" -ne 0 ] || [ "$soft" -ne 0 ] || [ "$hard" -ne 0 ] || [ "$passed" -ne "$planned" ]; then
  status=1
fi
echo "jcstress: $passed passed, $(( planned - passed )) failed"
exit $status
