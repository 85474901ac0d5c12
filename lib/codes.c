/* xinyong: identifiers of credit subjects (USCC, RIC, organisation code).
 *
 * Every function here is pure: no allocation, no I/O.  Reasons are formatted
 * with snprintf into the fixed-size buffers of xy_id_result, so a result is
 * self-contained and can be copied freely.
 */
#include <stdio.h>
#include <string.h>

#include "xinyong/codes.h"
#include "xinyong/text.h"
#include "xinyong/date.h"

/* ---- alphabets and weights ------------------------------------------- */

/* GB 32100-2015: digits and capitals without I, O, S, V, Z. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
#define USCC_RADIX 31

static const int uscc_weights[17] = {
	1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
};

static const int ric_weights[17] = {
	7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2,
};

static const int org_weights[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };

/* Value of c in the USCC alphabet, -1 when c is not in it. */
static int uscc_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Y') {
		const char *p = memchr(uscc_alphabet + 10, c, USCC_RADIX - 10);
		return p ? (int)(p - uscc_alphabet) : -1;
	}
	return -1;
}

/* Value of c as an organisation code body character: 0-9, A=10 .. Z=35. */
static int org_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* ---- structure tables -------------------------------------------------- */

/* Registering authorities of GB 32100-2015 table A.1 (N added by the 2018
 * amendment), in the order of categories[] below. */
#define NAUTH 12

/* Index of a registering authority in categories[], -1 when unknown. */
static int authority_index(unsigned char c)
{
	static const char auth[] = "123456789ANY";
	const char *p;
	if (c == '\0')
		return -1;
	p = memchr(auth, c, sizeof auth - 1);
	return p ? (int)(p - auth) : -1;
}

/* Categories per authority (GB 32100-2015 table A.1, N added by the 2018
 * amendment):
 *   1 机构编制  1 机关 2 事业单位 3 中央编办直接管理机构编制的群众团体 9 其他
 *   2 外交      1 外国常驻新闻机构 9 其他
 *   3 司法行政  1 律师执业机构 2 公证处 3 基层法律服务所 4 司法鉴定机构
 *               5 仲裁委员会 9 其他
 *   4 文化      1 外国在华文化中心 9 其他
 *   5 民政      1 社会团体 2 民办非企业单位 3 基金会 9 其他
 *   6 旅游      1 外国旅游部门常驻代表机构 2 港澳台地区旅游部门常驻内地代表机构 9 其他
 *   7 宗教      1 宗教活动场所 2 宗教院校 9 其他
 *   8 工会      1 基层工会 9 其他
 *   9 工商      1 企业 2 个体工商户 3 农民专业合作社
 *   A 军委编办  1 军队事业单位 9 其他
 *   N 农业      1 组级 2 村级 3 乡镇级集体经济组织 9 其他
 *   Y 其他      1 (not subdivided) */
static const char *const categories[NAUTH] = {
	"1239", "19", "123459", "19", "1239", "129", "129", "19",
	"123", "19", "1239", "1",
};

/* GB/T 2260 provinces (incl. 71 台湾, 81 香港, 82 澳门). */
static bool province_valid(int p)
{
	switch (p) {
	case 11: case 12: case 13: case 14: case 15:
	case 21: case 22: case 23:
	case 31: case 32: case 33: case 34: case 35: case 36: case 37:
	case 41: case 42: case 43: case 44: case 45: case 46:
	case 50: case 51: case 52: case 53: case 54:
	case 61: case 62: case 63: case 64: case 65:
	case 71: case 81: case 82:
		return true;
	default:
		return false;
	}
}

/* ---- result helpers -----------------------------------------------------
 *
 * The buffers are sized so that no message can be truncated: the longest
 * English text is about 55 bytes, the longest Chinese one about 80, and the
 * numbers printed are bounded (positions 1..18, lengths 0..63, provinces
 * 00..99).  -Wformat-truncation checks the literal formats below.
 */

static void fail(xy_id_result *r, const char *en, const char *zh)
{
	r->valid = false;
	r->checksum_only = false;
	snprintf(r->reason, sizeof r->reason, "%s", en);
	snprintf(r->reason_zh, sizeof r->reason_zh, "%s", zh);
}

static void fail_start(xy_id_result *r)
{
	r->valid = false;
	r->checksum_only = false;
}

/* Normalised length len where `expected` (18 or 9) characters were due;
 * expected 0 means the kind could not be recognised at all.  Lengths past
 * XY_ID_MAX - 1 are reported as "over 63": the normalised text was cut
 * there. */
