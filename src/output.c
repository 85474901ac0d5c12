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
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned long c;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return len;
}

json_t *cli_json_text(const char *s, bool *escaped)
{
	json_t *j;
	xy_buf b = XY_BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	size_t n;
	if (escaped)
		*escaped = false;
	if (!s)
		return json_null();
	if ((j = json_string(s)))
		return j;
	n = strlen(s);
	while (n) {
		size_t k = utf8_seq(p, n);
		if (k) {
			xy_buf_add(&b, p, k);
		} else {
			xy_buf_addf(&b, "\\x%02X", *p);
			k = 1;
			if (escaped)
				*escaped = true;
		}
		p += k;
		n -= k;
	}
	j = b.data ? json_string(b.data) : NULL;
	xy_buf_release(&b);
	return j;
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
