/* The growable buffer (lib/core/buf.c). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/buf.h"
#include "xinyong/text.h"

/* Invariants every buffer must keep, whatever happened to it. */
static void check_invariants(const xy_buf *b)
{
	cr_assert_not_null(b->data);
	cr_assert_eq(b->data[b->len], '\0', "data[len] must be NUL");
	if (b->cap)
		cr_assert_lt(b->len, b->cap);
	if (b->limit)
		cr_assert_leq(b->len, b->limit);
}

Test(buf, static_init_is_empty_string)
{
	xy_buf b = XY_BUF_INIT;
	check_invariants(&b);
	cr_assert_str_eq(b.data, "");
	cr_assert_eq(b.len, 0);
	xy_buf_release(&b); /* releasing a never-grown buffer must not free the shared "" */
	check_invariants(&b);
}

Test(buf, init_sets_limit_and_data)
{
	xy_buf b;
	memset(&b, 0xAB, sizeof b);
	xy_buf_init(&b, 17);
	check_invariants(&b);
	cr_assert_eq(b.limit, 17);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
}

Test(buf, add_addstr_addch_concatenate)
{
	xy_buf b = XY_BUF_INIT;
	cr_assert_eq(xy_buf_add(&b, "ab", 2), XY_OK);
	cr_assert_eq(xy_buf_addstr(&b, "营口"), XY_OK);
	cr_assert_eq(xy_buf_addch(&b, '!'), XY_OK);
	cr_assert_eq(xy_buf_add(&b, "zzz", 0), XY_OK);
	check_invariants(&b);
	cr_assert_eq(b.len, 2 + strlen("营口") + 1);
	cr_assert_str_eq(b.data, "ab营口!");
	xy_buf_release(&b);
}

Test(buf, embedded_nul_kept)
{
	xy_buf b = XY_BUF_INIT;
	cr_assert_eq(xy_buf_add(&b, "a\0b", 3), XY_OK);
	check_invariants(&b);
	cr_assert_eq(b.len, 3);
	cr_assert_eq(memcmp(b.data, "a\0b", 4), 0);
	xy_buf_release(&b);
}

Test(buf, grows_past_many_reallocations)
{
	xy_buf b = XY_BUF_INIT;
	char expect[10000];
	for (int i = 0; i < 10000; i++) {
		char c = (char)('a' + i % 26);
		expect[i] = c;
		cr_assert_eq(xy_buf_addch(&b, c), XY_OK);
	}
	check_invariants(&b);
	cr_assert_eq(b.len, 10000);
	cr_assert_eq(memcmp(b.data, expect, sizeof expect), 0);
	xy_buf_release(&b);
	cr_assert_eq(b.len, 0);
	check_invariants(&b);
}

Test(buf, addf_formats_and_appends)
{
	xy_buf b = XY_BUF_INIT;
	cr_assert_eq(xy_buf_addf(&b, "%s-%03d", "批次", 7), XY_OK);
	cr_assert_eq(xy_buf_addf(&b, "|%zu|%.2f", (size_t)12345, 1.5), XY_OK);
	cr_assert_eq(xy_buf_addf(&b, "%s", ""), XY_OK);
	check_invariants(&b);
	cr_assert_str_eq(b.data, "批次-007|12345|1.50");
	cr_assert_eq(b.len, strlen("批次-007|12345|1.50"));
	xy_buf_release(&b);
}

