# SPDX-License-Identifier: MIT
# mpi_lib.sh - what the mpirun tests share (sourced after mount_lib.sh):
# Open MPI's settings for this machine, `ranks4 CMD ARGS...` to run `dgen
# CMD ARGS` in four ranks, and `rank0 STATUS`.  SKIPs where mpirun is
# absent (in CI, where it must be there, that fails).

command -v mpirun >/dev/null 2>&1 || skip "mpirun not found (Debian: apt-get install openmpi-bin)"

# Open MPI here: as root only when told so; shared memory without
# cross-memory attach (often barred in containers); local ranks need no ssh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_plm_rsh_agent=false OMPI_MCA_rmaps_base_oversubscribe=1
# a sanitizer build: Open MPI unloads its components at exit, so a leak's
# stack must reach past their frames to the libraries tests/lsan.supp names
case "${ASAN_OPTIONS:-}" in
?*) export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0" ;;
esac

# ranks4 CMD DIR ARGS...: dgen CMD DIR ARGS under mpirun -np 4, with
# %rank% in DIR replaced by each rank's number; stdout in $WORK/out,
# stderr in $WORK/err, each rank's exit status in $WORK/status.RANK.  The
# 5-minute bound only turns a rank that hangs into a failure saying so;
# no run comes near it, however loaded the machine.
ranks4() {
	rm -f "$WORK"/status.*
	mpirun_rc=0
	timeout 300 mpirun --oversubscribe -np 4 sh -c '
		rank=$OMPI_COMM_WORLD_RANK
		cmd=$1
		dir=$(printf %s "$2" | sed "s/%rank%/$rank/g")
		shift 2
		"$0" "$cmd" "$dir" "$@"
		echo $? >"'"$WORK"'/status.$rank"' \
		"$DGEN" "$@" >"$WORK/out" 2>"$WORK/err" || mpirun_rc=$?
	[ "$mpirun_rc" != 124 ] || fail "dgen $* under mpirun did not end in 5 minutes: a rank hangs"
}
# rank0 STATUS: rank 0 of the last ranks4 exited STATUS.
rank0() {
	got=$(cat "$WORK/status.0" 2>/dev/null || echo none)
	[ "$got" = "$1" ] && return
	cat "$WORK/out" "$WORK/err" >&2
	fail "rank 0 exited $got, expected $1"
}
# unless_mpi_refuses CMD DIR ARGS...: in a dgen built without MPI, four
# processes cannot share the work of `dgen CMD DIR ARGS`: check that each
# refuses and end the test; with MPI, return.
unless_mpi_refuses() {
	grep -q '^#define HAVE_MPI 1' "$top_builddir/config.h" && return
	ranks4 "$@"
	rank0 2
	[ "$(grep -c 'do not see each other' "$WORK/err")" = 4 ] ||
		fail "not every process refused: $(cat "$WORK/err")"
	echo "dgen is built without MPI: checked that it refuses; the aggregated run needs --with-mpi"
	exit 0
}
