/* Field validation and normalisation (lib/ingest/validate.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/ingest.h"

#define CONFIG(name) XY_TEST_DATA "/config/" name
#define NO_OUT ((const char *)0)

/* A registry with one configured USCC exception: 91210803MADE2UMA80 (the
 * valid code is 91210803MADE2UMA8E). */
static xy_registry reg;

static void setup(void)
{
	xy_error err = XY_ERROR_INIT;
	cr_assert_eq(setenv("XINYONG_TODAY", "2026-11-26", 1), 0);
	xy_registry_init(&reg);
	cr_assert_eq(xy_registry_load_dir(&reg, CONFIG("ok"), &err), XY_OK, "%s", err.msg);
	cr_assert(xy_registry_uscc_excepted(&reg, "91210803MADE2UMA80"));
}

static void teardown(void)
{
	xy_registry_release(&reg);
}

TestSuite(validate, .init = setup, .fini = teardown);

static char *kinds[] = { "法人及非法人组织", "自然人", "个体工商户" };
static char *states[] = { "1=有效", "2=无效" };

static xy_field field(xy_field_type t, size_t max_len)
{
	xy_field f;
	memset(&f, 0, sizeof f);
	f.code = "T_FIELD";
	f.name = "测试字段";
	f.type = t;
	f.max_len = max_len;
	if (t == XY_FT_ENUM) {
		f.enum_values = kinds;
		f.nenum = 3;
	}
	return f;
}

typedef struct vcase {
	xy_field_type type;
	size_t max_len;
	const char *idtype;
	const char *in;
	size_t len;      /* 0: strlen(in) */
	const char *out; /* NULL: refused with XY_ERR_INVALID */
	bool warned;
	bool with_reg;   /* pass the registry with the exception */
	xy_val_status st; /* expected status; XY_VAL_OK means "OK, or EXCEPTION when warned" */
} vcase;

/* Run one case: the result is appended after a prefix, reasons are set
 * exactly when the value is refused or accepted with a warning, and the
 * status (and the former interface's *warned) as expected. */
static void run(const xy_field *f, const vcase *c, size_t i)
{
	xy_buf out = XY_BUF_INIT;
	xy_reason why;
	xy_val_status st = (xy_val_status)99, want = c->st;
	bool warned = !c->warned, warns;
	size_t len = c->len ? c->len : strlen(c->in);
	xy_code rc;
	if (want == XY_VAL_OK && c->warned)
		want = XY_VAL_EXCEPTION;
	warns = want == XY_VAL_EXCEPTION || want == XY_VAL_CONVERTED || want == XY_VAL_PLACEHOLDER;
	memset(&why, 'Z', sizeof why);
	cr_assert_eq(xy_buf_addstr(&out, "前|"), XY_OK);
	rc = xy_field_check(f, c->in, len, c->idtype, c->with_reg ? &reg : NULL, &out, &why, &st);
	if (c->out) {
		cr_expect_eq(rc, XY_OK, "case %zu %s '%s' refused: %s", i,
			     xy_field_type_name(f->type), c->in, rc == XY_ERR_INVALID ? why.en : "");
		cr_expect_eq(st, want, "case %zu '%s': status %d, not %d", i, c->in, st, want);
		if (rc == XY_OK) {
			cr_expect_str_eq(out.data + strlen("前|"), c->out, "case %zu '%s'", i, c->in);
			cr_expect_eq(memcmp(out.data, "前|", strlen("前|")), 0);
			if (warns) {
				cr_expect_gt(strlen(why.en), 0, "case %zu: no warning text", i);
				cr_expect_gt(strlen(why.zh), 0, "case %zu: no zh warning text", i);
			} else {
				cr_expect_str_eq(why.en, "", "case %zu: reason set on success", i);
				cr_expect_str_eq(why.zh, "", "case %zu", i);
			}
		}
		/* the former interface agrees */
		xy_buf_reset(&out);
		cr_expect_eq(xy_field_validate(f, c->in, len, c->idtype, c->with_reg ? &reg : NULL,
					       &out, &why, &warned), XY_OK);
		cr_expect_eq(warned, warns, "case %zu '%s': warned %d", i, c->in, warned);
	} else {
		cr_expect_eq(rc, XY_ERR_INVALID, "case %zu %s '%s' accepted as '%s'", i,
			     xy_field_type_name(f->type), c->in, out.data);
		cr_expect_str_eq(out.data, "前|", "case %zu: something appended on a refusal", i);
		/* both languages explain, and the Chinese one is Chinese */
		cr_expect_gt(strnlen(why.en, sizeof why.en), 0, "case %zu '%s': no reason", i, c->in);
		cr_expect_lt(strnlen(why.en, sizeof why.en), sizeof why.en);
		cr_expect_gt(strnlen(why.zh, sizeof why.zh), 0, "case %zu '%s': no zh reason", i,
			     c->in);
		cr_expect_lt(strnlen(why.zh, sizeof why.zh), sizeof why.zh);
		{
			bool cjk = false;
			for (const char *p = why.zh; *p; p++)
				cjk |= (unsigned char)*p >= 0xE4;
			cr_expect(cjk, "case %zu: zh reason '%s' has no Chinese", i, why.zh);
		}
	}
	xy_buf_release(&out);
}

