/* Unit tests for lib/codes.c.
 *
 * The literal codes were checked against an independent Python
 * reimplementation of the three standards; 91350100M000100Y43 is the worked
 * example of GB 32100-2015, 11010519491231002X and 440524188001010014 those
 * of GB 11643-1999, D2143569-X that of GB 11714-1997.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/codes.h"

static void pin_today(void)
{
	setenv("XINYONG_TODAY", "2024-06-01", 1);
}

TestSuite(codes, .init = pin_today);

static xy_id_result check(const char *in, xy_id_kind kind)
{
	xy_id_result r;
	memset(&r, 0xAB, sizeof r); /* catch fields left unset */
	xy_id_check(in, kind, &r);
	return r;
}

#define expect_valid(in, k) do { \
	xy_id_result r_ = check((in), (k)); \
	cr_expect(r_.valid, "%s: %s", (in), r_.reason); \
	cr_expect(r_.reason[0] == '\0', "%s", (in)); \
	cr_expect(r_.reason_zh[0] == '\0', "%s", (in)); \
	cr_expect_not(r_.checksum_only, "%s", (in)); \
} while (0)

#define expect_invalid(in, k, en, zh) do { \
	xy_id_result r_ = check((in), (k)); \
	cr_expect_not(r_.valid, "%s should be invalid", (in)); \
	cr_expect(r_.reason[0] != '\0', "%s", (in)); \
	cr_expect(r_.reason_zh[0] != '\0', "%s", (in)); \
	cr_expect_str_eq(r_.reason, (en), "%s", (in)); \
	if ((zh) != NULL) \
		cr_expect_str_eq(r_.reason_zh, (const char *)(zh), "%s", (in)); \
} while (0)

/* A valid USCC from a 17-character prefix. */
static void make_uscc(const char *first17, char out[19])
{
	memcpy(out, first17, 17);
	out[17] = xy_uscc_check_char(first17);
	out[18] = '\0';
}

Test(codes, check_chars_match_the_standards)
{
	cr_expect_eq(xy_uscc_check_char("91350100M000100Y4"), '3');
	cr_expect_eq(xy_uscc_check_char("91110000100010433"), 'L');
	cr_expect_eq(xy_ric_check_char("11010519491231002"), 'X');
	cr_expect_eq(xy_ric_check_char("44052418800101001"), '4');
	cr_expect_eq(xy_org_check_char("D2143569"), 'X');
	cr_expect_eq(xy_org_check_char("10000004"), '0');
	cr_expect_eq(xy_org_check_char("00000000"), '0');
	cr_expect_eq(xy_org_check_char("12345678"), '8');
	/* Characters outside the alphabet, and short strings. */
	cr_expect_eq(xy_uscc_check_char("91350100I000100Y4"), '\0');
	cr_expect_eq(xy_uscc_check_char("9135"), '\0');
	cr_expect_eq(xy_ric_check_char("1101051949123100A"), '\0');
	cr_expect_eq(xy_org_check_char("D214356"), '\0');
	cr_expect_eq(xy_org_check_char("d2143569"), '\0');
}

Test(codes, uscc_literal_codes)
{
	expect_valid("91350100M000100Y43", XY_ID_USCC);
	expect_valid("91110000100010433L", XY_ID_USCC);
	expect_valid("91440300708461136T", XY_ID_USCC);
	expect_valid("91210802MA0QE1234T", XY_ID_USCC);
	expect_valid("92210803MA0U5K7R14", XY_ID_USCC);
	expect_valid("52210804MA10000X1K", XY_ID_USCC);
	expect_valid("Y1210800MA0Q12345L", XY_ID_USCC);
	/* Guessed, too. */
	expect_valid("91350100M000100Y43", XY_ID_UNKNOWN);
}

