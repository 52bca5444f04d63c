# SPDX-License-Identifier: MIT
# expect_lib.sh - checks of the output a test saved in $OUTDIR/out and
# $OUTDIR/err (sourced by cli_lib.sh and by mount tests that need them;
# fail comes from the library that sources it).

# expect_out TEXT / expect_err TEXT: the last run printed TEXT (fixed string).
expect_out() {
	grep -qF -- "$1" "$OUTDIR/out" || { cat "$OUTDIR/out" >&2; fail "stdout lacks '$1'"; }
}
expect_err() {
	grep -qF -- "$1" "$OUTDIR/err" || { cat "$OUTDIR/err" >&2; fail "stderr lacks '$1'"; }
}
# A rate as dgen and dgenfs print one (src/common/units.h, fio's way):
# "754 MiB/s (791 MB/s)", one prefix for both; RATES_RE the ranks' three.
RATE_RE='[0-9.]+ (B|[KMGTPE]iB)/s \([0-9.]+ (B|[kMGTPE]B)/s\)'
RATES_RE='[0-9.]+/[0-9.]+/[0-9.]+ (B|[KMGTPE]iB)/s \([0-9.]+/[0-9.]+/[0-9.]+ (B|[kMGTPE]B)/s\)'
AMOUNT_RE='[0-9.]+ (B|[KMGTPE]iB) \([0-9.]+ (B|[kMGTPE]B)\)'
# expect_out_re ERE: a line of the last run's stdout matches ERE.
expect_out_re() {
	grep -qE -- "$1" "$OUTDIR/out" || { cat "$OUTDIR/out" >&2; fail "stdout lacks /$1/"; }
}