static void run_table(const vcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		xy_field f = field(cases[i].type, cases[i].max_len);
		run(&f, &cases[i], i);
	}
}

#define RUN(tab) run_table(tab, sizeof tab / sizeof tab[0])

/* ---- text ---- */

Test(validate, text)
{
	static char long_text[3 * 5000 + 1];
	static const vcase cases[] = {
		{ XY_FT_TEXT, 3, NULL, "abc", 0, "abc" },
		{ XY_FT_TEXT, 3, NULL, "abcd", 0, NULL },
		{ XY_FT_TEXT, 3, NULL, "营口市", 0, "营口市" },        /* 9 bytes, 3 characters */
		{ XY_FT_TEXT, 3, NULL, "营口市鑫", 0, NULL },
		{ XY_FT_TEXT, 2, NULL, "𠀀㐀", 0, "𠀀㐀" },            /* 4- and 3-byte characters */
		{ XY_FT_TEXT, 1, NULL, "é", 0, "é" },
		{ XY_FT_TEXT, 4, NULL, "a（b）", 0, "a（b）" },
		{ XY_FT_TEXT, 0, NULL, "no limit", 0, "no limit" },
		{ XY_FT_TEXT, 10, NULL, "tab\there", 0, "tab\there" },
		{ XY_FT_TEXT, 10, NULL, "two\r\nlines", 0, "two\r\nlines" },
		{ XY_FT_TEXT, 10, NULL, "del\x7f", 0, "del\x7f" },
		{ XY_FT_TEXT, 10, NULL, "bell\x07", 0, NULL },
		{ XY_FT_TEXT, 10, NULL, "\x1b[0m", 0, NULL },
		{ XY_FT_TEXT, 10, NULL, "esc\x1f", 0, NULL },
		{ XY_FT_TEXT, 10, NULL, "a\0b", 3, NULL },            /* embedded NUL */
		{ XY_FT_TEXT, 10, NULL, "\xff\xfe", 0, NULL },
		{ XY_FT_TEXT, 10, NULL, "\xd3\xaa\xbf\xda", 0, NULL }, /* GBK 营口, not UTF-8 */
		{ XY_FT_TEXT, 10, NULL, "cut\xe8\x90", 0, NULL },     /* truncated 3-byte */
		{ XY_FT_TEXT, 10, NULL, "\xc0\xaf", 0, NULL },        /* overlong '/' */
		{ XY_FT_TEXT, 10, NULL, "\xe0\x80\xaf", 0, NULL },    /* overlong */
		{ XY_FT_TEXT, 10, NULL, "\xed\xa0\x80", 0, NULL },    /* surrogate */
		{ XY_FT_TEXT, 10, NULL, "\xf4\x90\x80\x80", 0, NULL },/* > U+10FFFF */
		{ XY_FT_TEXT, 10, NULL, "\x80", 0, NULL },            /* lone continuation */
		{ XY_FT_TEXT, 10, NULL, "", 0, "" },                  /* empty: accepted, nothing added */
	};
	vcase big[2] = {
		{ XY_FT_TEXT, 5000, NULL, long_text, 0, long_text },
		{ XY_FT_TEXT, 4999, NULL, long_text, 0, NULL },
	};
	RUN(cases);
	for (size_t i = 0; i < 5000; i++)
		memcpy(long_text + 3 * i, "信", 3);
	RUN(big);
}

/* A length inside the string: only len bytes count. */
Test(validate, text_uses_len_not_nul)
{
	xy_field f = field(XY_FT_TEXT, 2);
	vcase c = { XY_FT_TEXT, 2, NULL, "营口市", 6, "营口" };
	run(&f, &c, 0);
}

/* ---- identifiers ---- */