Test(codes, uscc_wrong_check_character_is_checksum_only)
{
	static const struct { const char *in, *en, *zh; } cases[] = {
		{ "91350100M000100Y44", "check character is '4', expected '3'", "校验码应为“3”，实为“4”" },
		{ "91110000100010433X", "check character is 'X', expected 'L'", "校验码应为“L”，实为“X”" },
		{ "91440300708461136Y", "check character is 'Y', expected 'T'", "校验码应为“T”，实为“Y”" },
		{ "92210803MA0U5K7R10", "check character is '0', expected '4'", "校验码应为“4”，实为“0”" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xy_id_result r = check(cases[i].in, XY_ID_UNKNOWN);
		cr_expect_eq(r.kind, XY_ID_USCC, "%s", cases[i].in);
		cr_expect_not(r.valid, "%s", cases[i].in);
		cr_expect(r.checksum_only, "%s", cases[i].in);
		cr_expect_str_eq(r.reason, cases[i].en);
		cr_expect_str_eq(r.reason_zh, cases[i].zh);
	}
	/* A structure error wins over a wrong check character. */
	cr_expect_not(check("94350100M000100Y44", XY_ID_USCC).checksum_only);
}

Test(codes, uscc_computed_prefixes)
{
	static const char *const prefixes[] = {
		"91210802MA0QE1234", "92210881MA0ABCDEF", "93210882MA10QWERT",
		"11210800001234567", "12100000000013127", "31210804MD0012345",
		"53210811MJ0000001", "N2210803MF1234567", "A1110000MB0000000",
	};
	char code[19];
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		make_uscc(prefixes[i], code);
		cr_assert_neq(code[17], '\0', "%s", prefixes[i]);
		expect_valid(code, XY_ID_USCC);
	}
	/* Every wrong check character is reported, with checksum_only. */
	make_uscc("91210802MA0QE1234", code);
	for (const char *a = "0123456789ABCDEFGHJKLMNPQRTUWXY"; *a; a++) {
		xy_id_result r;
		if (*a == code[17])
			continue;
		code[17] = *a;
		r = check(code, XY_ID_USCC);
		cr_expect(!r.valid && r.checksum_only, "%s", code);
		code[17] = 'T';
	}
}

Test(codes, uscc_length)
{
	expect_invalid("91350100M000100Y4", XY_ID_USCC, "length is 17, expected 18",
		       "长度为17位，应为18位");
	expect_invalid("91350100M000100Y433", XY_ID_USCC, "length is 19, expected 18",
		       "长度为19位，应为18位");
	expect_invalid("", XY_ID_USCC, "length is 0, expected 18", "长度为0位，应为18位");
	expect_invalid("9135010000000000000000000000000000000000000000000000000000000000000001",
		       XY_ID_USCC, "length is over 63, expected 18", NULL);
	cr_expect_not(check("91350100M000100Y4", XY_ID_USCC).checksum_only);
}

Test(codes, uscc_forbidden_letters)
{
	expect_invalid("9135I100M000100Y43", XY_ID_USCC,
		       "character 'I' at position 5 is not allowed", "第5位字符“I”不在允许的字符集中");
	expect_invalid("91350100O000100Y43", XY_ID_USCC,
		       "character 'O' at position 9 is not allowed", "第9位字符“O”不在允许的字符集中");
	expect_invalid("91350100M000100S43", XY_ID_USCC,
		       "character 'S' at position 16 is not allowed", NULL);
	expect_invalid("91350100M000100Y4V", XY_ID_USCC,
		       "character 'V' at position 18 is not allowed", NULL);
	expect_invalid("Z1350100M000100Y43", XY_ID_USCC,
		       "character 'Z' at position 1 is not allowed", NULL);
	expect_invalid("91350100M000100Y*3", XY_ID_USCC,
		       "character at position 17 is not a letter or digit",
		       "第17位含有字母和数字以外的字符");
}

Test(codes, uscc_authority_and_category)
{
	char code[19];
	make_uscc("B1350100M000100Y4", code);
	expect_invalid(code, XY_ID_USCC, "invalid registering authority 'B'",
		       "登记管理部门代码“B”无效");
	make_uscc("01350100M000100Y4", code);
	expect_invalid(code, XY_ID_USCC, "invalid registering authority '0'", NULL);
	make_uscc("94350100M000100Y4", code);
	expect_invalid(code, XY_ID_USCC, "invalid category '4' for authority '9'",
		       "机构类别代码“4”不适用于登记管理部门“9”");
	make_uscc("99350100M000100Y4", code);
	expect_invalid(code, XY_ID_USCC, "invalid category '9' for authority '9'", NULL);
	make_uscc("Y2350100M000100Y4", code);
	expect_invalid(code, XY_ID_USCC, "invalid category '2' for authority 'Y'", NULL);
	make_uscc("54350100M000100Y4", code);
	expect_invalid(code, XY_ID_USCC, "invalid category '4' for authority '5'", NULL);
	make_uscc("1A350100M000100Y4", code);
	expect_invalid(code, XY_ID_USCC, "invalid category 'A' for authority '1'", NULL);
	/* Every authority with one category it has. */
	for (const char *a = "123456789ANY"; *a; a++) {
		char prefix[18];
		memcpy(prefix, "X1350100M000100Y4", 18);
		prefix[0] = *a;
		make_uscc(prefix, code);
		expect_valid(code, XY_ID_USCC);
	}
}

