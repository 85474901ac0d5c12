/* Field validation and normalisation. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/codes.h"
#include "xinyong/date.h"
#include "xinyong/ingest.h"
#include "xinyong/text.h"

#define WHY(why, ...) snprintf((why)->en, sizeof (why)->en, __VA_ARGS__)
#define WHY_ZH(why, ...) snprintf((why)->zh, sizeof (why)->zh, __VA_ARGS__)

/* ---- markers that mean "nothing" ---- */

/* Dash-like characters a unit types for "none": - － ‐ ‑ ‒ – — ― ─ */
static size_t dash_at(const unsigned char *u, size_t left)
{
	if (u[0] == '-')
		return 1;
	if (left >= 3 && u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x8D) /* － */
		return 3;
	if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x90 && u[2] <= 0x95)
		return 3; /* ‐ ‑ ‒ – — ― */
	if (left >= 3 && u[0] == 0xE2 && u[1] == 0x94 && u[2] == 0x80) /* ─ */
		return 3;
	return 0;
}

static size_t blank_at(const unsigned char *u, size_t left)
{
	if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n')
		return 1;
	if (left >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	if (left >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	return 0;
}

bool xy_value_is_blank(const char *v, size_t len)
{
#define W(s) { s, sizeof s - 1 }
	static const struct { const char *s; size_t n; } words[] = {
		W("无"), W("空"), W("/"), W("／"), W("\\"), W("N/A"), W("n/a"), W("N/a"), W("n/A"),
		W("Ｎ／Ａ"), W("ｎ／ａ")
	};
#undef W
	const unsigned char *u;
	size_t i, w, dashes = 0;
	v = xy_trim(v, &len);
	if (!len)
		return true;
	/* called for every cell of an import: lengths known at compile time */
	for (size_t k = 0; k < sizeof words / sizeof *words; k++)
		if (words[k].n == len && memcmp(words[k].s, v, len) == 0)
			return true;
	/* one or more dashes, blanks between them allowed: - — —— — — -- －－ */
	u = (const unsigned char *)v;
	for (i = 0; i < len; i += w) {
		if ((w = dash_at(u + i, len - i)))
			dashes++;
		else if (!(w = blank_at(u + i, len - i)))
			return false;
	}
	return dashes > 0;
}

static xy_code check_text(const xy_field *f, const char *v, size_t len, xy_buf *out,
			  xy_reason *why)
{
	size_t chars = xy_utf8_len(v, len);
	if (chars == (size_t)-1) {
		WHY(why, "not valid UTF-8 text");
		WHY_ZH(why, "不是有效的 UTF-8 文本");
		return XY_ERR_INVALID;
	}
	size_t i = 0;
	/* eight bytes a step while none is below 0x20 (UTF-8 bytes never are) */
	for (; len - i >= 8; i += 8) {
		uint64_t x;
		memcpy(&x, v + i, 8);
		if ((x - UINT64_C(0x2020202020202020)) & ~x & UINT64_C(0x8080808080808080))
			break;
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			WHY(why, "contains control character 0x%02X", c);
			WHY_ZH(why, "含有控制字符 0x%02X", c);
			return XY_ERR_INVALID;
		}
	}
	if (f->max_len && chars > f->max_len) {
		WHY(why, "%zu characters, at most %zu allowed", chars, f->max_len);
		WHY_ZH(why, "长度为%zu个字符，最多允许%zu个", chars, f->max_len);
		return XY_ERR_INVALID;
	}
	return xy_buf_add(out, v, len);
}

static xy_code check_id(xy_id_kind kind, const char *v, const xy_registry *reg, xy_buf *out,
			xy_reason *why, bool *warned)
{
	xy_id_result r;
	xy_id_check(v, kind, &r);
	if (!r.valid) {
		if (kind == XY_ID_USCC && r.checksum_only && reg &&
		    xy_registry_uscc_excepted(reg, r.normalized)) {
			*warned = true;
		} else {
			WHY(why, "%s", r.reason);
			WHY_ZH(why, "%s", r.reason_zh);
			return XY_ERR_INVALID;
		}
	}
	return xy_buf_addstr(out, r.normalized);
}

/* ---- numbers as units write them ---- */

/* Longest number accepted, in digits: far beyond any amount, and keeps the
 * reasons that quote a number short. */
#define NUM_MAX_DIGITS 40

/* Copy v to out with full-width digits, ．，＋－ and ＥＥ made ASCII, and drop
 * blanks next to a non-digit (so 「5000 元」 is 「5000元」, 「1 000」 stays). */
static xy_code ascii_number(const char *v, size_t len, xy_buf *out)
{
	const unsigned char *u = (const unsigned char *)v;
	xy_buf_reset(out);
	for (size_t i = 0; i < len;) {
		if (i + 2 < len && u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] >= 0x81 &&
		    u[i + 2] <= 0xBF) { /* U+FF01..U+FF3F */
			if (xy_buf_addch(out, (char)(u[i + 2] - 0x81 + 0x21)))
				return XY_ERR_NOMEM;
			i += 3;
		} else if (i + 2 < len && u[i] == 0xEF && u[i + 1] == 0xBD && u[i + 2] >= 0x80 &&
			   u[i + 2] <= 0x9E) { /* U+FF40..U+FF5E */
			if (xy_buf_addch(out, (char)(u[i + 2] - 0x80 + 0x60)))
				return XY_ERR_NOMEM;
			i += 3;
		} else if (u[i] == ' ' || u[i] == '\t') {
			bool dl = out->len && out->data[out->len - 1] >= '0' &&
				  out->data[out->len - 1] <= '9';
			bool dr = i + 1 < len && u[i + 1] >= '0' && u[i + 1] <= '9';
			if ((dl && dr) && xy_buf_addch(out, ' '))
				return XY_ERR_NOMEM;
			i++;
		} else {
			if (xy_buf_addch(out, (char)u[i]))
				return XY_ERR_NOMEM;
			i++;
		}
	}
	return out->data ? XY_OK : xy_buf_addstr(out, "");
}

