#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_content.sh - the content function against fio's buffer generator
# (ioengine=null, refill_buffers) at the same dedup and compression
# settings, one thread each, in paired rounds (dgen, fio, dgen, ...) so
# that a noisy machine slows both alike.  Prints the medians of GB/s and GB
# per CPU second (the bytes over the CPU time the generator really got:
# on a shared machine the fairer figure) and dgen's ratio to fio on both.
# Not a test.  Run from the build tree after `make`:
#   bench/bench_content.sh [SECONDS] [ROUNDS]
set -eu
seconds=${1:-3}
rounds=${2:-5}
bench=${DGEN_BENCH:-./bench/dgen-bench}
command -v fio >/dev/null || { echo "bench_content: fio is not installed (apt-get install fio)" >&2; exit 2; }
[ -x "$bench" ] || { echo "bench_content: $bench not built (run make)" >&2; exit 2; }

# fio's "GB/s GB/cpu-s" for a timed write to the null engine
fio_rates() {
	fio --name=gen --ioengine=null --rw=write --bs=1m --size=64g \
	    --runtime="$seconds" --time_based --refill_buffers --numjobs=1 \
	    --dedupe_percentage="$1" --buffer_compress_percentage="$2" \
	    --buffer_compress_chunk=4k 2>&1 |
	sed -n -e 's/.*cpu *: *usr=\([0-9.]*\)%, sys=\([0-9.]*\)%.*/cpu \1 \2/p' \
	       -e 's/.*WRITE: bw=[^(]*(\([0-9.]*\)\([MG]\)B\/s).*/bw \1 \2/p' |
	awk '$1 == "cpu" { cpu = ($2 + $3) / 100 }
	     $1 == "bw" { gbs = $3 == "M" ? $2 / 1000 : $2 }
	     END { printf "%.2f %.2f\n", gbs, (cpu > 0 ? gbs / cpu : 0) }'
}

echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $(fio --version)"
echo "# one thread each, 1 MiB buffers, ${seconds}s per figure, $rounds paired rounds, medians;"
echo "# fio: --ioengine=null --rw=write --refill_buffers"
echo "#   --dedupe_percentage=D --buffer_compress_percentage=C --buffer_compress_chunk=4k"
printf '%-8s %9s %9s %9s %11s %11s %11s\n' setting "dgen GB/s" "fio GB/s" ratio \
       "dgen GB/cs" "fio GB/cs" ratio
# the medians of columns 1 to 4 of "dgen-GB/s dgen-GB/cs fio-GB/s fio-GB/cs" lines
medians() {
	awk '{ for (c = 1; c <= 4; c++) v[c, NR] = $c }
	     function median(c,   i, j, t, a) {
		for (i = 1; i <= NR; i++) a[i] = v[c, i]
		for (i = 2; i <= NR; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
	     }
	     END { print median(1), median(2), median(3), median(4) }'
}

for setting in "1 1 0 0" "1 2 0 50" "2 3 50 67" "3 5 67 80"; do
	set -- $setting
	name="64GiB-d$1-c$2"
	figures=$(for _ in $(seq "$rounds"); do
		dgen=$("$bench" --seconds "$seconds" "$name" | awk -v n="$name" '$1 == n { print $2, $4 }')
		echo "$dgen $(fio_rates "$3" "$4")"
	done | medians)
	echo "d$1,c$2 $figures" | awk '{ printf "%-8s %9.2f %9.2f %9.2f %11.2f %11.2f %11.2f\n",
		$1, $2, $4, $2 / $4, $3, $5, $3 / $5 }'
done