Test(codes, uscc_division)
{
	char code[19];
	make_uscc("91990100M000100Y4", code);
	expect_invalid(code, XY_ID_USCC, "invalid division code 99xxxx (no province 99)",
		       "行政区划代码99xxxx无效（不存在省级代码99）");
	make_uscc("91000000M000100Y4", code);
	expect_invalid(code, XY_ID_USCC, "invalid division code 00xxxx (no province 00)", NULL);
	make_uscc("9121A802MA0QE1234", code);
	expect_invalid(code, XY_ID_USCC, "character 'A' at position 5 is not allowed", NULL);
	/* 100000: registered at national level. */
	make_uscc("11100000000013127", code);
	expect_valid(code, XY_ID_USCC);
	make_uscc("11100100000013127", code);
	expect_invalid(code, XY_ID_USCC, "invalid division code 10xxxx (no province 10)", NULL);

	char div[7];
	xy_uscc_division("91210802MA0QE1234T", div);
	cr_expect_str_eq(div, "210802");
	xy_uscc_division("9121", div);
	cr_expect_str_eq(div, "21");
	xy_uscc_division("9", div);
	cr_expect_str_eq(div, "");
}

Test(codes, normalize)
{
	char out[XY_ID_MAX];
	size_t n;

	n = xy_id_normalize("91350100m000100y43", out, sizeof out);
	cr_expect_eq(n, 18);
	cr_expect_str_eq(out, "91350100M000100Y43");
	/* Full-width digits and letters, ideographic space, full-width hyphen. */
	n = xy_id_normalize("９１２１０８０２ＭＡ０ＱＥ１２３４Ｔ", out, sizeof out);
	cr_expect_str_eq(out, "91210802MA0QE1234T");
	cr_expect_eq(n, 18);
	xy_id_normalize("　9121 0802\tMA0Q－E1234ｔ ", out, sizeof out);
	cr_expect_str_eq(out, "91210802MA0QE1234T");
	xy_id_normalize("D2143569-X", out, sizeof out);
	cr_expect_str_eq(out, "D2143569X");
	xy_id_normalize("D2143569\xe2\x80\x94x", out, sizeof out); /* U+2014 em dash */
	cr_expect_str_eq(out, "D2143569X");
	xy_id_normalize("\xef\xbb\xbf" "D2143569\xe2\x80\x90X\xc2\xa0", out, sizeof out);
	cr_expect_str_eq(out, "D2143569X");
	/* Other characters survive, so the identifier stays invalid. */
	xy_id_normalize("营口123", out, sizeof out);
	cr_expect_str_eq(out, "营口123");
	xy_id_normalize("\xff" "1", out, sizeof out);
	cr_expect_str_eq(out, "\xff" "1");
	xy_id_normalize(NULL, out, sizeof out);
	cr_expect_str_eq(out, "");
	/* Bounded like snprintf. */
	n = xy_id_normalize("ａｂｃｄｅｆ", out, 4);
	cr_expect_eq(n, 6);
	cr_expect_str_eq(out, "ABC");
	cr_expect_eq(xy_id_normalize("abc", NULL, 0), 3);
}

Test(codes, normalised_input_is_checked)
{
	xy_id_result r = check("９１２１０８０２ｍａ０ｑｅ１２３４ｔ", XY_ID_UNKNOWN);
	cr_expect(r.valid, "%s", r.reason);
	cr_expect_eq(r.kind, XY_ID_USCC);
	cr_expect_str_eq(r.normalized, "91210802MA0QE1234T");
	expect_valid(" 9135 0100 M000 100Y 43 ", XY_ID_USCC);
	expect_valid("91350100-M000100Y4-3", XY_ID_USCC);
	expect_valid("11010519491231002x", XY_ID_RIC);
	expect_valid("ｄ２１４３５６９－ｘ", XY_ID_ORG);
}