static bool ends_with(const char *s, size_t *n, const char *suffix)
{
	size_t k = strlen(suffix);
	if (*n > k && memcmp(s + *n - k, suffix, k) == 0) {
		*n -= k;
		return true;
	}
	return false;
}

/* A non-negative number in s[0..n): digits with thousands separators ','
 * between groups of three (1,234.5), an optional '.' and fraction.  The
 * digits before and after the point go to ip/fp (NUL-terminated). */
static bool split_number(const char *s, size_t n, bool integer, char *ip, char *fp)
{
	size_t i = 0, ni = 0, nf = 0, group = 0;
	bool commas = false;
	for (; i < n && s[i] != '.'; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (ni == NUM_MAX_DIGITS)
				return false;
			ip[ni++] = s[i];
			group++;
		} else if (s[i] == ',') {
			/* 1,234: the first group 1-3 digits, every later one 3 */
			if (!ni || (commas ? group != 3 : group > 3))
				return false;
			commas = true;
			group = 0;
		} else {
			return false;
		}
	}
	if (commas && group != 3)
		return false;
	if (i < n) { /* the point */
		if (integer)
			return false;
		for (i++; i < n; i++) {
			if (s[i] < '0' || s[i] > '9' || nf == NUM_MAX_DIGITS)
				return false;
			fp[nf++] = s[i];
		}
	}
	ip[ni] = fp[nf] = '\0';
	return ni || nf;
}

/* Canonical text of ip.fp shifted by `shift` decimal places (-4: 元 → 万元),
 * appended to out: 0, 1 when more than 6 decimals remain, -1 out of memory. */
