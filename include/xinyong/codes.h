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
 *
 * All functions are pure: no allocation, no I/O.
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
} xy_id_kind;

#define XY_ID_MAX 64 /* buffer size that holds any normalised identifier */

typedef struct xy_id_result {
	xy_id_kind kind;            /* detected or requested kind */
	char normalized[XY_ID_MAX]; /* normalised form (may be truncated junk when invalid) */
	bool valid;
	bool checksum_only;         /* structure fine, only the check character is wrong */
	const char *reason;         /* NULL when valid; static English text */
	const char *reason_zh;      /* NULL when valid; static Chinese text */
} xy_id_result;

/* "uscc", "ric", "org", "unknown". */
const char *xy_id_kind_name(xy_id_kind kind);

/* Normalise: drop ASCII/full-width/ideographic spaces and hyphens (ASCII and
 * full-width), map full-width ASCII (U+FF01..U+FF5E) to half-width, upper-case
 * letters.  Writes at most outsz-1 bytes plus NUL; returns the length it
 * would have written (like snprintf). */
size_t xy_id_normalize(const char *in, char *out, size_t outsz);

/* Check `input` as `kind`; XY_ID_UNKNOWN guesses the kind from the
 * normalised length and shape (18 with a letter in the first two positions
 * or not a valid date -> USCC, 18 digits/X -> RIC, 9 -> ORG). */
void xy_id_check(const char *input, xy_id_kind kind, xy_id_result *out);

/* Check characters.  first17/first8 must be normalised.  Return '\0' when an
 * input character is outside the code's alphabet. */
char xy_uscc_check_char(const char *first17);
char xy_ric_check_char(const char *first17);
char xy_org_check_char(const char *first8);

/* The 6-digit division code of a normalised USCC (characters 3..8) into
 * out[7]. */
void xy_uscc_division(const char *uscc, char out[7]);

#endif