Test(codes, ric_valid)
{
	expect_valid("11010519491231002X", XY_ID_RIC);
	expect_valid("440524198001010013", XY_ID_RIC);
	expect_valid("210802199001010128", XY_ID_RIC);
	expect_valid("210802198506151239", XY_ID_UNKNOWN);
	xy_id_result r = check("11010519491231002x", XY_ID_UNKNOWN);
	cr_expect_eq(r.kind, XY_ID_RIC);
	cr_expect(r.valid);
	cr_expect_str_eq(r.normalized, "11010519491231002X");
	/* Born today is fine (today pinned to 2024-06-01). */
	char ric[19] = "21080220240601001";
	ric[17] = xy_ric_check_char(ric);
	ric[18] = '\0';
	expect_valid(ric, XY_ID_RIC);
}

Test(codes, ric_wrong_check)
{
	static const struct { const char *in, *en, *zh; } cases[] = {
		{ "110105194912310021", "check character is '1', expected 'X'", "校验码应为“X”，实为“1”" },
		{ "44052419800101001X", "check character is 'X', expected '3'", "校验码应为“3”，实为“X”" },
		{ "210802199001010120", "check character is '0', expected '8'", "校验码应为“8”，实为“0”" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xy_id_result r = check(cases[i].in, XY_ID_UNKNOWN);
		cr_expect_eq(r.kind, XY_ID_RIC, "%s", cases[i].in);
		cr_expect(!r.valid && r.checksum_only, "%s", cases[i].in);
		cr_expect_str_eq(r.reason, cases[i].en);
		cr_expect_str_eq(r.reason_zh, cases[i].zh);
	}
}

Test(codes, ric_leap_day)
{
	/* 2000 is a leap year (divisible by 400), 1999 and 1900 are not. */
	expect_valid("210804200002290027", XY_ID_RIC);
	expect_valid("21081120040229002X", XY_ID_UNKNOWN);
	expect_invalid("210803199902290020", XY_ID_RIC,
		       "birth date (positions 7-14) is not a valid date",
		       "出生日期（第7-14位）不是有效日期");
	/* Guessed as RIC even though the date is impossible. */
	xy_id_result r = check("210803199902290020", XY_ID_UNKNOWN);
	cr_expect_eq(r.kind, XY_ID_RIC);
	cr_expect_not(r.checksum_only);
	expect_invalid("110101190002290011", XY_ID_RIC,
		       "birth date (positions 7-14) is not a valid date", NULL);
	expect_invalid("210803199913010020", XY_ID_RIC,
		       "birth date (positions 7-14) is not a valid date", NULL);
}

Test(codes, ric_birth_date_range)
{
	char ric[19] = "21080220240602001";
	ric[17] = xy_ric_check_char(ric);
	ric[18] = '\0';
	expect_invalid(ric, XY_ID_RIC, "birth date is in the future", "出生日期晚于今天");
	expect_invalid("210803203001010027", XY_ID_RIC, "birth date is in the future", NULL);
	memcpy(ric, "21080218991231001", 17);
	ric[17] = xy_ric_check_char(ric);
	expect_invalid(ric, XY_ID_RIC, "birth year is before 1900", "出生年份早于1900年");
	/* The standard's own example, born 1880: right check character, but
	 * nobody alive holds it. */
	cr_expect_eq(xy_ric_check_char("44052418800101001"), '4');
	expect_invalid("440524188001010014", XY_ID_RIC, "birth year is before 1900", NULL);
}

Test(codes, ric_structure)
{
	expect_invalid("110105491231002", XY_ID_RIC,
		       "15-digit ID numbers are no longer valid", "15位身份证号码已停止使用，应为18位");
	xy_id_result r = check("110105491231002", XY_ID_UNKNOWN);
	cr_expect_eq(r.kind, XY_ID_RIC);
	cr_expect_not(r.valid);
	expect_invalid("11010519491231002", XY_ID_RIC, "length is 17, expected 18", NULL);
	expect_invalid("1101051949123100XX", XY_ID_RIC,
		       "character 'X' at position 17 is not allowed", NULL);
	expect_invalid("11010519491231002A", XY_ID_RIC,
		       "character 'A' at position 18 is not allowed", NULL);
	expect_invalid("990105194912310027", XY_ID_RIC,
		       "invalid division code 99xxxx (no province 99)", NULL);
	/* A USCC checked as a RIC. */
	expect_invalid("91350100M000100Y43", XY_ID_RIC,
		       "character 'M' at position 9 is not allowed", NULL);
}

Test(codes, org)
{
	expect_valid("D2143569X", XY_ID_ORG);
	expect_valid("D2143569-X", XY_ID_UNKNOWN);
	expect_valid("10000004-0", XY_ID_ORG);
	expect_valid("100010433", XY_ID_ORG);
	expect_valid("708461136", XY_ID_UNKNOWN);
	expect_invalid("D2143569-0", XY_ID_ORG, "check character is '0', expected 'X'",
		       "校验码应为“X”，实为“0”");
	expect_invalid("10000004-X", XY_ID_ORG, "check character is 'X', expected '0'", NULL);
	cr_expect(check("D2143569-0", XY_ID_ORG).checksum_only);
	expect_invalid("D2143569-A", XY_ID_ORG, "character 'A' at position 9 is not allowed", NULL);
	expect_invalid("D21435_9-X", XY_ID_ORG,
		       "character at position 7 is not a letter or digit", NULL);
	expect_invalid("D214356-X", XY_ID_ORG, "length is 8, expected 9", "长度为8位，应为9位");
	/* I, O, S, V, Z are fine in an organisation code. */
	char org[10] = "ISOVZ123";
	org[8] = xy_org_check_char(org);
	org[9] = '\0';
	expect_valid(org, XY_ID_ORG);
}

Test(codes, guessing)
{
	static const struct { const char *in; xy_id_kind kind; bool valid; } cases[] = {
		{ "91350100M000100Y43", XY_ID_USCC, true },
		{ "11010519491231002X", XY_ID_RIC, true },
		{ "D2143569-X", XY_ID_ORG, true },
		{ "110105491231002", XY_ID_RIC, false },
		/* All digits but no plausible date in 7-14: a USCC. */
		{ "112108000012345670", XY_ID_USCC, false },
		{ "12345", XY_ID_UNKNOWN, false },
		{ "", XY_ID_UNKNOWN, false },
		{ "11010549123100A", XY_ID_UNKNOWN, false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xy_id_result r = check(cases[i].in, XY_ID_UNKNOWN);
		cr_expect_eq(r.kind, cases[i].kind, "%s: kind %s", cases[i].in,
			     xy_id_kind_name(r.kind));
		cr_expect_eq(r.valid, cases[i].valid, "%s", cases[i].in);
	}
	expect_invalid("12345", XY_ID_UNKNOWN, "unrecognised identifier (length 5)",
		       "无法识别的证件号码（长度为5位）");
	expect_invalid("", XY_ID_UNKNOWN, "unrecognised identifier (length 0)", NULL);
	/* An out-of-range kind is treated as unknown. */
	xy_id_result r = check("D2143569X", (xy_id_kind)42);
	cr_expect_eq(r.kind, XY_ID_ORG);
	cr_expect(r.valid);
}

Test(codes, kind_names)
{
	cr_expect_str_eq(xy_id_kind_name(XY_ID_USCC), "uscc");
	cr_expect_str_eq(xy_id_kind_name(XY_ID_RIC), "ric");
	cr_expect_str_eq(xy_id_kind_name(XY_ID_ORG), "org");
	cr_expect_str_eq(xy_id_kind_name(XY_ID_UNKNOWN), "unknown");
}

/* ---- masked RICs as published (issue 8) ---- */

Test(codes, masked_ric_accepted_as_a_mask)
{
	static const char *const masks[] = {
		"2108**********1234", "210804********1234", "210804********123X",
		"2108041990******12", "２１０８＊＊＊＊＊＊＊＊＊＊１２３４", /* full width */
		"210804****1234",     /* fewer stars than hidden digits */
	};
	for (size_t i = 0; i < sizeof masks / sizeof *masks; i++) {
		xy_id_result r = check(masks[i], XY_ID_UNKNOWN);
		cr_expect_eq(r.kind, XY_ID_RIC, "%s", masks[i]);
		cr_expect(r.valid, "%s: %s", masks[i], r.reason);
		cr_expect(r.masked, "%s", masks[i]);
		cr_expect_not(r.checksum_only, "%s", masks[i]);
		r = check(masks[i], XY_ID_RIC);
		cr_expect(r.valid && r.masked, "%s as RIC: %s", masks[i], r.reason);
	}
	xy_id_result r = check("２１０８＊＊＊＊＊＊＊＊＊＊１２３４", XY_ID_RIC);
	cr_expect_str_eq(r.normalized, "2108**********1234");
	/* a full number is never masked */
	r = check("11010519491231002X", XY_ID_UNKNOWN);
	cr_expect(r.valid);
	cr_expect_not(r.masked);
}

Test(codes, masked_ric_what_is_visible_is_checked)
{
	/* province 99 visible */
	expect_invalid("99**************34", XY_ID_RIC, "invalid division code 99xxxx (no province 99)", NULL);
	/* a visible, impossible birth date */
	expect_invalid("21080419901332**34", XY_ID_RIC,
		       "birth date (positions 7-14) is not a valid date", NULL);
	/* nothing visible, or letters, or too long: not a mask */
	xy_id_result r = check("******************", XY_ID_RIC);
	cr_expect_not(r.valid);
	cr_expect_not(r.masked);
	r = check("2108**********123A", XY_ID_RIC);
	cr_expect_not(r.valid);
	r = check("2108***********12345", XY_ID_RIC);
	cr_expect_not(r.valid);
	/* a USCC is never masked */
	r = check("9121**********1234", XY_ID_USCC);
	cr_expect_not(r.valid);
	cr_expect_not(r.masked);
}

/* ---- 工商注册号 (GS 15-2006) ---- */

/* ISO 7064 MOD 11,10 verified the standard's way: run over all 15 digits, the
 * last product remainder must be 1 (independent of xy_regno_check_char). */
static bool mod11_10_ok(const char *s)
{
	int p = 10;
	for (int i = 0; i < 15; i++) {
		int sum = p % 11 + (s[i] - '0');
		if (i == 14)
			return sum % 10 == 1;
		p = (sum % 10 ? sum % 10 : 10) * 2;
	}
	return false;
}

Test(codes, regno_check_digit)
{
	char no[16] = "21080400000123";
	for (int k = 0; k < 200; k++) {
		snprintf(no, sizeof no, "2108040%07d", k * 7919);
		no[14] = xy_regno_check_char(no);
		no[15] = '\0';
		cr_assert(mod11_10_ok(no), "%s", no);
		expect_valid(no, XY_ID_REGNO);
		for (char d = '0'; d <= '9'; d++) {
			char bad[16];
			memcpy(bad, no, 16);
			if (d == no[14])
				continue;
			bad[14] = d;
			cr_assert_not(mod11_10_ok(bad), "%s", bad);
			xy_id_result r = check(bad, XY_ID_REGNO);
			cr_assert_not(r.valid, "%s", bad);
			cr_assert(r.checksum_only, "%s", bad);
		}
	}
	expect_invalid("21080400000123", XY_ID_REGNO, "length is 14, expected 15", NULL);
	expect_invalid("2108040000A1234", XY_ID_REGNO,
		       "character 'A' at position 11 is not allowed", NULL);
	cr_expect_eq(xy_regno_check_char("2108040000A123"), '\0');
	cr_expect_str_eq(xy_id_kind_name(XY_ID_REGNO), "regno");
}

/* xy_id_guess names the kind xy_id_check recognises, valid or not. */
Test(codes, guess_is_the_checks_kind)
{
	const char *in[] = { "91210800MA0G0DTP6C", "92210882MA0G0DTP6C", "110101199003074514",
			     "11010119900307451X", "110101900307451", "2108**********1234",
			     "210802*****", "MA0G0DTP6", "１１０１０１１９９００３０７４５１４",
			     "110101 1990 0307 4514", "营口市大石桥市海隆港小吃部", "", "12345",
			     "1101011990030745141", "11010119900307451Z" };
	const xy_id_kind want[] = { XY_ID_USCC, XY_ID_USCC, XY_ID_RIC, XY_ID_RIC, XY_ID_RIC,
				    XY_ID_RIC, XY_ID_RIC, XY_ID_ORG, XY_ID_RIC, XY_ID_RIC,
				    XY_ID_UNKNOWN, XY_ID_UNKNOWN, XY_ID_UNKNOWN,
				    XY_ID_UNKNOWN, XY_ID_USCC };
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		xy_id_result r;
		xy_id_check(in[i], XY_ID_UNKNOWN, &r);
		cr_assert_eq(xy_id_guess(in[i]), r.kind, "%s: guess %d, check %d", in[i],
			     (int)xy_id_guess(in[i]), (int)r.kind);
		cr_assert_eq(r.kind, want[i], "%s: %d", in[i], (int)r.kind);
	}
}