static int put_number(const char *ip, const char *fp, int shift, xy_buf *out)
{
	char digits[2 * NUM_MAX_DIGITS + 16];
	size_t ni = strlen(ip), nf = strlen(fp), point, len, start, end;
	/* all digits, with 8 zeros of room on either side for the shift */
	memset(digits, '0', 8);
	memcpy(digits + 8, ip, ni);
	memcpy(digits + 8 + ni, fp, nf);
	memset(digits + 8 + ni + nf, '0', 8);
	len = 16 + ni + nf;
	point = (size_t)((long)(8 + ni) + shift); /* digits before it: [0, point) */
	start = 0;
	while (start + 1 < point && digits[start] == '0')
		start++;
	end = len;
	while (end > point && digits[end - 1] == '0')
		end--;
	if (end - point > 6)
		return 1;
	if (xy_buf_add(out, digits + start, point - start))
		return -1;
	if (end > point && (xy_buf_addch(out, '.') || xy_buf_add(out, digits + point, end - point)))
		return -1;
	return 0;
}

/* Non-negative decimal (or whole number) with optional thousands separators
 * and up to 6 decimals, full-width digits allowed; normalised without
 * separators, leading or trailing zeros.  A `wan` field (amount in 万元)
 * also takes a unit: 万元 or 万 as is; 元 divided by 10,000 and 亿元 / 亿
 * multiplied by it, with *st = XY_VAL_CONVERTED and the conversion in *why;
 * a leading ¥ or ￥ is dropped. */
static xy_code check_number(const char *v, size_t len, bool integer, bool wan, xy_buf *out,
			    xy_reason *why, xy_val_status *st)
{
	xy_buf a = XY_BUF_INIT;
	char ip[NUM_MAX_DIGITS + 1], fp[NUM_MAX_DIGITS + 1];
	const char *s;
	size_t n;
	int shift = 0;
	const char *unit = NULL;
	xy_code rc;
	if ((rc = ascii_number(v, len, &a)))
		return rc;
	s = a.data;
	n = a.len;
	if (wan) {
		if (n >= 2 && memcmp(s, "\xc2\xa5", 2) == 0) { /* ¥ */
			s += 2;
			n -= 2;
		} else if (n >= 3 && memcmp(s, "\xef\xbf\xa5", 3) == 0) { /* ￥ */
			s += 3;
			n -= 3;
		}
		if (ends_with(s, &n, "万元") || ends_with(s, &n, "万"))
			shift = 0;
		else if (ends_with(s, &n, "亿元") || ends_with(s, &n, "亿"))
			shift = 4, unit = "亿元";
		else if (ends_with(s, &n, "元"))
			shift = -4, unit = "元";
	}
	if (!split_number(s, n, integer, ip, fp)) {
		xy_buf_release(&a);
		if (integer) {
			WHY(why, "not a whole number >= 0 (at most %d digits)", NUM_MAX_DIGITS);
			WHY_ZH(why, "不是非负整数（最多%d位数字）", NUM_MAX_DIGITS);
		} else if (wan) {
			WHY(why, "not an amount in 万元 >= 0 with at most 6 decimals (such as 0.5, "
				 "0.5万元 or 5000元)");
			WHY_ZH(why, "不是以万元为单位的非负金额（最多6位小数，如 0.5、0.5万元 或 5000元）");
		} else {
			WHY(why, "not a number >= 0 with at most 6 decimals");
			WHY_ZH(why, "不是非负数（最多6位小数）");
		}
		return XY_ERR_INVALID;
	}
	{
		size_t before = out->len;
		int put = put_number(ip, fp, shift, out);
		if (put < 0) {
			xy_buf_release(&a);
			return XY_ERR_NOMEM;
		}
		if (put > 0) {
			xy_buf_truncate(out, before);
			xy_buf_release(&a);
			if (unit) {
				WHY(why, "%s%s%s%s is more than 6 decimals in 万元", ip, *fp ? "." : "",
				    fp, unit);
				WHY_ZH(why, "%s%s%s%s换算为万元后超过6位小数", ip, *fp ? "." : "", fp,
				       unit);
			} else {
				WHY(why, "not a number >= 0 with at most 6 decimals");
				WHY_ZH(why, "不是非负数（最多6位小数）");
			}
			return XY_ERR_INVALID;
		}
		if (unit) {
			*st = XY_VAL_CONVERTED;
			WHY(why, "%s%s%s%s in a column of 万元: converted to %s万元", ip,
			    *fp ? "." : "", fp, unit, out->data + before);
			WHY_ZH(why, "该列单位为万元，填写的%s%s%s%s已换算为%s万元", ip, *fp ? "." : "",
			       fp, unit, out->data + before);
		}
	}
	xy_buf_release(&a);
	return XY_OK;
}