static void fail_length(xy_id_result *r, size_t len, unsigned expected)
{
	unsigned n;

	if (len >= XY_ID_MAX) {
		if (expected == 0)
			fail(r, "unrecognised identifier (longer than 63 characters)",
			     "无法识别的证件号码（长度超过63位）");
		else if (expected == 9)
			fail(r, "length is over 63, expected 9", "长度超过63位，应为9位");
		else
			fail(r, "length is over 63, expected 18", "长度超过63位，应为18位");
		return;
	}
	n = (unsigned)len;
	fail_start(r);
	if (expected == 0) {
		snprintf(r->reason, sizeof r->reason, "unrecognised identifier (length %u)", n);
		snprintf(r->reason_zh, sizeof r->reason_zh, "无法识别的证件号码（长度为%u位）", n);
	} else {
		unsigned e = expected == 9 ? 9 : expected == 15 ? 15 : 18;
		snprintf(r->reason, sizeof r->reason, "length is %u, expected %u", n, e);
		snprintf(r->reason_zh, sizeof r->reason_zh, "长度为%u位，应为%u位", n, e);
	}
}

/* A character outside the code's alphabet at 0-based index i (< 18). */
static void fail_char(xy_id_result *r, size_t i, unsigned char c)
{
	unsigned pos = i < 18 ? (unsigned)i + 1 : 18;

	fail_start(r);
	if (c >= 'A' && c <= 'Z') {
		snprintf(r->reason, sizeof r->reason,
			 "character '%c' at position %u is not allowed", c, pos);
		snprintf(r->reason_zh, sizeof r->reason_zh,
			 "第%u位字符“%c”不在允许的字符集中", pos, c);
	} else {
		snprintf(r->reason, sizeof r->reason,
			 "character at position %u is not a letter or digit", pos);
		snprintf(r->reason_zh, sizeof r->reason_zh,
			 "第%u位含有字母和数字以外的字符", pos);
	}
}

/* Both arguments are in 0-9A-Y without I O S V; the callers ensure it. */
static void fail_check(xy_id_result *r, char expected, char actual)
{
	if (uscc_value((unsigned char)expected) < 0 || uscc_value((unsigned char)actual) < 0) {
		fail(r, "check character is wrong", "校验码错误");
	} else {
		fail_start(r);
		snprintf(r->reason, sizeof r->reason,
			 "check character is '%c', expected '%c'", actual, expected);
		snprintf(r->reason_zh, sizeof r->reason_zh,
			 "校验码应为“%c”，实为“%c”", expected, actual);
	}
	r->checksum_only = true;
}

/* USCC position 1 is not a registering authority. */
static void fail_authority(xy_id_result *r, char a)
{
	fail_start(r);
	snprintf(r->reason, sizeof r->reason, "invalid registering authority '%c'", a);
	snprintf(r->reason_zh, sizeof r->reason_zh, "登记管理部门代码“%c”无效", a);
}

/* USCC position 2 is not a category of authority a. */
static void fail_category(xy_id_result *r, char a, char c)
{
	fail_start(r);
	snprintf(r->reason, sizeof r->reason,
		 "invalid category '%c' for authority '%c'", c, a);
	snprintf(r->reason_zh, sizeof r->reason_zh,
		 "机构类别代码“%c”不适用于登记管理部门“%c”", c, a);
}

/* The two-digit province prov (0..99) does not exist. */
static void fail_province(xy_id_result *r, int prov)
{
	unsigned p = prov >= 0 && prov <= 99 ? (unsigned)prov : 0;

	fail_start(r);
	snprintf(r->reason, sizeof r->reason,
		 "invalid division code %02uxxxx (no province %02u)", p, p);
	snprintf(r->reason_zh, sizeof r->reason_zh,
		 "行政区划代码%02uxxxx无效（不存在省级代码%02u）", p, p);
}

static void ok(xy_id_result *r)
{
	r->valid = true;
	r->checksum_only = false;
	r->reason[0] = '\0';
	r->reason_zh[0] = '\0';
}

/* ---- check characters --------------------------------------------------- */

char xy_uscc_check_char(const char *first17)
{
	int sum = 0, c;
	for (int i = 0; i < 17; i++) {
		int v = uscc_value((unsigned char)first17[i]);
		if (v < 0)
			return '\0';
		sum += v * uscc_weights[i];
	}
	c = USCC_RADIX - sum % USCC_RADIX;
	return uscc_alphabet[c == USCC_RADIX ? 0 : c];
}

