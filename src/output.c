/* Output helpers shared by the commands. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "xinyong/text.h"

void cli_print_json(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s) {
		puts(s);
		free(s);
	}
	json_decref(v);
}

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