static xy_code check_enum(const xy_field *f, const char *v, size_t len, xy_buf *out,
			  xy_reason *why)
{
	xy_buf list = XY_BUF_INIT;
	for (size_t i = 0; i < f->nenum; i++) {
		const char *e = f->enum_values[i], *eq = strchr(e, '=');
		if (eq) { /* "1=有效": accept the code or the label, store the code */
			size_t cl = (size_t)(eq - e);
			if ((cl == len && memcmp(e, v, len) == 0) ||
			    (strlen(eq + 1) == len && memcmp(eq + 1, v, len) == 0))
				return xy_buf_add(out, e, cl);
		} else if (strlen(e) == len && memcmp(e, v, len) == 0) {
			return xy_buf_add(out, v, len);
		}
	}
	for (size_t i = 0; i < f->nenum; i++) {
		if (i)
			xy_buf_addch(&list, '|');
		xy_buf_addstr(&list, f->enum_values[i]);
	}
	WHY(why, "must be one of %s", list.data);
	WHY_ZH(why, "应为以下之一：%s", list.data);
	xy_buf_release(&list);
	return XY_ERR_INVALID;
}

/* ---- dates ---- */

/* Dates as units write them: full-width digits, blanks around 年月日
 * (「2019 年 10 月 8 日」), a serial number with a time fraction (43753.5).
 * xy_date_parse does the rest (2019-10-08, 2019/10/8, 2019.10.08, 20191008,
 * 2019年10月8日, a trailing time). */
static xy_code parse_date(const char *v, size_t len, char iso[11], xy_buf *tmp)
{
	size_t nd;
	xy_code rc;
	if ((rc = ascii_number(v, len, tmp)))
		return rc;
	if (strstr(tmp->data, "年")) { /* 「2019 年 10 月」: blanks mean nothing here */
		size_t k = 0;
		for (size_t i = 0; i < tmp->len; i++)
			if (tmp->data[i] != ' ')
				tmp->data[k++] = tmp->data[i];
		xy_buf_truncate(tmp, k);
	}
	if (tmp->len < 64 && xy_date_parse(tmp->data, iso) == XY_OK)
		return XY_OK;
	/* A spreadsheet date that lost its format arrives as its serial number,
	 * with a fraction when it held a time (only for 5-digit serials, 1927 on). */
	nd = strspn(tmp->data, "0123456789");
	if (nd && nd <= 5 &&
	    (nd == tmp->len ||
	     (nd == 5 && tmp->data[nd] == '.' && tmp->len - nd - 1 <= 10 &&
	      strspn(tmp->data + nd + 1, "0123456789") == tmp->len - nd - 1)) &&
	    xy_date_from_serial(atof(tmp->data), iso) == XY_OK)
		return XY_OK;
	return XY_ERR_INVALID;
}

static xy_code check_date(const char *v, size_t len, xy_buf *out, xy_reason *why)
{
	xy_buf tmp = XY_BUF_INIT;
	char iso[11];
	xy_code rc = parse_date(v, len, iso, &tmp);
	xy_buf_release(&tmp);
	if (rc == XY_OK)
		return xy_buf_add(out, iso, 10);
	if (rc != XY_ERR_INVALID)
		return rc;
	WHY(why, "not a valid date (expected YYYY-MM-DD)");
	WHY_ZH(why, "不是有效日期（应为 YYYY-MM-DD 格式）");
	return XY_ERR_INVALID;
}

