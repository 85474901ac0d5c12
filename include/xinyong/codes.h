/* xinyong: identifiers of credit subjects.
 *
 * - 统一社会信用代码 USCC (GB 32100-2015): 18 characters from
 *   "0123456789ABCDEFGHJKLMNPQRTUWXY"; position 1 registering authority,
 *   2 category, 3-8 administrative division (GB/T 2260), 9-17 the organisation
 *   code body, 18 the check character: weights 3^(i-1) mod 31,
 *   check = 31 - (sum mod 31), 31 -> 0.
 * - 公民身份号码 RIC (GB 11643-1999): 17 digits + ISO 7064 MOD 11-2 check
 *   (0-9 or X), digits 7-14 a valid birth date.
 * - 组织机构代码 (GB 11714-1997): 8 characters [0-9A-Z] + check character
 *   (weights 3,7,9,10,5,8,4,2; check = 11 - sum mod 11, 10 -> X, 11 -> 0),
 *   often written with a hyphen before the check character.
 * - 工商注册号 (GS 15-2006): 15 digits, the last an ISO 7064 MOD 11,10 check
 *   digit.  Numbers issued before 2007 follow older rules, so a caller may
 *   keep one that fails (checksum_only) with a warning.
 * - A masked RIC as published (GB 11643 numbers with hidden positions:
 *   2108**********1234, 210804********1234, full-width ＊ too): 8 to 18
 *   characters of digits and '*', an X only last, at least one '*' and one
 *   visible character.  Only the visible province (positions 1-2) and, in an
 *   18-character mask, a fully visible birth date are checked; the number
 *   cannot be verified.  It is valid as a mask (masked = true) and
 *   identifies nobody on its own: two people may share a mask.
 *
 * Checks beyond the check character:
 * - USCC: position 1 must be a registering authority of GB 32100-2015
 *   table A.1 (1-9, A, N, Y) and position 2 one of its categories;
 *   positions 3-8 must be digits whose first two are a GB/T 2260 province
 *   (including 71, 81, 82), or the whole division must be 100000, which is
 *   not in GB/T 2260 but is the division of registrations at national level.
 *   Positions 9-17 are the organisation code body, but its own GB 11714
 *   check character (position 17) is deliberately NOT verified: 个体工商户
 *   and other subjects without an organisation code carry a body that is
 *   not a valid organisation code.
 * - RIC: positions 1-2 a province as above or 83 (residence permits of
 *   Taiwan residents); the birth date a valid date, year >= 1900, not after
 *   today (xy_date_today, so XINYONG_TODAY applies).  A 15-digit (first
 *   generation) number is rejected with its own reason.
 *
 * All functions are pure: no allocation, no I/O.  An xy_id_result holds its
 * reasons in its own buffers, so it is self-contained and can be copied
 * (assigned, memcpy'd) freely.
 */
#ifndef XINYONG_CODES_H
#define XINYONG_CODES_H

#include <stdbool.h>
#include <stddef.h>

typedef enum xy_id_kind {
	XY_ID_UNKNOWN = 0,
	XY_ID_USCC,  /* "uscc" */
	XY_ID_RIC,   /* "ric"  resident identity card number */
	XY_ID_ORG,   /* "org"  organisation code */
	XY_ID_REGNO, /* "regno" 工商注册号 (15 digits, GS 15-2006) */
} xy_id_kind;

#define XY_ID_MAX 64 /* buffer size that holds any normalised identifier */

typedef struct xy_id_result {
	xy_id_kind kind;            /* detected or requested kind */
	char normalized[XY_ID_MAX]; /* normalised form (may be truncated junk when invalid) */
	bool valid;
	bool checksum_only;         /* structure fine, only the check character is wrong */
	bool masked;                /* RIC: a published mask, valid as a mask only */
	char reason[160];           /* "" when valid; English */
	char reason_zh[192];        /* "" when valid; Chinese */
} xy_id_result;

/* "uscc", "ric", "org", "regno", "unknown". */
const char *xy_id_kind_name(xy_id_kind kind);

/* Normalise, reading `in` as UTF-8 (NULL is treated as ""):
 * - full-width ASCII U+FF01..U+FF5E is mapped to half-width first;
 * - separators are dropped: ASCII blanks (space, \t \r \n \v \f), NBSP
 *   U+00A0, ideographic space U+3000, zero-width space U+200B, BOM U+FEFF,
 *   and dashes: '-' (so also the full-width U+FF0D), U+2010..U+2015, U+2212;
 * - ASCII a-z are upper-cased;
 * - any other character is copied unchanged, and bytes that are not valid
 *   UTF-8 (bad lead/continuation bytes, truncated, overlong 3/4-byte forms,
 *   surrogates, > U+10FFFF) are copied byte by byte, so such input stays
 *   invalid.
 * Writes at most outsz-1 bytes plus NUL (nothing when outsz is 0; out may
 * then be NULL); returns the length it would have written (like snprintf). */
size_t xy_id_normalize(const char *in, char *out, size_t outsz);

/* Check `input` as `kind` and fill *out completely (kind, normalized,
 * valid, checksum_only, reason, reason_zh); reason and reason_zh are "" when
 * valid.  A kind other than USCC, RIC, ORG or REGNO (XY_ID_UNKNOWN) is guessed from
 * the normalised form:
 * - length 18: RIC when positions 1-17 are digits, position 18 a digit or
 *   X, positions 7-8 are "19" or "20", the month (positions 11-12) is
 *   01..12 and the day (positions 13-14) 01..31 (impossible days such as
 *   0229 in a common year still count, so the number is reported as a RIC
 *   with a bad date); USCC otherwise;
 * - length 9: ORG;
 * - length 15, all digits: RIC (rejected as a 15-digit number; one such
 *   number in ten passes the 工商注册号 check digit by chance, so REGNO is
 *   never guessed: ask for it);
 * - 8 to 18 characters of digits and '*' (see above): a masked RIC;
 * - anything else: XY_ID_UNKNOWN, reported as unrecognised with its length.
 * Lengths are those of the whole normalised form; past 63 (XY_ID_MAX - 1)
 * the reason says "over 63" / "longer than 63 characters".
 * checksum_only is true only when everything but the check character is
 * right. */
void xy_id_check(const char *input, xy_id_kind kind, xy_id_result *out);
/* The kind xy_id_check(input, XY_ID_UNKNOWN, …) recognises, without checking
 * the identifier (no message is built): for callers that only ask what a
 * text looks like, such as masking every 身份证号 of an answer. */
xy_id_kind xy_id_guess(const char *input);

/* Check characters.  first17/first8 must be normalised.  Return '\0' when an
 * input character is outside the code's alphabet. */
char xy_uscc_check_char(const char *first17);
char xy_ric_check_char(const char *first17);
char xy_org_check_char(const char *first8);
char xy_regno_check_char(const char *first14);

/* The public form of an identifier (信用中国 convention): a 身份证号, full
 * (18 or 15 digits) or already masked, keeps its first 6 and last 4
 * characters, the rest as '*' (2108041990****1234 → 210804********1234; what
 * a mask hid stays hidden); a mask of another length is kept as it is; any
 * other identifier (USCC …) comes back normalised.  Like snprintf. */
size_t xy_id_public(const char *in, char *out, size_t outsz);

/* The 6-digit division code of a normalised USCC (characters 3..8) into
 * out[7]. */
void xy_uscc_division(const char *uscc, char out[7]);

#endif
