/* SPDX-License-Identifier: MIT */
/*
 * stores.c - what stores' dedup sees of a prepared file
 * (dgen_file_block_dedup, dgen_file_chunk_dedup) and of its generations
 * (dgen_file_generation_*): the arguments checked,
 * then the file's format answers from its layout (the format table).
 *
 * Not here: the answers (format1/blocks.c, format2/blocks.c), what
 * stores' compression keeps (the CLI samples the bytes, src/dgen/predict.c).
 */
#include "config.h"

#include "dgen.h"
#include "formats/formats.h"

double dgen_file_block_dedup(const struct dgen_file *file, uint64_t block)
{
	const struct dgen_format_ops *ops = file ? dgen_format(file->format) : NULL;

	if (!ops || !ops->block_dedup || block < DGEN_BLOCK_DEDUP_MIN ||
	    block > DGEN_BLOCK_DEDUP_MAX || (block & (block - 1)))
		return 0.0;
	return ops->block_dedup(file, block);
}

double dgen_file_chunk_dedup(const struct dgen_file *file, uint64_t run_loss)
{
	const struct dgen_format_ops *ops = file ? dgen_format(file->format) : NULL;

	if (!ops || !ops->chunk_dedup || run_loss > DGEN_CHUNK_LOSS_MAX)
		return 0.0;
	return ops->chunk_dedup(file, run_loss);
}

static const struct dgen_format_ops *generations(const struct dgen_file *file,
						 uint64_t generation)
{
	const struct dgen_format_ops *ops = file ? dgen_format(file->format) : NULL;

	return ops && ops->generation_block && generation <= DGEN_GENERATION_MAX ? ops : NULL;
}

double dgen_file_generation_changed(const struct dgen_file *file, uint64_t generation)
{
	const struct dgen_format_ops *ops = generations(file, generation);

	return ops ? ops->generation_changed(file, generation) : -1.0;
}

double dgen_file_generation_block_new(const struct dgen_file *file, uint64_t generation,
				      uint64_t block)
{
	const struct dgen_format_ops *ops = generations(file, generation);

	if (!ops || block < DGEN_BLOCK_DEDUP_MIN || block > DGEN_BLOCK_DEDUP_MAX ||
	    (block & (block - 1)))
		return -1.0;
	return ops->generation_block(file, generation, block);
}

double dgen_file_generation_chunk_new(const struct dgen_file *file, uint64_t generation,
				      uint64_t run_loss)
{
	const struct dgen_format_ops *ops = generations(file, generation);

	if (!ops || run_loss > DGEN_CHUNK_LOSS_MAX)
		return -1.0;
	return ops->generation_chunk(file, generation, run_loss);
}