Test(validate, uscc)
{
	static const vcase cases[] = {
		{ XY_FT_USCC, 18, NULL, "91210803MADE2UMA8E", 0, "91210803MADE2UMA8E" },
		{ XY_FT_USCC, 18, NULL, "91210803made2uma8e", 0, "91210803MADE2UMA8E" },
		{ XY_FT_USCC, 18, NULL, "9121 0803-MADE2UMA8E", 0, "91210803MADE2UMA8E" },
		{ XY_FT_USCC, 18, NULL, "９１２１０８０３ＭＡＤＥ２ＵＭＡ８Ｅ", 0, "91210803MADE2UMA8E" },
		{ XY_FT_USCC, 18, NULL, "11210800MAR7YF578P", 0, "11210800MAR7YF578P" },
		{ XY_FT_USCC, 18, NULL, "91210803MADE2UMA8", 0, NULL },   /* 17 characters */
		{ XY_FT_USCC, 18, NULL, "91210803MADE2UMA8EE", 0, NULL }, /* 19 */
		{ XY_FT_USCC, 18, NULL, "91210803MADE2UMI8E", 0, NULL },  /* I is not in the alphabet */
		{ XY_FT_USCC, 18, NULL, "210804195604102130", 0, NULL },  /* a RIC */
		{ XY_FT_USCC, 18, NULL, "不是代码", 0, NULL },
		/* only the check character is wrong: refused without the exception list ... */
		{ XY_FT_USCC, 18, NULL, "91210803MADE2UMA80", 0, NULL },
		/* ... and accepted with a warning when it is a configured exception */
		{ XY_FT_USCC, 18, NULL, "91210803MADE2UMA80", 0, "91210803MADE2UMA80", true, true },
		{ XY_FT_USCC, 18, NULL, "91210803made2uma80", 0, "91210803MADE2UMA80", true, true },
		/* the valid code itself is not a warning, registry or not */
		{ XY_FT_USCC, 18, NULL, "91210803MADE2UMA8E", 0, "91210803MADE2UMA8E", false, true },
		/* another checksum-only code is not excepted */
		{ XY_FT_USCC, 18, NULL, "91210803MADE2UMA81", 0, NULL, false, true },
		/* structure wrong and checksum wrong: the exception list does not help */
		{ XY_FT_USCC, 18, NULL, "91210803MADE2UMAI0", 0, NULL, false, true },
	};
	RUN(cases);
}

/* An identifier longer than the validator's scratch space is refused, not cut. */
Test(validate, uscc_very_long)
{
	char big[600];
	memset(big, '9', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	{
		vcase c = { XY_FT_USCC, 18, NULL, big, 0, NULL };
		xy_field f = field(XY_FT_USCC, 18);
		run(&f, &c, 0);
	}
}

Test(validate, ric_and_org)
{
	static const vcase cases[] = {
		{ XY_FT_RIC, 18, NULL, "210804195604102130", 0, "210804195604102130" },
		{ XY_FT_RIC, 18, NULL, "21080219850612103X", 0, "21080219850612103X" },
		{ XY_FT_RIC, 18, NULL, "21080219850612103x", 0, "21080219850612103X" },
		{ XY_FT_RIC, 18, NULL, " 210804 19560410 2130 ", 0, "210804195604102130" },
		{ XY_FT_RIC, 18, NULL, "210804195604102131", 0, NULL },  /* check character */
		{ XY_FT_RIC, 18, NULL, "210802202705010120", 0, NULL },  /* born after 2026-11-26 */
		{ XY_FT_RIC, 18, NULL, "210804560410213", 0, NULL },     /* 15 digits */
		{ XY_FT_RIC, 18, NULL, "91210803MADE2UMA8E", 0, NULL },
		{ XY_FT_ORG, 10, NULL, "MA0XY0010", 0, "MA0XY0010" },
		{ XY_FT_ORG, 10, NULL, "MA0XY001-0", 0, "MA0XY0010" },
		{ XY_FT_ORG, 10, NULL, "123456788", 0, "123456788" },
		{ XY_FT_ORG, 10, NULL, "123456789", 0, NULL },
		{ XY_FT_ORG, 10, NULL, "12345678", 0, NULL },
	};
	RUN(cases);
}

/* 证件号码: checked as a RIC when the row's 证件类型 says 身份证 (or is
 * absent); otherwise free text, normalised like other identifiers. */
Test(validate, idno_by_document_type)
{
	static const vcase cases[] = {
		{ XY_FT_IDNO, 64, "身份证", "210804195604102130", 0, "210804195604102130" },
		{ XY_FT_IDNO, 64, "居民身份证", "21080219850612103x", 0, "21080219850612103X" },
		{ XY_FT_IDNO, 64, "身份证", "210804195604102131", 0, NULL },
		{ XY_FT_IDNO, 64, "身份证", "E12345678", 0, NULL },
		{ XY_FT_IDNO, 64, NULL, "210804195604102131", 0, NULL },  /* no type: a RIC */
		{ XY_FT_IDNO, 64, "", "E12345678", 0, NULL },
		{ XY_FT_IDNO, 64, NULL, "210804195604102130", 0, "210804195604102130" },
		{ XY_FT_IDNO, 64, "护照", "e1234 5678", 0, "E12345678" },
		{ XY_FT_IDNO, 64, "护照", "Ｅ１２３４５６７８", 0, "E12345678" },
		{ XY_FT_IDNO, 64, "护照", "210804195604102131", 0, "210804195604102131" },
		{ XY_FT_IDNO, 64, "港澳居民来往内地通行证", "H-1234567-8", 0, "H12345678" },
		{ XY_FT_IDNO, 64, "护照", "- -", 0, "", .st = XY_VAL_BLANK }, /* means none */
	};
	RUN(cases);
}

/* ---- enums ---- */

Test(validate, enum_plain)
{
	static const vcase cases[] = {
		{ XY_FT_ENUM, 0, NULL, "自然人", 0, "自然人" },
		{ XY_FT_ENUM, 0, NULL, "法人及非法人组织", 0, "法人及非法人组织" },
		{ XY_FT_ENUM, 0, NULL, "个体工商户", 0, "个体工商户" },
		{ XY_FT_ENUM, 0, NULL, "自然", 0, NULL },
		{ XY_FT_ENUM, 0, NULL, "自然人甲", 0, NULL },
		{ XY_FT_ENUM, 0, NULL, "法人", 0, NULL },
		{ XY_FT_ENUM, 0, NULL, "1", 0, NULL },
	};
	RUN(cases);
}

Test(validate, enum_reason_lists_values)
{
	xy_field f = field(XY_FT_ENUM, 0);
	xy_buf out = XY_BUF_INIT;
	xy_reason why;
	bool warned;
	cr_assert_eq(xy_field_validate(&f, "其他", strlen("其他"), NULL, NULL, &out, &why, &warned),
		     XY_ERR_INVALID);
	cr_expect_neq(strstr(why.en, "个体工商户"), NULL, "%s", why.en);
	cr_expect_neq(strstr(why.zh, "自然人"), NULL, "%s", why.zh);
	cr_expect_eq(out.len, 0);
	xy_buf_release(&out);
}

Test(validate, enum_coded)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "1", "1" }, { "有效", "1" }, { "2", "2" }, { "无效", "2" },
		{ "3", NULL }, { "1=有效", NULL }, { "有", NULL }, { "12", NULL }, { "=", NULL },
	};
	xy_field f = field(XY_FT_ENUM, 0);
	f.enum_values = states;
	f.nenum = 2;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vcase c = { XY_FT_ENUM, 0, NULL, cases[i].in, 0, cases[i].out };
		run(&f, &c, i);
	}
}

