/* xinyong: the rows of store.h own their strings in one heap block.
 *
 * Every row type lists the offsets of its `const char *` members; copying a
 * row measures them, copies them into one malloc'd block and points the
 * members there.  One rule for every type (store.h, "Ownership"). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/store.h"

typedef struct row_layout {
	size_t size;       /* sizeof the row */
	size_t mem;        /* offsetof its `void *mem` */
	const size_t *str; /* offsets of its `const char *` members */
	size_t nstr;
} row_layout;

static const char **field(void *row, size_t off)
{
	return (const char **)(void *)((char *)row + off);
}

/* Make row own copies of the strings it points at (NULL becomes "");
 * a block it owned before is freed after the copy. */
static xy_code own(void *row, const row_layout *l)
{
	void **memp = (void **)(void *)((char *)row + l->mem);
	size_t total = 0, i;
	char *block, *p;
	for (i = 0; i < l->nstr; i++) {
		const char *v = *field(row, l->str[i]);
		total += (v ? strlen(v) : 0) + 1;
	}
	if (!(block = malloc(total)))
		return XY_ERR_NOMEM;
	for (p = block, i = 0; i < l->nstr; i++) {
		const char **f = field(row, l->str[i]);
		size_t len = *f ? strlen(*f) : 0;
		if (len)
			memcpy(p, *f, len);
		p[len] = '\0';
		*f = p;
		p += len + 1;
	}
	free(*memp);
	*memp = block;
	return XY_OK;
}

static xy_code copy(void *dst, const void *src, const row_layout *l)
{
	xy_code rc;
	if (dst != src) {
		memcpy(dst, src, l->size);
		*(void **)(void *)((char *)dst + l->mem) = NULL;
	}
	if ((rc = own(dst, l))) {
		/* dst == src keeps its old block; otherwise nothing was allocated */
		if (dst != src)
			memset(dst, 0, l->size);
	}
	return rc;
}

static void release(void *row, const row_layout *l)
{
	if (!row)
		return;
	free(*(void **)(void *)((char *)row + l->mem));
	memset(row, 0, l->size);
}

#define N(a) (sizeof a / sizeof a[0])
#define ROW_TYPE(T, ...) \
	static const size_t T##_str[] = { __VA_ARGS__ }; \
	static const row_layout T##_layout = { sizeof(T), offsetof(T, mem), T##_str, \
					       N(T##_str) }; \
	xy_code T##_copy(T *dst, const T *src) \
	{ \
		return copy(dst, src, &T##_layout); \
	} \
	void T##_release(T *row) \
	{ \
		release(row, &T##_layout); \
	}
#define S(T, f) offsetof(T, f)

ROW_TYPE(xy_batch, S(xy_batch, unit), S(xy_batch, category), S(xy_batch, file),
	 S(xy_batch, message), S(xy_batch, error_report))
ROW_TYPE(xy_entry_row, S(xy_entry_row, list_type), S(xy_entry_row, subject_code),
	 S(xy_entry_row, subject_name), S(xy_entry_row, unit), S(xy_entry_row, doc),
	 S(xy_entry_row, reason), S(xy_entry_row, role), S(xy_entry_row, via_code),
	 S(xy_entry_row, via_name))
ROW_TYPE(xy_check_row, S(xy_check_row, unit), S(xy_check_row, subject_code),
	 S(xy_check_row, matter))
ROW_TYPE(xy_record_row, S(xy_record_row, unit), S(xy_record_row, category),
	 S(xy_record_row, key), S(xy_record_row, subject_code), S(xy_record_row, subject_name))
ROW_TYPE(xy_case_row, S(xy_case_row, applicant), S(xy_case_row, reason),
	 S(xy_case_row, evidence), S(xy_case_row, commitment), S(xy_case_row, unit),
	 S(xy_case_row, subject_code), S(xy_case_row, subject_name), S(xy_case_row, category),
	 S(xy_case_row, record_key))
ROW_TYPE(xy_interview_row, S(xy_interview_row, persons), S(xy_interview_row, topic),
	 S(xy_interview_row, result), S(xy_interview_row, unit),
	 S(xy_interview_row, subject_code), S(xy_interview_row, subject_name))
ROW_TYPE(xy_commitment_row, S(xy_commitment_row, no), S(xy_commitment_row, type),
	 S(xy_commitment_row, subject_code), S(xy_commitment_row, subject_name),
	 S(xy_commitment_row, unit), S(xy_commitment_row, matter),
	 S(xy_commitment_row, content))
ROW_TYPE(xy_gov_dishonesty_row, S(xy_gov_dishonesty_row, body_code), S(xy_gov_dishonesty_row, body_name),
	 S(xy_gov_dishonesty_row, unit), S(xy_gov_dishonesty_row, creditor_code),
	 S(xy_gov_dishonesty_row, creditor_name), S(xy_gov_dishonesty_row, case_type),
	 S(xy_gov_dishonesty_row, amount), S(xy_gov_dishonesty_row, source), S(xy_gov_dishonesty_row, note))
ROW_TYPE(xy_report_row, S(xy_report_row, number), S(xy_report_row, day),
	 S(xy_report_row, subject_name), S(xy_report_row, subject_code),
	 S(xy_report_row, generated_at), S(xy_report_row, data_as_of), S(xy_report_row, sha256),
	 S(xy_report_row, code), S(xy_report_row, who))

ROW_TYPE(xy_application_row, S(xy_application_row, receipt), S(xy_application_row, day),
	 S(xy_application_row, kind), S(xy_application_row, secret),
	 S(xy_application_row, contact), S(xy_application_row, filed_at))
ROW_TYPE(xy_attachment_row, S(xy_attachment_row, name), S(xy_attachment_row, type),
	 S(xy_attachment_row, sha256))

void xy_batches_free(xy_batch *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		xy_batch_release(&v[i]);
	free(v);
}
