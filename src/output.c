/* Output helpers shared by the commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/buf.h"
#include "xinyong/text.h"

/* Set when a JSON answer could not be built or printed; main turns a
 * successful exit into a failure then (never empty output with exit 0). */
static bool json_failed;

bool cli_json_failed(void)
{
	return json_failed;
}

void cli_json_fail(const char *what)
{
	if (!json_failed)
		fprintf(stderr, "xinyong: cannot build the JSON answer: %s\n",
			what ? what : "a value could not be encoded");
	json_failed = true;
}

int cli_print_json(json_t *v)
{
	char *s;
	if (!v) {
		cli_json_fail("a value is not valid UTF-8 or memory ran out");
		return -1;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(v);
	if (!s) {
		cli_json_fail("encoding failed");
		return -1;
	}
	if (puts(s) == EOF || fflush(stdout) == EOF) {
		free(s);
		cli_json_fail("writing to standard output failed");
		return -1;
	}
	free(s);
	return 0;
}

int cli_json_append(json_t *arr, json_t *v)
{
	if (!v || json_array_append_new(arr, v)) {
		cli_json_fail("an element could not be built");
		return -1;
	}
	return 0;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */

int cli_width(const char *s)
{
	return (int)xy_text_width(s);
}

void cli_pad(FILE *f, const char *s, int width)
{
	int w = cli_width(s);
	fputs(s, f);
	if (w >= width) /* too wide for its column: keep the next one apart */
		fputc(' ', f);
	while (w++ < width)
		fputc(' ', f);
}

json_t *cli_opt_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

void cli_print_batch_layout(json_t *sum)
{
	json_t *sheets = json_object_get(sum, "sheets"), *cols = json_object_get(sum, "unmapped_columns");
	json_t *v;
	size_t i, ndata = 0;
	json_array_foreach(sheets, i, v)
		ndata += json_integer_value(json_object_get(v, "header_row")) > 0;
	json_array_foreach(sheets, i, v) {
		const char *name = json_string_value(json_object_get(v, "sheet"));
		const char *skip = json_string_value(json_object_get(v, "skipped"));
		json_int_t hr = json_integer_value(json_object_get(v, "header_row"));
		if (skip)
			printf("  sheet     %s: skipped, %s\n", name ? name : "(file)", skip);
		else if (name && (ndata > 1 || json_array_size(sheets) > 1))
			printf("  sheet     %s: header on row %lld, %lld rows\n", name, (long long)hr,
			       (long long)json_integer_value(json_object_get(v, "rows")));
		else if (hr > 1)
			printf("  header    row %lld (rows above it skipped: titles, notes)\n",
			       (long long)hr);
	}
	json_array_foreach(cols, i, v) {
		const char *sheet = json_string_value(json_object_get(v, "sheet"));
		json_t *sug = json_object_get(v, "suggestion");
		printf("  unmapped  %s%scolumn %lld '%s': %lld values kept with the batch, not a "
		       "field%s%s%s%s\n", sheet ? sheet : "", sheet ? " " : "",
		       (long long)json_integer_value(json_object_get(v, "column")),
		       json_string_value(json_object_get(v, "header")),
		       (long long)json_integer_value(json_object_get(v, "cells")),
		       json_is_object(sug) ? "; nearest field " : "",
		       json_is_object(sug) ? json_string_value(json_object_get(sug, "name")) : "",
		       json_is_object(sug) ? " " : "",
		       json_is_object(sug) ? json_string_value(json_object_get(sug, "code")) : "");
	}
	if (json_array_size(cols))
		printf("            (xinyong mapping add --unit U --category C 'COLUMN' FIELD maps a "
		       "column for the next imports)\n");
}