/* ---- dates ---- */

Test(validate, date)
{
	static const vcase cases[] = {
		{ XY_FT_DATE, 0, NULL, "2019-10-15", 0, "2019-10-15" },
		{ XY_FT_DATE, 0, NULL, "2019/1/5", 0, "2019-01-05" },
		{ XY_FT_DATE, 0, NULL, "2019.10.15", 0, "2019-10-15" },
		{ XY_FT_DATE, 0, NULL, "20191015", 0, "2019-10-15" },
		{ XY_FT_DATE, 0, NULL, "2019年10月15日", 0, "2019-10-15" },
		{ XY_FT_DATE, 0, NULL, "2019-10-15 00:00:00", 0, "2019-10-15" },
		{ XY_FT_DATE, 0, NULL, "43753", 0, "2019-10-15" },  /* a serial number */
		{ XY_FT_DATE, 0, NULL, "45352", 0, "2024-03-01" },
		{ XY_FT_DATE, 0, NULL, "61", 0, "1900-03-01" },
		{ XY_FT_DATE, 0, NULL, "60", 0, NULL },             /* 1900-02-29 */
		{ XY_FT_DATE, 0, NULL, "0", 0, NULL },
		{ XY_FT_DATE, 0, NULL, "2019-02-29", 0, NULL },
		{ XY_FT_DATE, 0, NULL, "2019-13-01", 0, NULL },
		{ XY_FT_DATE, 0, NULL, "2019-10", 0, NULL },
		{ XY_FT_DATE, 0, NULL, "昨天", 0, NULL },
		{ XY_FT_DATE, 0, NULL, "2019-10-15 备注", 0, NULL },
		{ XY_FT_DATE, 0, NULL, "-43753", 0, NULL },
		{ XY_FT_DATE, 0, NULL, "4375.3", 0, NULL },
	};
	RUN(cases);
}

/* The value is not NUL-terminated at len: only len bytes are a date. */
Test(validate, date_uses_len)
{
	xy_field f = field(XY_FT_DATE, 0);
	vcase c = { XY_FT_DATE, 0, NULL, "2019-10-15garbage", 10, "2019-10-15" };
	run(&f, &c, 0);
}

/* ---- numbers ---- */