/* Words for "no end" in a validity end date; the standard itself writes
 * 2099-12-31 for 长期, and units write 9999-12-31. */
static const char *const open_ended[] = { "长期", "永久", "长期有效", "永久有效", "无期限",
					  "无固定期限", "长期至今" };

/* First date that means "no end" when written as an end date. */
#define OPEN_ENDED_FROM "2099-12-31"

static xy_code check_until(const char *v, size_t len, xy_buf *out, xy_reason *why)
{
	xy_buf tmp = XY_BUF_INIT;
	char iso[11];
	xy_code rc;
	for (size_t i = 0; i < sizeof open_ended / sizeof *open_ended; i++)
		if (strlen(open_ended[i]) == len && memcmp(open_ended[i], v, len) == 0)
			return xy_buf_addstr(out, XY_OPEN_ENDED);
	rc = parse_date(v, len, iso, &tmp);
	xy_buf_release(&tmp);
	if (rc == XY_OK)
		return strcmp(iso, OPEN_ENDED_FROM) >= 0 ? xy_buf_addstr(out, XY_OPEN_ENDED)
							 : xy_buf_add(out, iso, 10);
	if (rc != XY_ERR_INVALID)
		return rc;
	WHY(why, "not a valid end date (expected YYYY-MM-DD, or 长期 when it has no end)");
	WHY_ZH(why, "不是有效的截止日期（应为 YYYY-MM-DD 格式，无截止日期的填“长期”）");
	return XY_ERR_INVALID;
}

/* ---- codes ---- */

/* A code Excel turned into a number: 2.10804E+17, 9.13E+17, 2.1E17. */
static bool excel_scientific(const char *v, size_t len)
{
	size_t i = 0, mant = 0, exp = 0;
	while (i < len && v[i] >= '0' && v[i] <= '9')
		i++, mant++;
	if (i < len && v[i] == '.')
		for (i++; i < len && v[i] >= '0' && v[i] <= '9'; i++)
			mant++;
	if (!mant || i >= len || (v[i] != 'E' && v[i] != 'e'))
		return false;
	i++;
	if (i < len && v[i] == '+')
		i++;
	while (i < len && v[i] >= '0' && v[i] <= '9')
		i++, exp++;
	return exp && i == len;
}

static xy_code refuse_scientific(xy_reason *why)
{
	WHY(why, "Excel turned the code into a number in scientific notation: format the "
		 "column as text and enter the codes again");
	WHY_ZH(why, "Excel 把代码转成了科学计数法，请把该列设置为文本格式后重新填写");
	return XY_ERR_INVALID;
}

/* A placeholder written where a subject has no such code: only zeros, or 17
 * zeros and X (00000000000000000X, a 个体工商户 without a USCC); blanks and
 * hyphens ignored. */
static bool placeholder_code(const char *v, size_t len)
{
	size_t zeros = 0, other = 0;
	bool x_last = false;
	for (size_t i = 0; i < len; i++) {
		if (v[i] == '0' && !x_last)
			zeros++;
		else if ((v[i] == 'X' || v[i] == 'x') && zeros && !x_last)
			x_last = true;
		else if (v[i] != ' ' && v[i] != '-')
			other++;
	}
	return zeros && !other && (!x_last || zeros == 17);
}

static xy_code placeholder(const xy_field *f, xy_reason *why, xy_val_status *st)
{
	*st = XY_VAL_PLACEHOLDER;
	WHY(why, "%s is a placeholder (all zeros, or 17 zeros and X): taken as absent", f->name);
	WHY_ZH(why, "%s为占位代码（全为0或17个0加X），视为未填写", f->name);
	return XY_OK;
}

static bool idtype_is_ric(const char *idtype)
{
	return !idtype || !*idtype || strstr(idtype, "身份证") || strcmp(idtype, "居民身份证") == 0;
}