char xy_ric_check_char(const char *first17)
{
	int sum = 0, c;
	for (int i = 0; i < 17; i++) {
		if (!is_digit((unsigned char)first17[i]))
			return '\0';
		sum += (first17[i] - '0') * ric_weights[i];
	}
	c = (12 - sum % 11) % 11;
	return c == 10 ? 'X' : (char)('0' + c);
}

char xy_org_check_char(const char *first8)
{
	int sum = 0, c;
	for (int i = 0; i < 8; i++) {
		int v = org_value((unsigned char)first8[i]);
		if (v < 0)
			return '\0';
		sum += v * org_weights[i];
	}
	c = 11 - sum % 11;
	if (c == 10)
		return 'X';
	if (c == 11)
		return '0';
	return (char)('0' + c);
}

/* GS 15-2006: ISO 7064 MOD 11,10 over the 14 digits before it. */
char xy_regno_check_char(const char *first14)
{
	int p = 10;
	for (size_t i = 0; i < 14; i++) {
		int sum;
		if (!is_digit((unsigned char)first14[i]))
			return '\0';
		sum = p % 11 + (first14[i] - '0');
		p = (sum % 10 ? sum % 10 : 10) * 2;
	}
	return (char)('0' + (11 - p % 11) % 10);
}

void xy_uscc_division(const char *uscc, char out[7])
{
	size_t i = 0;
	/* A short string gives a short (possibly empty) division. */
	while (i < 2 && *uscc) {
		uscc++;
		i++;
	}
	for (i = 0; i < 6 && uscc[i]; i++)
		out[i] = uscc[i];
	out[i] = '\0';
}

/* ---- normalisation ------------------------------------------------------ */

/* Decode one UTF-8 sequence at s (n bytes left): core/text.c's decoder. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	return xy_utf8_decode((const char *)s, n, cp);
}

/* Characters people put between the parts of an identifier: ASCII blanks,
 * NBSP, ideographic space U+3000, zero-width space and BOM (Excel and
 * Notepad leave them in cells), and dashes: '-', U+2010..U+2015, U+2212
 * minus, U+FF0D full-width hyphen-minus (already mapped to '-'). */
static bool is_separator(unsigned long cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == '\v' ||
	       cp == '\f' || cp == '-' || cp == 0xA0 || cp == 0x3000 ||
	       cp == 0x200B || cp == 0xFEFF || (cp >= 0x2010 && cp <= 0x2015) ||
	       cp == 0x2212;
}

size_t xy_id_normalize(const char *in, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t n = strlen((const char *)s), len = 0;

	while (n > 0) {
		unsigned long cp;
		size_t k = utf8_decode(s, n, &cp);
		if (k == 0) {
			/* Not UTF-8: keep the byte so the result stays invalid. */
			if (len + 1 < outsz)
				out[len] = (char)*s;
			len++;
			s++;
			n--;
			continue;
		}
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0; /* full-width ASCII */
		if (!is_separator(cp)) {
			if (cp < 0x80) {
				if (cp >= 'a' && cp <= 'z')
					cp -= 'a' - 'A';
				if (len + 1 < outsz)
					out[len] = (char)cp;
				len++;
			} else {
				/* Some other character: copy its bytes unchanged. */
				for (size_t i = 0; i < k; i++, len++)
					if (len + 1 < outsz)
						out[len] = (char)s[i];
			}
		}
		s += k;
		n -= k;
	}
	if (outsz > 0)
		out[len < outsz ? len : outsz - 1] = '\0';
	return len;
}

/* ---- checks ------------------------------------------------------------- */

static void check_uscc(xy_id_result *r, size_t len)
{
	const char *s = r->normalized;
	int auth, prov;
	char want;

	if (len != 18) {
		fail_length(r, len, 18);
		return;
	}
	for (size_t i = 0; i < 18; i++) {
		if (uscc_value((unsigned char)s[i]) < 0) {
			fail_char(r, i, (unsigned char)s[i]);
			return;
		}
	}
	auth = authority_index((unsigned char)s[0]);
	if (auth < 0) {
		fail_authority(r, s[0]);
		return;
	}
	if (!strchr(categories[auth], s[1])) {
		fail_category(r, s[0], s[1]);
		return;
	}
	for (size_t i = 2; i < 8; i++) {
		if (!is_digit((unsigned char)s[i])) {
			fail_char(r, i, (unsigned char)s[i]);
			return;
		}
	}
	/* 100000 is not in GB/T 2260 but is the division of registrations at
	 * national level (central organs: 11100000…, national bodies under 5x). */
	prov = (s[2] - '0') * 10 + (s[3] - '0');
	if (!province_valid(prov) && memcmp(s + 2, "100000", 6) != 0) {
		fail_province(r, prov);
		return;
	}
	/* Positions 9-17 are the organisation code, but its own GB 11714 check
	 * character (position 17) is deliberately not verified: codes assigned
	 * to 个体工商户 and other subjects without an organisation code carry a
	 * body that is not a valid organisation code, and the registries hold
	 * many such codes. */
	want = xy_uscc_check_char(s);
	if (want != s[17]) {
		fail_check(r, want, s[17]);
		return;
	}
	ok(r);
}