Test(validate, decimal)
{
	static const vcase cases[] = {
		{ XY_FT_DECIMAL, 0, NULL, "1,234.50", 0, "1234.5" },
		{ XY_FT_DECIMAL, 0, NULL, ".5", 0, "0.5" },
		{ XY_FT_DECIMAL, 0, NULL, "0.5", 0, "0.5" },
		{ XY_FT_DECIMAL, 0, NULL, "00.50", 0, "0.5" },
		{ XY_FT_DECIMAL, 0, NULL, "0.000", 0, "0" },
		{ XY_FT_DECIMAL, 0, NULL, "0", 0, "0" },
		{ XY_FT_DECIMAL, 0, NULL, "000", 0, "0" },
		{ XY_FT_DECIMAL, 0, NULL, "007", 0, "7" },
		{ XY_FT_DECIMAL, 0, NULL, "10", 0, "10" },
		{ XY_FT_DECIMAL, 0, NULL, "100", 0, "100" },
		{ XY_FT_DECIMAL, 0, NULL, "10.0", 0, "10" },
		{ XY_FT_DECIMAL, 0, NULL, "100.500", 0, "100.5" },
		{ XY_FT_DECIMAL, 0, NULL, "1.", 0, "1" },
		{ XY_FT_DECIMAL, 0, NULL, "1,000,000", 0, "1000000" },
		{ XY_FT_DECIMAL, 0, NULL, "0.123456", 0, "0.123456" },
		{ XY_FT_DECIMAL, 0, NULL, "0.1234567", 0, NULL },   /* 7 decimals */
		{ XY_FT_DECIMAL, 0, NULL, "5.0000000", 0, "5" },    /* zeros lose nothing */
		{ XY_FT_DECIMAL, 0, NULL, "0.1234560", 0, "0.123456" },
		{ XY_FT_DECIMAL, 0, NULL, "-1", 0, NULL },
		{ XY_FT_DECIMAL, 0, NULL, "+1", 0, NULL },
		{ XY_FT_DECIMAL, 0, NULL, "1e3", 0, NULL },
		{ XY_FT_DECIMAL, 0, NULL, "1.2.3", 0, NULL },
		{ XY_FT_DECIMAL, 0, NULL, ".", 0, NULL },
		{ XY_FT_DECIMAL, 0, NULL, ",", 0, NULL },
		{ XY_FT_DECIMAL, 0, NULL, ",5", 0, NULL },
		{ XY_FT_DECIMAL, 0, NULL, "1.5,0", 0, NULL },
		{ XY_FT_DECIMAL, 0, NULL, "1 000", 0, NULL },
		{ XY_FT_DECIMAL, 0, NULL, "一万", 0, NULL },
		{ XY_FT_DECIMAL, 0, NULL, "1万", 0, NULL },
		{ XY_FT_DECIMAL, 0, NULL, "NaN", 0, NULL },
	};
	RUN(cases);
}

