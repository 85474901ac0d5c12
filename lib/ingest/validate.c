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
	static const char *const words[] = { "无", "空", "/", "／", "\\", "N/A", "n/a",
					     "N/a", "n/A", "Ｎ／Ａ", "ｎ／ａ" };
	const unsigned char *u;
	size_t i, w, dashes = 0;
	v = xy_trim(v, &len);
	if (!len)
		return true;
	for (size_t k = 0; k < sizeof words / sizeof *words; k++)
		if (strlen(words[k]) == len && memcmp(words[k], v, len) == 0)
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

/* Non-negative decimal with optional thousands separators and up to 6
 * decimals; normalised without separators, leading or trailing zeros. */
static xy_code check_decimal(const char *v, size_t len, bool integer, xy_buf *out,
			     xy_reason *why)
{
	char digits[64];
	size_t nd = 0, i = 0, frac = 0;
	bool dot = false, any = false;
	for (; i < len; i++) {
		char c = v[i];
		if (c >= '0' && c <= '9') {
			if (nd + 2 >= sizeof digits)
				goto bad;
			digits[nd++] = c;
			any = true;
			if (dot)
				frac++;
		} else if (c == '.' && !dot && !integer) {
			dot = true;
			if (nd + 2 >= sizeof digits)
				goto bad;
			digits[nd++] = '.';
		} else if (c == ',' && !dot && any) {
			continue;
		} else {
			goto bad;
		}
	}
	if (!any || frac > 6)
		goto bad;
	digits[nd] = '\0';
	{
		char *p = digits, *end;
		while (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
			p++;
		if (dot) {
			end = p + strlen(p);
			while (end > p && end[-1] == '0')
				*--end = '\0';
			if (end > p && end[-1] == '.')
				*--end = '\0';
			if (*p == '.') { /* ".5" */
				xy_code rc = xy_buf_addch(out, '0');
				if (rc)
					return rc;
			}
			if (!*p)
				p = "0";
		}
		return xy_buf_addstr(out, p);
	}
bad:
	if (integer) {
		WHY(why, "not a whole number >= 0");
		WHY_ZH(why, "不是非负整数");
	} else {
		WHY(why, "not a number >= 0 with at most 6 decimals");
		WHY_ZH(why, "不是非负数（最多6位小数）");
	}
	return XY_ERR_INVALID;
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

static xy_code check_date(const char *v, size_t len, xy_buf *out, xy_reason *why)
{
	char tmp[64], iso[11];
	if (len < sizeof tmp) {
		memcpy(tmp, v, len);
		tmp[len] = '\0';
		if (xy_date_parse(tmp, iso) == XY_OK)
			return xy_buf_add(out, iso, 10);
		/* A spreadsheet date that lost its format arrives as its serial number. */
		if (len <= 5 && strspn(tmp, "0123456789") == len &&
		    xy_date_from_serial(atof(tmp), iso) == XY_OK)
			return xy_buf_add(out, iso, 10);
	}
	WHY(why, "not a valid date (expected YYYY-MM-DD)");
	WHY_ZH(why, "不是有效日期（应为 YYYY-MM-DD 格式）");
	return XY_ERR_INVALID;
}

static bool idtype_is_ric(const char *idtype)
{
	return !idtype || !*idtype || strstr(idtype, "身份证") || strcmp(idtype, "居民身份证") == 0;
}

xy_code xy_field_validate(const xy_field *f, const char *v, size_t len, const char *idtype,
			  const xy_registry *reg, xy_buf *out, xy_reason *why, bool *warned)
{
	char tmp[256];
	*warned = false;
	why->en[0] = why->zh[0] = '\0';
	if (!len)
		return XY_OK;
	switch (f->type) {
	case XY_FT_TEXT:
		return check_text(f, v, len, out, why);
	case XY_FT_USCC:
	case XY_FT_ORG:
	case XY_FT_RIC:
	case XY_FT_IDNO:
		if (len >= sizeof tmp) {
			WHY(why, "identifier too long (%zu bytes)", len);
			WHY_ZH(why, "证件号码过长（%zu字节）", len);
			return XY_ERR_INVALID;
		}
		memcpy(tmp, v, len);
		tmp[len] = '\0';
		if (f->type == XY_FT_USCC)
			return check_id(XY_ID_USCC, tmp, reg, out, why, warned);
		if (f->type == XY_FT_ORG)
			return check_id(XY_ID_ORG, tmp, reg, out, why, warned);
		if (f->type == XY_FT_RIC || idtype_is_ric(idtype))
			return check_id(XY_ID_RIC, tmp, reg, out, why, warned);
		{
			char norm[XY_ID_MAX];
			xy_id_normalize(tmp, norm, sizeof norm);
			if (!*norm || strlen(norm) >= sizeof norm - 1) {
				WHY(why, "not a usable document number");
				WHY_ZH(why, "证件号码无效");
				return XY_ERR_INVALID;
			}
			return xy_buf_addstr(out, norm);
		}
	case XY_FT_ENUM:
		return check_enum(f, v, len, out, why);
	case XY_FT_DATE:
		return check_date(v, len, out, why);
	case XY_FT_DECIMAL:
		return check_decimal(v, len, false, out, why);
	case XY_FT_INT:
		return check_decimal(v, len, true, out, why);
	}
	WHY(why, "unknown field type");
	WHY_ZH(why, "未知字段类型");
	return XY_ERR_INVALID;
}
