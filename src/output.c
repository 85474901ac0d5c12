/* Output helpers shared by the commands. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

void cli_print_json(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s) {
		puts(s);
		free(s);
	}
	json_decref(v);
}

static int wide(unsigned cp)
{
	return cp >= 0x1100 &&
	       (cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
		(cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
		(cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
		(cp >= 0x20000 && cp <= 0x3FFFD));
}

/* Terminal columns of a UTF-8 string: East Asian wide characters take two. */
int cli_width(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	int w = 0;
	while (*u) {
		int k = *u < 0x80 ? 1 : *u >= 0xF0 ? 4 : *u >= 0xE0 ? 3 : 2;
		unsigned cp = k == 1 ? *u : (unsigned)(*u & (0x7F >> k));
		for (int i = 1; i < k; i++) {
			if (!u[i])
				return w + 1;
			cp = (cp << 6) | (u[i] & 0x3Fu);
		}
		w += wide(cp) ? 2 : 1;
		u += k;
	}
	return w;
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