Test(validate, decimal_many_digits)
{
	char big[200];
	memset(big, '1', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	{
		/* 30 digits are kept exactly (no floating point on the way) */
		vcase ok = { XY_FT_DECIMAL, 0, NULL, "123456789012345678901234567890.25", 0,
			     "123456789012345678901234567890.25" };
		vcase bad = { XY_FT_DECIMAL, 0, NULL, big, 0, NULL };
		xy_field f = field(XY_FT_DECIMAL, 0);
		run(&f, &ok, 0);
		run(&f, &bad, 1);
	}
}

Test(validate, integer)
{
	static const vcase cases[] = {
		{ XY_FT_INT, 0, NULL, "42", 0, "42" },
		{ XY_FT_INT, 0, NULL, "0", 0, "0" },
		{ XY_FT_INT, 0, NULL, "000", 0, "0" },
		{ XY_FT_INT, 0, NULL, "0012", 0, "12" },
		{ XY_FT_INT, 0, NULL, "1,000", 0, "1000" },
		{ XY_FT_INT, 0, NULL, "1.0", 0, NULL },
		{ XY_FT_INT, 0, NULL, "1.5", 0, NULL },
		{ XY_FT_INT, 0, NULL, ".5", 0, NULL },
		{ XY_FT_INT, 0, NULL, "-3", 0, NULL },
		{ XY_FT_INT, 0, NULL, "3次", 0, NULL },
		{ XY_FT_INT, 0, NULL, "x", 0, NULL },
	};
	RUN(cases);
}

/* ---- every type ---- */

/* Empty values are accepted and add nothing (requiredness is the importer's). */
Test(validate, empty_accepted_for_every_type)
{
	for (int t = XY_FT_TEXT; t <= XY_FT_CODE; t++) {
		xy_field f = field((xy_field_type)t, 5);
		vcase c = { (xy_field_type)t, 5, NULL, "", 0, "" };
		run(&f, &c, (size_t)t);
	}
}

/* A value that is wrong for every type gets a reason in both languages. */
Test(validate, junk_refused_by_every_non_text_type)
{
	for (int t = XY_FT_USCC; t <= XY_FT_UNTIL; t++) {
		xy_field f = field((xy_field_type)t, 5);
		vcase c = { (xy_field_type)t, 5, "身份证", "#?!", 0, NULL };
		run(&f, &c, (size_t)t);
	}
}

/* ---- markers meaning "nothing" ---- */

Test(validate, blank_markers)
{
	static const char *const blank[] = {
		"", " ", "无", " 无 ", "\xe3\x80\x80无\xc2\xa0", "/", "／", "\\", "—", "— —", "——",
		"-", "--", " - ", "－", "–", "―", "─", "空", "N/A", "n/a", "N/a", "Ｎ／Ａ", "\t/\r\n",
	};
	static const char *const not_blank[] = {
		"无锡市某某公司", "无效", "空调", "0", "-1", "— 1", "/a", "NA", "N/A/", "无无",
		"null", "x", "—无", "2019-10-15",
	};
	for (size_t i = 0; i < sizeof blank / sizeof *blank; i++)
		cr_expect(xy_value_is_blank(blank[i], strlen(blank[i])), "'%s' is blank", blank[i]);
	for (size_t i = 0; i < sizeof not_blank / sizeof *not_blank; i++)
		cr_expect_not(xy_value_is_blank(not_blank[i], strlen(not_blank[i])),
			      "'%s' is not blank", not_blank[i]);
	/* the length is honoured: "无锡" cut after 无 is 无 */
	cr_expect(xy_value_is_blank("无锡", 3));
	cr_expect_not(xy_value_is_blank("无锡", 6));
	cr_expect(xy_value_is_blank("N/A!", 3));
}

/* ---- values as units write them (issue 8) ---- */

/* Blank markers are empty for every type: nothing appended, no warning. */
Test(validate, blank_markers_are_empty_for_every_type)
{
	static const char *const marks[] = { "无", "/", "／", "—", "— —", "-", "空", "N/A", "n/a",
					     " 无 " };
	for (int t = XY_FT_TEXT; t <= XY_FT_CODE; t++)
		for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
			xy_field f = field((xy_field_type)t, 5);
			vcase c = { (xy_field_type)t, 5, NULL, marks[i], 0, "", .st = XY_VAL_BLANK };
			run(&f, &c, (size_t)t * 100 + i);
		}
}

Test(validate, amounts_in_wan)
{
	static const vcase cases[] = {
		{ XY_FT_WAN, 0, NULL, "0.5", 0, "0.5" },
		{ XY_FT_WAN, 0, NULL, "0.5万元", 0, "0.5" },
		{ XY_FT_WAN, 0, NULL, "0.5 万元", 0, "0.5" },
		{ XY_FT_WAN, 0, NULL, "3万", 0, "3" },
		{ XY_FT_WAN, 0, NULL, "5000元", 0, "0.5", .st = XY_VAL_CONVERTED },
		{ XY_FT_WAN, 0, NULL, "5000 元", 0, "0.5", .st = XY_VAL_CONVERTED },
		{ XY_FT_WAN, 0, NULL, "¥5,000元", 0, "0.5", .st = XY_VAL_CONVERTED },
		{ XY_FT_WAN, 0, NULL, "￥200元", 0, "0.02", .st = XY_VAL_CONVERTED },
		{ XY_FT_WAN, 0, NULL, "1元", 0, "0.0001", .st = XY_VAL_CONVERTED },
		{ XY_FT_WAN, 0, NULL, "0.01元", 0, "0.000001", .st = XY_VAL_CONVERTED },
		{ XY_FT_WAN, 0, NULL, "1,234,567.89元", 0, "123.456789", .st = XY_VAL_CONVERTED },
		{ XY_FT_WAN, 0, NULL, "1.2亿元", 0, "12000", .st = XY_VAL_CONVERTED },
		{ XY_FT_WAN, 0, NULL, "0元", 0, "0", .st = XY_VAL_CONVERTED },
		{ XY_FT_WAN, 0, NULL, "０．５", 0, "0.5" },                 /* full-width */
		{ XY_FT_WAN, 0, NULL, "１，２３４．５", 0, "1234.5" },
		{ XY_FT_WAN, 0, NULL, "1，234.5", 0, "1234.5" },
		{ XY_FT_WAN, 0, NULL, "1,234.5", 0, "1234.5" },
		{ XY_FT_WAN, 0, NULL, "５０００元", 0, "0.5", .st = XY_VAL_CONVERTED },
		{ XY_FT_WAN, 0, NULL, "0.001元", 0, NULL },   /* 0.0000001 万元: 7 decimals */
		{ XY_FT_WAN, 0, NULL, "1,5", 0, NULL },       /* a decimal comma? never guess */
		{ XY_FT_WAN, 0, NULL, "12,34.5", 0, NULL },
		{ XY_FT_WAN, 0, NULL, "1,2345", 0, NULL },
		{ XY_FT_WAN, 0, NULL, "-5", 0, NULL },
		{ XY_FT_WAN, 0, NULL, "5美元", 0, NULL },
		{ XY_FT_WAN, 0, NULL, "元", 0, NULL },
		{ XY_FT_WAN, 0, NULL, "万元", 0, NULL },
		{ XY_FT_WAN, 0, NULL, "五千元", 0, NULL },
		{ XY_FT_WAN, 0, NULL, "5000元整", 0, NULL },
		{ XY_FT_WAN, 0, NULL, "1 000", 0, NULL },
		/* a plain decimal field takes full-width digits but no unit */
		{ XY_FT_DECIMAL, 0, NULL, "１２．５", 0, "12.5" },
		{ XY_FT_DECIMAL, 0, NULL, "5000元", 0, NULL },
		{ XY_FT_DECIMAL, 0, NULL, "0.5万元", 0, NULL },
		{ XY_FT_INT, 0, NULL, "１，０００", 0, "1000" },
	};
	RUN(cases);
}