Test(buf, addf_long_output)
{
	xy_buf b = XY_BUF_INIT;
	char big[5000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cr_assert_eq(xy_buf_addstr(&b, "<"), XY_OK);
	cr_assert_eq(xy_buf_addf(&b, "%s>", big), XY_OK);
	check_invariants(&b);
	cr_assert_eq(b.len, sizeof big + 1);
	cr_assert_eq(b.data[0], '<');
	cr_assert_eq(b.data[b.len - 1], '>');
	cr_assert_eq(b.data[b.len - 2], 'x');
	xy_buf_release(&b);
}

/* ---- JSON string literals, table-driven ---- */

struct json_case {
	const char *in;
	size_t n;
	const char *out;
};

#define JC(lit, out) { lit, sizeof lit - 1, out }

static const struct json_case json_cases[] = {
	JC("", "\"\""),
	JC("plain", "\"plain\""),
	JC("say \"hi\"", "\"say \\\"hi\\\"\""),
	JC("C:\\dir\\", "\"C:\\\\dir\\\\\""),
	JC("a\nb\rc\td", "\"a\\nb\\rc\\td\""),
	JC("\x01\x1f", "\"\\u0001\\u001f\""),
	JC("\b\f", "\"\\u0008\\u000c\""),
	JC("nul\0x", "\"nul\\u0000x\""),
	JC("\x7f", "\"\x7f\""), /* DEL needs no escape in JSON */
	JC("/", "\"/\""),
	JC("营口市（示例）", "\"营口市（示例）\""),
	JC("𠀀㐀", "\"𠀀㐀\""),
	JC("\"", "\"\\\"\""),
	JC("end\\", "\"end\\\\\""),
};

Test(buf, addjson_table)
{
	for (size_t i = 0; i < sizeof json_cases / sizeof json_cases[0]; i++) {
		const struct json_case *c = &json_cases[i];
		xy_buf b = XY_BUF_INIT;
		cr_assert_eq(xy_buf_addstr(&b, "x="), XY_OK);
		cr_assert_eq(xy_buf_addjson(&b, c->in, c->n), XY_OK, "case %zu", i);
		check_invariants(&b);
		cr_expect_eq(b.len, 2 + strlen(c->out), "case %zu: len %zu", i, b.len);
		cr_expect_str_eq(b.data + 2, c->out, "case %zu", i);
		cr_expect_eq(memcmp(b.data, "x=", 2), 0);
		xy_buf_release(&b);
	}
}

Test(buf, addjson_every_control_char)
{
	for (int c = 0; c < 0x20; c++) {
		xy_buf b = XY_BUF_INIT;
		char in = (char)c, want[16];
		if (c == '\n')
			snprintf(want, sizeof want, "\"\\n\"");
		else if (c == '\r')
			snprintf(want, sizeof want, "\"\\r\"");
		else if (c == '\t')
			snprintf(want, sizeof want, "\"\\t\"");
		else
			snprintf(want, sizeof want, "\"\\u%04x\"", c);
		cr_assert_eq(xy_buf_addjson(&b, &in, 1), XY_OK);
		cr_expect_str_eq(b.data, want, "control 0x%02x", c);
		xy_buf_release(&b);
	}
}

/* Escapes are found 8 bytes at a time: put each byte that needs one at
 * every position of a 40-byte text of CJK and ASCII, and compare with a
 * byte-by-byte escaper. */
static void naive_json(xy_buf *out, const unsigned char *s, size_t n)
{
	xy_buf_addch(out, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			xy_buf_addf(out, "\\%c", s[i]);
		else if (s[i] == '\n')
			xy_buf_addstr(out, "\\n");
		else if (s[i] == '\r')
			xy_buf_addstr(out, "\\r");
		else if (s[i] == '\t')
			xy_buf_addstr(out, "\\t");
		else if (s[i] < 0x20)
			xy_buf_addf(out, "\\u%04x", s[i]);
		else
			xy_buf_addch(out, (char)s[i]);
	}
	xy_buf_addch(out, '"');
}

Test(buf, addjson_escape_at_every_position)
{
	static const unsigned char special[] = {'"', '\\', 0x01, 0x1f, '\n', 0x00, 0x7f, 0xe8};
	const char *base = "营口市abc市场监督管理局 x";
	size_t n = strlen(base);
	for (size_t k = 0; k < sizeof special; k++) {
		for (size_t pos = 0; pos < n; pos++) {
			unsigned char in[64];
			xy_buf got = XY_BUF_INIT, want = XY_BUF_INIT;
			memcpy(in, base, n);
			in[pos] = special[k];
			cr_assert_eq(xy_buf_addjson(&got, (const char *)in, n), XY_OK);
			naive_json(&want, in, n);
			cr_expect_eq(got.len, want.len, "byte 0x%02x at %zu", special[k], pos);
			cr_expect_eq(memcmp(got.data, want.data, want.len), 0,
				     "byte 0x%02x at %zu", special[k], pos);
			xy_buf_release(&got);
			xy_buf_release(&want);
		}
	}
}

/* xy_utf8_len takes a short cut for 3-byte sequences with leads E1-EC and
 * EE-EF; the leads with restrictions and cut sequences still fail. */
Test(text, utf8_len_three_byte_forms)
{
	cr_expect_eq(xy_utf8_len("营口", 6), 2);
	cr_expect_eq(xy_utf8_len("a\xe1\x80\x80z", 5), 3);
	cr_expect_eq(xy_utf8_len("\xef\xbf\xbd", 3), 1);
	cr_expect_eq(xy_utf8_len("\xed\x9f\xbf", 3), 1);              /* U+D7FF */
	cr_expect_eq(xy_utf8_len("\xed\xa0\x80", 3), (size_t)-1);     /* surrogate */
	cr_expect_eq(xy_utf8_len("\xe0\x80\x80", 3), (size_t)-1);     /* overlong */
	cr_expect_eq(xy_utf8_len("\xe8\x90", 2), (size_t)-1);         /* cut */
	cr_expect_eq(xy_utf8_len("\xe8\x90\xa5", 2), (size_t)-1);     /* cut by n */
	cr_expect_eq(xy_utf8_len("\xe8\x41\xa5", 3), (size_t)-1);     /* not continuation */
	cr_expect_eq(xy_utf8_len("\xe8\x90\xc0", 3), (size_t)-1);
}

/* ---- limits ---- */

Test(buf, limit_exact_fit_then_refuse)
{
	xy_buf b;
	xy_buf_init(&b, 5);
	cr_assert_eq(xy_buf_addstr(&b, "abc"), XY_OK);
	cr_assert_eq(xy_buf_addstr(&b, "de"), XY_OK); /* exactly 5 */
	cr_assert_eq(b.len, 5);
	cr_assert_eq(xy_buf_addch(&b, 'f'), XY_ERR_LIMIT);
	cr_assert_eq(xy_buf_add(&b, "", 0), XY_OK); /* nothing added: still fits */
	check_invariants(&b);
	cr_assert_str_eq(b.data, "abcde");
	xy_buf_release(&b);
	cr_assert_eq(b.limit, 5, "release keeps the limit");
}

Test(buf, limit_failures_leave_buffer_unchanged)
{
	xy_buf b;
	char before[16];
	size_t len;
	xy_buf_init(&b, 10);
	cr_assert_eq(xy_buf_addstr(&b, "1234567"), XY_OK);
	len = b.len;
	memcpy(before, b.data, len + 1);

	cr_assert_eq(xy_buf_add(&b, "abcd", 4), XY_ERR_LIMIT);
	cr_assert_eq(b.len, len);
	cr_assert_str_eq(b.data, before);

	cr_assert_eq(xy_buf_addstr(&b, "abcd"), XY_ERR_LIMIT);
	cr_assert_eq(xy_buf_addf(&b, "%d", 1234), XY_ERR_LIMIT);
	cr_assert_eq(b.len, len);
	cr_assert_str_eq(b.data, before);

	/* JSON: the literal "ab" is 4 bytes: fits 7+4 > 10?  no: refused */
	cr_assert_eq(xy_buf_addjson(&b, "ab", 2), XY_ERR_LIMIT);
	cr_assert_eq(b.len, len);
	cr_assert_str_eq(b.data, before);
	check_invariants(&b);

	/* still usable afterwards */
	cr_assert_eq(xy_buf_addf(&b, "%d", 890), XY_OK);
	cr_assert_str_eq(b.data, "1234567890");
	xy_buf_release(&b);
}

/* The unescaped text fits the limit but its escapes do not: the append must
 * still fail as a whole, not leave half a string literal behind. */
Test(buf, limit_addjson_escapes_overflow_unchanged)
{
	xy_buf b;
	xy_buf_init(&b, 12);
	cr_assert_eq(xy_buf_addstr(&b, "k:"), XY_OK);
	/* "a\"b\"c" → "a\"b\"c" with quotes = 2 + 5 + 2 = 9 bytes: 11 total, fits */
	cr_assert_eq(xy_buf_addjson(&b, "a\"b\"c", 5), XY_OK);
	cr_assert_str_eq(b.data, "k:\"a\\\"b\\\"c\"");
	xy_buf_release(&b);

	xy_buf_init(&b, 12);
	cr_assert_eq(xy_buf_addstr(&b, "k:"), XY_OK);
	/* 4 raw bytes + quotes = 6 fits, but escaped it is 2 + 4*6 = 26 */
	cr_assert_eq(xy_buf_addjson(&b, "\x01\x02\x03\x04", 4), XY_ERR_LIMIT);
	check_invariants(&b);
	cr_assert_eq(b.len, 2);
	cr_assert_str_eq(b.data, "k:");
	xy_buf_release(&b);

	xy_buf_init(&b, 8);
	/* fails on the closing quote only */
	cr_assert_eq(xy_buf_addjson(&b, "abc\\de", 6), XY_ERR_LIMIT);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
	xy_buf_release(&b);
}

Test(buf, grow_respects_limit)
{
	xy_buf b;
	xy_buf_init(&b, 100);
	cr_assert_eq(xy_buf_grow(&b, 100), XY_OK);
	cr_assert_geq(b.cap, 101);
	check_invariants(&b);
	cr_assert_eq(xy_buf_grow(&b, 101), XY_ERR_LIMIT);
	cr_assert_eq(xy_buf_grow(&b, (size_t)-1), XY_ERR_NOMEM);
	cr_assert_eq(b.len, 0);
	xy_buf_release(&b);
}

/* ---- ownership ---- */

Test(buf, detach_hands_over_memory)
{
	xy_buf b;
	size_t n = 0;
	char *p;
	xy_buf_init(&b, 50);
	cr_assert_eq(xy_buf_addstr(&b, "信用信息"), XY_OK);
	p = xy_buf_detach(&b, &n);
	cr_assert_not_null(p);
	cr_assert_eq(n, strlen("信用信息"));
	cr_assert_str_eq(p, "信用信息");
	/* the buffer is re-initialised and independent of p */
	check_invariants(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(b.limit, 50);
	cr_assert_neq(b.data, p);
	cr_assert_eq(xy_buf_addstr(&b, "x"), XY_OK);
	cr_assert_str_eq(p, "信用信息");
	free(p);
	xy_buf_release(&b);
}

Test(buf, detach_empty_gives_freeable_string)
{
	xy_buf b = XY_BUF_INIT;
	size_t n = 99;
	char *p = xy_buf_detach(&b, &n);
	cr_assert_not_null(p);
	cr_assert_eq(n, 0);
	cr_assert_str_eq(p, "");
	cr_assert_neq(p, xy__buf_empty, "must not hand out the shared empty string");
	free(p);
	p = xy_buf_detach(&b, NULL); /* NULL len is allowed */
	cr_assert_not_null(p);
	free(p);
}

Test(buf, reset_and_truncate)
{
	xy_buf b = XY_BUF_INIT;
	cr_assert_eq(xy_buf_addstr(&b, "abcdef"), XY_OK);
	xy_buf_truncate(&b, 3);
	check_invariants(&b);
	cr_assert_str_eq(b.data, "abc");
	cr_assert_eq(b.len, 3);
	xy_buf_truncate(&b, 3);
	cr_assert_str_eq(b.data, "abc");
	cr_assert_eq(xy_buf_addstr(&b, "XY"), XY_OK);
	cr_assert_str_eq(b.data, "abcXY");
	xy_buf_reset(&b);
	check_invariants(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
	cr_assert_gt(b.cap, 0, "reset keeps the memory");
	xy_buf_release(&b);

	/* truncating an untouched buffer to 0 must not write into the shared "" */
	xy_buf_truncate(&b, 0);
	xy_buf_reset(&b);
	check_invariants(&b);
	cr_assert_eq(xy__buf_empty[0], '\0');
}

Test(buf, shared_empty_never_written)
{
	xy_buf a = XY_BUF_INIT, b = XY_BUF_INIT;
	cr_assert_eq(xy_buf_addstr(&a, "hello"), XY_OK);
	cr_assert_str_eq(b.data, "");
	cr_assert_neq(a.data, b.data);
	xy_buf_release(&a);
	cr_assert_str_eq(a.data, "");
	cr_assert_eq(xy__buf_empty[0], '\0');
}

Test(array, grows_by_doubling_and_keeps_the_elements)
{
	int *v = NULL, *g;
	size_t cap = 0, n;
	for (n = 0; n < 100; n++) {
		g = xy_array_grow(v, n, &cap, sizeof *v, 4);
		cr_assert_not_null(g);
		v = g;
		v[n] = (int)n * 3;
		cr_assert_geq(cap, n + 1);
	}
	cr_expect_eq(cap, 128, "4, 8, …, 128: got %zu", cap);
	for (n = 0; n < 100; n++)
		cr_expect_eq(v[n], (int)n * 3);
	/* room already there: the same array back, cap untouched */
	cr_expect_eq(xy_array_grow(v, 100, &cap, sizeof *v, 4), v);
	cr_expect_eq(cap, 128);
	free(v);
}

Test(array, refuses_a_size_that_would_overflow)
{
	char one = 'x';
	char *v = malloc(1);
	size_t cap = SIZE_MAX / 2 + 1; /* doubling would wrap */
	cr_assert_not_null(v);
	*v = one;
	cr_expect_null(xy_array_grow(v, cap, &cap, 1, 4));
	cr_expect_eq(cap, SIZE_MAX / 2 + 1, "cap unchanged on failure");
	cap = 8;
	cr_expect_null(xy_array_grow(v, 8, &cap, SIZE_MAX / 8, 4), "16 × (SIZE_MAX/8) overflows");
	cr_expect_eq(cap, 8);
	cr_expect_eq(*v, one, "the array is untouched and still owned by the caller");
	free(v);
}

/* xy_json_dump writes what jansson reads back as the same value, and, for
 * values without control characters (where the two choose other escapes),
 * the very bytes json_dumps(JSON_COMPACT) writes: insertion order, UTF-8
 * kept, no spaces.  A limit that would cut the text leaves the buffer as
 * it was. */
Test(buf, json_dump_equals_jansson)
{
	const char *cases[] = {
		"{}", "[]", "\"\"", "0", "-9007199254740993", "true", "false", "null", "1.5",
		"{\"b\":1,\"a\":[1,2,{\"c\":null}],\"营口\":\"有\\\"引号\\\\反斜杠/斜杠\"}",
		"[\"统一社会信用代码\",\"91210802MA0XYQA01T\",[],{},[[[]]],-0.25,1e300]",
		"{\"subject\":\"X\",\"measures\":[{\"number\":7,\"condition\":null}],\"found\":false}",
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		json_error_t je;
		json_t *v = json_loads(cases[i], JSON_DECODE_ANY, &je), *back;
		xy_buf b = XY_BUF_INIT;
		char *want;
		cr_assert_not_null(v, "%s: %s", cases[i], je.text);
		cr_assert_eq(xy_json_dump(v, &b), XY_OK);
		want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		cr_assert_str_eq(b.data, want, "case %zu", i);
		back = json_loads(b.data, JSON_DECODE_ANY, &je);
		cr_assert(json_equal(v, back), "%s", b.data);
		free(want);
		json_decref(back);
		json_decref(v);
		xy_buf_release(&b);
	}
	/* control characters in a key, a NUL and control characters in a string */
	{
		json_t *o = json_object();
		xy_buf b = XY_BUF_INIT;
		json_t *back;
		json_object_setn_new(o, "k\001" "ey", 4, json_stringn("a\0b\x01\n\t\x1f", 7));
		cr_assert_eq(xy_json_dump(o, &b), XY_OK);
		back = json_loadb(b.data, b.len, JSON_ALLOW_NUL, NULL);
		cr_assert(json_equal(o, back), "%s", b.data);
		json_decref(back);
		json_decref(o);
		xy_buf_release(&b);
	}
	/* out of room: untouched */
	{
		json_t *v = json_pack("{s:s}", "name", "一个很长的名字");
		xy_buf b;
		xy_buf_init(&b, 12);
		cr_assert_eq(xy_buf_addstr(&b, "ab"), XY_OK);
		cr_assert_neq(xy_json_dump(v, &b), XY_OK);
		cr_assert_str_eq(b.data, "ab");
		cr_assert_eq(b.len, 2);
		json_decref(v);
		xy_buf_release(&b);
	}
}
