#!/bin/sh
# bench_content.sh - throughput of the content function per thread against
# fio's buffer generator (ioengine=null, refill_buffers) at the same dedup
# and compression settings, measured in the same run.  Prints a table; not a
# test.  Run from the build tree after `make`:  bench/bench_content.sh [SECONDS]
set -eu
seconds=${1:-3}
bench=${DGEN_BENCH:-./bench/dgen-bench}
command -v fio >/dev/null || { echo "bench_content: fio is not installed (apt-get install fio)" >&2; exit 2; }
[ -x "$bench" ] || { echo "bench_content: $bench not built (run make)" >&2; exit 2; }

# fio's rate in GB/s for a write of `size` to the null engine
fio_rate() {
	fio --name=gen --ioengine=null --rw=write --bs=1m --size=64g \
	    --runtime="$seconds" --time_based --refill_buffers --numjobs=1 \
	    --dedupe_percentage="$1" --buffer_compress_percentage="$2" \
	    --buffer_compress_chunk=4k 2>&1 |
	sed -n 's/.*WRITE: bw=[^(]*(\([0-9.]*\)\([MG]\)B\/s).*/\1 \2/p' |
	awk '{ print ($2 == "M") ? $1 / 1000 : $1 }'
}

echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; $(fio --version)"
echo "# one thread, 1 MiB buffers, ${seconds}s per figure"
printf '%-10s %12s %12s %8s\n' setting "dgen GB/s" "fio GB/s" ratio
for setting in "1 1 0 0" "1 2 0 50" "2 3 50 67" "3 5 67 80"; do
	set -- $setting
	name="64GiB-d$1-c$2"
	dgen=$("$bench" --seconds "$seconds" "$name" | awk -v n="$name" '$1 == n { print $2 }')
	fio=$(fio_rate "$3" "$4")
	printf '%-10s %12.2f %12.2f %8.2f\n' "d$1,c$2" "$dgen" "$fio" \
	       "$(echo "$dgen $fio" | awk '{ print $1 / $2 }')"
done