Test(validate, conversion_warning_names_both_values)
{
	xy_field f = field(XY_FT_WAN, 0);
	xy_buf out = XY_BUF_INIT;
	xy_reason why;
	xy_val_status st;
	cr_assert_eq(xy_field_check(&f, "5000元", strlen("5000元"), NULL, NULL, &out, &why, &st),
		     XY_OK);
	cr_expect_eq(st, XY_VAL_CONVERTED);
	cr_expect_str_eq(out.data, "0.5");
	cr_expect(strstr(why.en, "5000元") && strstr(why.en, "0.5"), "%s", why.en);
	cr_expect(strstr(why.zh, "5000元") && strstr(why.zh, "0.5万元"), "%s", why.zh);
	xy_buf_release(&out);
}

Test(validate, dates_as_units_write_them)
{
	static const vcase cases[] = {
		{ XY_FT_DATE, 0, NULL, "2019年10月8日", 0, "2019-10-08" },
		{ XY_FT_DATE, 0, NULL, "2019 年 10 月 8 日", 0, "2019-10-08" },
		{ XY_FT_DATE, 0, NULL, "２０１９年１０月８日", 0, "2019-10-08" },
		{ XY_FT_DATE, 0, NULL, "2019.10.08", 0, "2019-10-08" },
		{ XY_FT_DATE, 0, NULL, "2019/10/8", 0, "2019-10-08" },
		{ XY_FT_DATE, 0, NULL, "２０１９－１０－０８", 0, "2019-10-08" },
		{ XY_FT_DATE, 0, NULL, "20191008", 0, "2019-10-08" },
		{ XY_FT_DATE, 0, NULL, "2019/10/8 0:00", 0, "2019-10-08" },
		{ XY_FT_DATE, 0, NULL, "2019-10-08T00:00:00+08:00", 0, "2019-10-08" },
		{ XY_FT_DATE, 0, NULL, "43746", 0, "2019-10-08" },
		{ XY_FT_DATE, 0, NULL, "43746.5", 0, "2019-10-08" },   /* with a time */
		{ XY_FT_DATE, 0, NULL, "43746.", 0, "2019-10-08" },
		{ XY_FT_DATE, 0, NULL, "2019 10 08", 0, NULL },
		{ XY_FT_DATE, 0, NULL, "2019年10月", 0, NULL },
		{ XY_FT_DATE, 0, NULL, "43746.5.5", 0, NULL },
		{ XY_FT_DATE, 0, NULL, "长期", 0, NULL },      /* only an end date may be open */
	};
	RUN(cases);
}

Test(validate, open_ended_end_dates)
{
	static const vcase cases[] = {
		{ XY_FT_UNTIL, 0, NULL, "长期", 0, XY_OPEN_ENDED },
		{ XY_FT_UNTIL, 0, NULL, "永久", 0, XY_OPEN_ENDED },
		{ XY_FT_UNTIL, 0, NULL, "长期有效", 0, XY_OPEN_ENDED },
		{ XY_FT_UNTIL, 0, NULL, " 长期 ", 0, XY_OPEN_ENDED },
		{ XY_FT_UNTIL, 0, NULL, "2099-12-31", 0, XY_OPEN_ENDED },
		{ XY_FT_UNTIL, 0, NULL, "2099/12/31", 0, XY_OPEN_ENDED },
		{ XY_FT_UNTIL, 0, NULL, "9999-12-31", 0, XY_OPEN_ENDED },
		{ XY_FT_UNTIL, 0, NULL, "99991231", 0, XY_OPEN_ENDED },
		{ XY_FT_UNTIL, 0, NULL, "2099-12-30", 0, "2099-12-30" },
		{ XY_FT_UNTIL, 0, NULL, "2024年12月31日", 0, "2024-12-31" },
		{ XY_FT_UNTIL, 0, NULL, "2024.12.31", 0, "2024-12-31" },
		{ XY_FT_UNTIL, 0, NULL, "无", 0, "", .st = XY_VAL_BLANK },
		{ XY_FT_UNTIL, 0, NULL, "短期", 0, NULL },
		{ XY_FT_UNTIL, 0, NULL, "长期1", 0, NULL },
		{ XY_FT_UNTIL, 0, NULL, "2024-02-30", 0, NULL },
	};
	RUN(cases);
}

