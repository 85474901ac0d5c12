#!/bin/sh
# xinyong id: identifiers checked, normalised, explained; exit status says all valid or not.
. "$(dirname "$0")/lib.sh"

# A valid USCC made from a fixed body: compute its check character with xinyong itself
# by trying all 31 and keeping the one it calls valid (so the test does not trust a constant).
body=91210802MA0Q8L7X1
good=""
for c in 0 1 2 3 4 5 6 7 8 9 A B C D E F G H J K L M N P Q R T U W X Y; do
	if xy id "$body$c" >/dev/null 2>&1; then good="$good$body$c "; fi
done
set -- $good
is "exactly one check character makes $body valid" "$#" 1
good=$1

ok "a valid USCC exits 0" xy id "$good"
like "table output says valid and names the district" "$(xy id "$good")" "uscc +valid.*210802 站前区"

j=$(xy id --format json "$good")
is "json kind" "$(echo "$j" | jq -r .kind)" uscc
is "json valid" "$(echo "$j" | jq -r .valid)" true
is "json reason is null" "$(echo "$j" | jq -r .reason)" null
is "json input echoed" "$(echo "$j" | jq -r .input)" "$good"

last=$(printf %s "$good" | cut -c18)
wrong=$(printf %s "$good" | cut -c1-17)$([ "$last" = 0 ] && echo 1 || echo 0)
fails "a wrong check character exits 1" 1 xy id "$wrong"
like "the reason names the expected check character" "$(xy id "$wrong")" "check character.*'$last'"

lower=$(printf %s "$good" | tr 'A-Z' 'a-z')
is "lower case and spaces normalise" "$(xy id --format json "$(printf %s "$lower" | cut -c1-6) $(printf %s "$lower" | cut -c7-)" | jq -r .normalized)" "$good"
fw=$(printf %s "$good" | sed 's/9/９/; s/1/１/')
is "full-width digits normalise" "$(xy id --format json "$fw" | jq -r '.normalized + " " + (.valid|tostring)')" "$good true"

# 公民身份号码: 11010519491231002X is the standard's own example.
j=$(xy id --format json 11010519491231002x)
is "RIC example from GB 11643 valid, x upper-cased" "$(echo "$j" | jq -r '.kind + " " + .normalized + " " + (.valid|tostring)')" "ric 11010519491231002X true"
j=$(xy id --format json 110105194902300021)
is "RIC with 1949-02-30 is invalid" "$(echo "$j" | jq -r .valid)" false
like "RIC birth date reason" "$(echo "$j" | jq -r .reason)" "[Bb]irth|date"

# 组织机构代码 (GB 11714): D2143569-X is the standard's example.
is "organisation code with hyphen" "$(xy id --format json --kind org D2143569-X | jq -r '.normalized + " " + (.valid|tostring)')" "D2143569X true"

fails "one bad among good exits 1" 1 xy id "$good" 123
is "one JSON object per code" "$(xy id --format json "$good" 123 11010519491231002X | jq -s length)" 3
like "an unrecognised code says why" "$(xy id 123 || true)" "unrecognised|length"
fails "no code is a usage error" 2 xy id

# Masked 身份证号 as published (issue 8): recognised and explained, never "valid" as a number.
j=$(xy id --format json '210804********1234')
is "a masked RIC is a ric" "$(echo "$j" | jq -r .kind)" ric
is "… flagged masked" "$(echo "$j" | jq -r .masked)" true
is "… cannot be verified" "$(echo "$j" | jq -r .verifiable)" false
is "… visible positions" "$(echo "$j" | jq -r .visible)" "1-6, 15-18"
is "… visible division named" "$(echo "$j" | jq -r .division)" 210804
j=$(xy id --format json '2108**********1234')
is "a mask hiding the division has none" "$(echo "$j" | jq -r .division)" null
is "full-width ＊ is a mask too" "$(xy id --format json '２１０８＊＊＊＊＊＊＊＊＊＊１２３４' | jq -r '.normalized + " " + (.masked|tostring)')" "2108**********1234 true"
like "table output explains the mask" "$(xy id '2108**********1234')" "masked.*1-4, 15-18 visible.*cannot be verified"
fails "a mask with an impossible visible province exits 1" 1 xy id '99**************34'
is "a full number is not masked" "$(xy id --format json 11010519491231002X | jq -r .masked)" false

# 工商注册号 (GS 15-2006, ISO 7064 MOD 11,10): exactly one check digit of ten is right.
n=0
for d in 0 1 2 3 4 5 6 7 8 9; do
	if xy id --kind regno "21080400000123$d" >/dev/null 2>&1; then n=$((n + 1)); reg="21080400000123$d"; fi
done
is "exactly one check digit makes a 工商注册号 valid" "$n" 1
is "regno kind in JSON" "$(xy id --format json --kind regno "$reg" | jq -r '.kind + " " + (.valid|tostring)')" "regno true"