static void check_ric(xy_id_result *r, size_t len)
{
	const char *s = r->normalized;
	char birth[11], today[11];
	int prov, y, m, d;
	char want;

	if (len == 15) {
		bool digits = true;
		for (size_t i = 0; i < 15; i++)
			digits = digits && is_digit((unsigned char)s[i]);
		if (digits) {
			fail(r, "15-digit ID numbers are no longer valid",
			     "15位身份证号码已停止使用，应为18位");
			return;
		}
	}
	if (len != 18) {
		fail_length(r, len, 18);
		return;
	}
	for (size_t i = 0; i < 18; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!is_digit(c) && !(i == 17 && c == 'X')) {
			fail_char(r, i, c);
			return;
		}
	}
	/* 83 is used by residence permits of Taiwan residents (830000); 81 and
	 * 82 by those of Hong Kong and Macao residents. */
	prov = (s[0] - '0') * 10 + (s[1] - '0');
	if (!province_valid(prov) && prov != 83) {
		fail_province(r, prov);
		return;
	}
	y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	if (!xy_date_valid(y, m, d)) {
		fail(r, "birth date (positions 7-14) is not a valid date",
		     "出生日期（第7-14位）不是有效日期");
		return;
	}
	if (y < 1900) {
		fail(r, "birth year is before 1900", "出生年份早于1900年");
		return;
	}
	memcpy(birth, s + 6, 4);
	birth[4] = '-';
	memcpy(birth + 5, s + 10, 2);
	birth[7] = '-';
	memcpy(birth + 8, s + 12, 2);
	birth[10] = '\0';
	xy_date_today(today);
	if (strcmp(birth, today) > 0) {
		fail(r, "birth date is in the future", "出生日期晚于今天");
		return;
	}
	want = xy_ric_check_char(s);
	if (want != s[17]) {
		fail_check(r, want, s[17]);
		return;
	}
	ok(r);
}

static void check_org(xy_id_result *r, size_t len)
{
	const char *s = r->normalized;
	char want;

	if (len != 9) {
		fail_length(r, len, 9);
		return;
	}
	for (size_t i = 0; i < 9; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i < 8 ? org_value(c) < 0 : !(is_digit(c) || c == 'X')) {
			fail_char(r, i, c);
			return;
		}
	}
	want = xy_org_check_char(s);
	if (want != s[8]) {
		fail_check(r, want, s[8]);
		return;
	}
	ok(r);
}

/* A published, masked RIC (2108**********1234, 210804********1234): digits
 * and '*' (full-width ＊ is already '*'), an X only last, at least one '*'
 * and one visible character, 8 to 18 characters. */
static bool looks_masked(const char *s, size_t len)
{
	size_t stars = 0, vis = 0;
	if (len < 8 || len > 18)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '*')
			stars++;
		else if (is_digit(c) || (c == 'X' && i == len - 1))
			vis++;
		else
			return false;
	}
	return stars && vis;
}

/* What can be checked of a masked RIC: the visible province and, in an
 * 18-character mask, a fully visible birth date.  Nothing else can be
 * verified, so a masked number is valid as a mask only (r->masked). */
static void check_masked_ric(xy_id_result *r, size_t len)
{
	const char *s = r->normalized;
	size_t head = strcspn(s, "*");
	if (head >= 2) {
		int prov = (s[0] - '0') * 10 + (s[1] - '0');
		if (!province_valid(prov) && prov != 83) {
			fail_province(r, prov);
			return;
		}
	}
	if (len == 18) {
		bool date = true;
		for (size_t i = 6; i < 14; i++)
			date = date && is_digit((unsigned char)s[i]);
		if (date) {
			int y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 +
				(s[9] - '0');
			int m = (s[10] - '0') * 10 + (s[11] - '0');
			int d = (s[12] - '0') * 10 + (s[13] - '0');
			if (!xy_date_valid(y, m, d) || y < 1900) {
				fail(r, "birth date (positions 7-14) is not a valid date",
				     "出生日期（第7-14位）不是有效日期");
				return;
			}
		}
	}
	ok(r);
	r->masked = true;
}