/* Codes Excel turned into numbers are refused, saying so and what to do. */
Test(validate, excel_scientific_codes)
{
	static const char *const sci[] = { "2.10804E+17", "2.10804e+17", "9.13E+17", "9E17",
					   "2.10804E17" };
	static const xy_field_type types[] = { XY_FT_USCC, XY_FT_ORG, XY_FT_RIC, XY_FT_IDNO,
					       XY_FT_CODE };
	for (size_t t = 0; t < sizeof types / sizeof *types; t++)
		for (size_t i = 0; i < sizeof sci / sizeof *sci; i++) {
			xy_field f = field(types[t], 64);
			xy_buf out = XY_BUF_INIT;
			xy_reason why;
			xy_val_status st;
			cr_expect_eq(xy_field_check(&f, sci[i], strlen(sci[i]), "护照", NULL, &out, &why,
						    &st), XY_ERR_INVALID, "%s '%s'",
				     xy_field_type_name(types[t]), sci[i]);
			cr_expect(strstr(why.zh, "科学计数法") && strstr(why.zh, "文本格式"), "%s",
				  why.zh);
			cr_expect(strstr(why.en, "scientific notation") && strstr(why.en, "text"),
				  "%s", why.en);
			xy_buf_release(&out);
		}
	{
		/* text fields keep such values (a 备注 may say 1E3) */
		static const vcase cases[] = {
			{ XY_FT_TEXT, 0, NULL, "2.10804E+17", 0, "2.10804E+17" },
			{ XY_FT_CODE, 0, NULL, "E17", 0, "E17" },
			{ XY_FT_CODE, 0, NULL, "210800000012345", 0, "210800000012345" },
			{ XY_FT_CODE, 0, NULL, "2.1E+", 0, "2.1E+" },
		};
		RUN(cases);
	}
}

Test(validate, placeholder_codes_are_absent)
{
	static const vcase cases[] = {
		{ XY_FT_USCC, 18, NULL, "00000000000000000X", 0, "", .st = XY_VAL_PLACEHOLDER },
		{ XY_FT_USCC, 18, NULL, "00000000000000000x", 0, "", .st = XY_VAL_PLACEHOLDER },
		{ XY_FT_USCC, 18, NULL, "000000000000000000", 0, "", .st = XY_VAL_PLACEHOLDER },
		{ XY_FT_USCC, 18, NULL, "0", 0, "", .st = XY_VAL_PLACEHOLDER },
		{ XY_FT_USCC, 18, NULL, " 000000000000000000 ", 0, "", .st = XY_VAL_PLACEHOLDER },
		{ XY_FT_ORG, 10, NULL, "00000000-0", 0, "", .st = XY_VAL_PLACEHOLDER },
		{ XY_FT_CODE, 64, NULL, "000000000000000", 0, "", .st = XY_VAL_PLACEHOLDER },
		/* not placeholders: wrong codes stay wrong */
		{ XY_FT_USCC, 18, NULL, "0000000000000000X", 0, NULL },   /* 16 zeros + X */
		{ XY_FT_USCC, 18, NULL, "000000000000000000X", 0, NULL }, /* 18 zeros + X */
		{ XY_FT_USCC, 18, NULL, "X00000000000000000", 0, NULL },
		{ XY_FT_USCC, 18, NULL, "100000000000000000", 0, NULL },
		/* RIC fields have no placeholder */
		{ XY_FT_RIC, 18, NULL, "000000000000000000", 0, NULL },
	};
	RUN(cases);
}

Test(validate, placeholder_warning_names_the_field)
{
	xy_field f = field(XY_FT_USCC, 18);
	xy_buf out = XY_BUF_INIT;
	xy_reason why;
	xy_val_status st;
	cr_assert_eq(xy_field_check(&f, "00000000000000000X", 18, NULL, NULL, &out, &why, &st),
		     XY_OK);
	cr_expect_eq(st, XY_VAL_PLACEHOLDER);
	cr_expect_eq(out.len, 0, "nothing appended");
	cr_expect(strstr(why.zh, "测试字段") && strstr(why.zh, "占位"), "%s", why.zh);
	cr_expect(strstr(why.en, "placeholder"), "%s", why.en);
	xy_buf_release(&out);
}
