#!/bin/sh
# SPDX-License-Identifier: MIT
# machine_codecs.sh - one line saying what a measured table depends on:
# the CPU, its count, and the versions of the codec libraries (lz4, zstd,
# zlib, lzo) the build links, for the generators that write measured
# tables into the source (bench/calib3_table.sh, bench/profiles_build.sh).
# Measures nothing.
echo "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs;" \
	"lz4 $(pkg-config --modversion liblz4), zstd $(pkg-config --modversion libzstd)," \
	"zlib $(pkg-config --modversion zlib), lzo $(pkg-config --modversion lzo2)"