static void check_regno(xy_id_result *r, size_t len)
{
	const char *s = r->normalized;
	char want;
	if (len != 15) {
		fail_length(r, len, 15);
		return;
	}
	for (size_t i = 0; i < 15; i++) {
		if (!is_digit((unsigned char)s[i])) {
			fail_char(r, i, (unsigned char)s[i]);
			return;
		}
	}
	want = xy_regno_check_char(s);
	if (want != s[14]) {
		fail_check(r, want, s[14]);
		return;
	}
	ok(r);
}

/* An 18-character code that looks like a RIC: 17 digits, a digit or X, and
 * a birth date 19xx/20xx with month 01-12 and day 01-31 in positions 7-14.
 * Impossible days (0229 in a common year) still count, so such a number is
 * reported as a RIC with a bad date rather than as a malformed USCC. */
static bool looks_like_ric(const char *s)
{
	int m, d;
	for (size_t i = 0; i < 17; i++)
		if (!is_digit((unsigned char)s[i]))
			return false;
	if (!is_digit((unsigned char)s[17]) && s[17] != 'X')
		return false;
	if (!((s[6] == '1' && s[7] == '9') || (s[6] == '2' && s[7] == '0')))
		return false;
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static xy_id_kind guess_kind(const char *s, size_t len)
{
	if (len < XY_ID_MAX && looks_masked(s, len))
		return XY_ID_RIC;
	if (len == 18)
		return looks_like_ric(s) ? XY_ID_RIC : XY_ID_USCC;
	if (len == 9)
		return XY_ID_ORG;
	if (len == 15) {
		for (size_t i = 0; i < 15; i++)
			if (!is_digit((unsigned char)s[i]))
				return XY_ID_UNKNOWN;
		/* A first-generation RIC.  Not a 工商注册号 by its check digit: one
		 * number in ten passes it by chance (--kind regno asks for one). */
		return XY_ID_RIC;
	}
	return XY_ID_UNKNOWN;
}

void xy_id_check(const char *input, xy_id_kind kind, xy_id_result *out)
{
	size_t len = xy_id_normalize(input, out->normalized, sizeof out->normalized);

	out->masked = false;
	if (kind != XY_ID_USCC && kind != XY_ID_RIC && kind != XY_ID_ORG && kind != XY_ID_REGNO)
		kind = guess_kind(out->normalized, len);
	out->kind = kind;
	switch (kind) {
	case XY_ID_USCC:
		check_uscc(out, len);
		break;
	case XY_ID_RIC:
		if (len < sizeof out->normalized && looks_masked(out->normalized, len))
			check_masked_ric(out, len);
		else
			check_ric(out, len);
		break;
	case XY_ID_REGNO:
		check_regno(out, len);
		break;
	case XY_ID_ORG:
		check_org(out, len);
		break;
	default:
		fail_length(out, len, 0);
		break;
	}
}

xy_id_kind xy_id_guess(const char *input)
{
	char n[XY_ID_MAX];
	size_t len = xy_id_normalize(input, n, sizeof n);
	return guess_kind(n, len);
}

const char *xy_id_kind_name(xy_id_kind kind)
{
	switch (kind) {
	case XY_ID_USCC: return "uscc";
	case XY_ID_RIC: return "ric";
	case XY_ID_ORG: return "org";
	case XY_ID_REGNO: return "regno";
	default: return "unknown";
	}
}

size_t xy_id_public(const char *in, char *out, size_t outsz)
{
	char n[XY_ID_MAX];
	size_t len = xy_id_normalize(in, n, sizeof n), w;
	bool ric18 = len == 18 && (looks_like_ric(n) || looks_masked(n, len));
	bool ric15 = len == 15 && strspn(n, "0123456789") == 15;
	if (!ric18 && !ric15 && !(len < sizeof n && looks_masked(n, len)))
		return (size_t)snprintf(out, outsz, "%s", len < sizeof n ? n : "");
	if (ric18 || ric15) {
		/* positions 7 to len-4 hidden; what a mask hid stays hidden */
		for (size_t i = 6; i + 4 < len; i++)
			n[i] = '*';
	}
	w = (size_t)snprintf(out, outsz, "%s", n);
	return w;
}
