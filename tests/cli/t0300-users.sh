#!/bin/sh
# xinyong user / token: the first admin of a fresh install, an operator bound to a unit,
# passwords from a file or stdin (never argv), bad names/roles/units/passwords refused,
# disable and passwd, tokens created once, listed without secrets, revoked; nothing
# secret in the database in clear.
. "$(dirname "$0")/lib.sh"

ME="cli:$(id -un)"

# --- a fresh database: no users yet
ok "user list on a fresh database" xy user list --format json
is "  no users" "$(jq '.users | length' "$T/.out")" 0

# --- the first admin, password on stdin
printf 'first-admin-pass\n' >"$T/pw1"
ok "user add admin (password on stdin)" sh -c "\"$XINYONG\" user add boss --role admin <\"$T/pw1\""
like "  said so" "$(cat "$T/.out")" "user boss added"
ok "user add operator with --password-file and a unit" \
	xy user add op1 --role unit --unit 市场监管局 --password-file "$T/pw1" --format json
is "  role in JSON" "$(jq -r .role "$T/.out")" unit
printf 'auditor-pass\r\n' >"$T/pw2"
ok "user add auditor, CRLF password file" xy user add 审计甲 --role 审计员 --password-file "$T/pw2"

ok "user list" xy user list --format json
is "  three users by name" "$(jq -r '[.users[].name] | join(",")' "$T/.out")" "boss,op1,审计甲"
is "  the operator's unit" "$(jq -r '.users[] | select(.name=="op1") | .unit' "$T/.out")" 市场监管局
is "  no password hash shown" "$(jq '[.users[] | has("pwhash")] | any' "$T/.out")" false
is "  stored as argon2id: three hashes in the database file" \
	"$(at_rest |
		grep -aoE '\$argon2id\$v=19\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+' | sort -u | wc -l)" 3
is "  the password is nowhere in the database" \
	"$(at_rest | grep -ac first-admin-pass)" 0

# --- refused
fails "a taken name" 1 xy user add boss --role admin --password-file "$T/pw1"
like "  says so" "$(cat "$T/.err")" "exists already"
fails "an operator without a unit" 1 xy user add op2 --role unit --password-file "$T/pw1"
like "  says so" "$(cat "$T/.err")" "needs a unit"
fails "an unknown unit" 1 xy user add op2 --role unit --unit 无此局 --password-file "$T/pw1"
fails "an unknown role" 2 xy user add op2 --role root --password-file "$T/pw1"
fails "the public is no user role" 2 xy user add op2 --role public --password-file "$T/pw1"
printf 'short\n' >"$T/short"
fails "a short password" 1 xy user add op2 --role admin --password-file "$T/short"
like "  names the limit" "$(cat "$T/.err")" "8 to 1024 bytes"
fails "a name with a colon" 1 xy user add a:b --role admin --password-file "$T/pw1"
fails "no password at all" 1 sh -c "\"$XINYONG\" user add op2 --role admin </dev/null"
fails "a missing password file" 1 xy user add op2 --role admin --password-file "$T/nope"
fails "a password on the command line is no option" 2 xy user add op2 --role admin --password secret
is "  and is never echoed" "$(grep -c secret "$T/.err")" 0
fails "  nor abbreviated" 2 xy user add op2 --role admin --pass=secret
is "  nothing added by the refusals" "$(rows users)" 3

# --- passwd and disable
printf 'second-admin-pass\n' >"$T/pw3"
ok "user passwd" xy user passwd op1 --password-file "$T/pw3"
fails "user passwd of nobody" 1 xy user passwd ghost --password-file "$T/pw3"
ok "user disable" xy user disable op1
ok "  again: nothing changes" xy user disable op1
ok "user list after disable" xy user list --format json
is "  op1 disabled" "$(jq '.users[] | select(.name=="op1") | .disabled' "$T/.out")" true
fails "disable nobody" 1 xy user disable ghost
fails "unknown subcommand" 2 xy user frobnicate x

# --- tokens
ok "token create for a unit (JSON)" xy token create --role unit --unit 市场监管局 --expires 30d \
	--label 上传脚本 --format json
TOK=$(jq -r .token "$T/.out")
TID=$(jq -r .id "$T/.out")
like "  the token" "$TOK" "^xyt_${TID}_[A-Za-z0-9_-]{43}\$"
is "  only its hash stored: the secret is nowhere in the database file" \
	"$(at_rest | grep -acF -e "${TOK#"xyt_${TID}_"}")" 0 # the 43 characters (they may hold a "_")
ok "token create, table: token on stdout, notice on stderr" xy token create --role auditor --expires 2099-12-31
like "  stdout is the token" "$(cat "$T/.out")" "^xyt_[0-9]+_[A-Za-z0-9_-]{43}\$"
like "  shown once" "$(cat "$T/.err")" "shown only this once"
fails "an operator token needs a unit" 1 xy token create --role unit
fails "a bad expiry" 2 xy token create --role admin --expires tomorrow
fails "an expiry in the past" 1 xy token create --role admin --expires 2000-01-01
ok "token list" xy token list --format json
is "  two tokens, newest first" "$(jq -r '[.tokens[].id] | map(tostring) | join(",")' "$T/.out")" "$((TID + 1)),$TID"
is "  no secret or hash listed" "$(grep -cF -e "${TOK#"xyt_${TID}_"}" "$T/.out")" 0
is "  the label kept" "$(jq -r ".tokens[] | select(.id==$TID) | .label" "$T/.out")" 上传脚本
is "  valid" "$(jq -r ".tokens[] | select(.id==$TID) | .state" "$T/.out")" valid
ok "token revoke" xy token revoke "$TID"
fails "  twice is an error" 1 xy token revoke "$TID"
fails "revoke an unknown token" 1 xy token revoke 9999
ok "token list after revoke" xy token list --format json
is "  revoked" "$(jq -r ".tokens[] | select(.id==$TID) | .state" "$T/.out")" revoked

# --- all of it audited as the CLI's account
ok "audit show of the CLI's changes" xy audit show --who "$ME" --format json
is "  user.add ×3, passwd, disable (once), token.create ×2, revoke" \
	"$(jq -r '[.entries[].action] | join(",")' "$T/.out")" \
	"user.add,user.add,user.add,user.passwd,user.disable,token.create,token.create,token.revoke"
ok "audit verify" xy audit verify