xy_code xy_field_check(const xy_field *f, const char *v, size_t len, const char *idtype,
		       const xy_registry *reg, xy_buf *out, xy_reason *why, xy_val_status *st)
{
	char tmp[256];
	bool warned = false;
	xy_code rc;
	*st = XY_VAL_OK;
	why->en[0] = why->zh[0] = '\0';
	v = xy_trim(v, &len);
	if (!len)
		return XY_OK;
	if (xy_value_is_blank(v, len)) {
		*st = XY_VAL_BLANK;
		return XY_OK;
	}
	switch (f->type) {
	case XY_FT_TEXT:
		return check_text(f, v, len, out, why);
	case XY_FT_CODE:
		if (excel_scientific(v, len))
			return refuse_scientific(why);
		if (placeholder_code(v, len))
			return placeholder(f, why, st);
		return check_text(f, v, len, out, why);
	case XY_FT_USCC:
	case XY_FT_ORG:
	case XY_FT_RIC:
	case XY_FT_IDNO:
		if (len >= sizeof tmp) {
			WHY(why, "identifier too long (%zu bytes, at most %zu)", len, sizeof tmp - 1);
			WHY_ZH(why, "证件号码过长（%zu字节，最多%zu字节）", len, sizeof tmp - 1);
			return XY_ERR_INVALID;
		}
		if (excel_scientific(v, len))
			return refuse_scientific(why);
		if ((f->type == XY_FT_USCC || f->type == XY_FT_ORG) && placeholder_code(v, len))
			return placeholder(f, why, st);
		memcpy(tmp, v, len);
		tmp[len] = '\0';
		if (f->type == XY_FT_USCC)
			rc = check_id(XY_ID_USCC, tmp, reg, out, why, &warned);
		else if (f->type == XY_FT_ORG)
			rc = check_id(XY_ID_ORG, tmp, reg, out, why, &warned);
		else if (f->type == XY_FT_RIC || idtype_is_ric(idtype))
			rc = check_id(XY_ID_RIC, tmp, reg, out, why, &warned);
		else {
			char norm[XY_ID_MAX];
			xy_id_normalize(tmp, norm, sizeof norm);
			if (!*norm || strlen(norm) >= sizeof norm - 1) {
				WHY(why, "not a usable document number (1 to %d letters and digits)",
				    XY_ID_MAX - 2);
				WHY_ZH(why, "证件号码无效（应为1至%d位字母或数字）", XY_ID_MAX - 2);
				return XY_ERR_INVALID;
			}
			return xy_buf_addstr(out, norm);
		}
		if (rc == XY_OK && warned) {
			*st = XY_VAL_EXCEPTION;
			WHY(why, "fails its check character but is a configured exception; accepted");
			WHY_ZH(why, "校验位不符，但属于已配置的例外代码，予以接受");
		}
		return rc;
	case XY_FT_ENUM:
		return check_enum(f, v, len, out, why);
	case XY_FT_DATE:
		return check_date(v, len, out, why);
	case XY_FT_UNTIL:
		return check_until(v, len, out, why);
	case XY_FT_DECIMAL:
		return check_number(v, len, false, false, out, why, st);
	case XY_FT_WAN:
		return check_number(v, len, false, true, out, why, st);
	case XY_FT_INT:
		return check_number(v, len, true, false, out, why, st);
	}
	WHY(why, "unknown field type");
	WHY_ZH(why, "未知字段类型");
	return XY_ERR_INVALID;
}

xy_code xy_field_validate(const xy_field *f, const char *v, size_t len, const char *idtype,
			  const xy_registry *reg, xy_buf *out, xy_reason *why, bool *warned)
{
	xy_val_status st;
	xy_code rc = xy_field_check(f, v, len, idtype, reg, out, why, &st);
	*warned = rc == XY_OK && (st == XY_VAL_EXCEPTION || st == XY_VAL_CONVERTED ||
				  st == XY_VAL_PLACEHOLDER);
	return rc;
}
