#!/bin/sh
# The role matrix: every row of tests/http/matrix.tsv sent as each of the five
# roles (anonymous, unit sj, unit sc, admin, auditor), its status checked; a
# route of `xinyong serve --routes` without a row, or a row that names no
# route, fails.  Every answer is checked against docs/openapi.yaml's
# description of that operation and status (tests/http/oapi-check.py).
# Fixtures: each tests/http/matrix.d/*.sh, sourced with the server running.
. "$(dirname "$0")/lib.sh"
HTTP="$ROOT/tests/http"
MATRIX=${MATRIX:-$HTTP/matrix.tsv}

# match_rows ROUTES TSV: for each row of TSV (line number N), "N<TAB>METHOD
# PATTERN" of the route it names (the first of the table that matches, as the
# server dispatches; a {var} of the row only fills a {param}), or "N<TAB>-";
# then "route<TAB>METHOD PATTERN" for each route without a row.
match_rows() {
	awk -F'\t' '
	FNR == NR { split($0, w, " +"); rm[++nr] = w[1]; rp[nr] = w[2]; next }
	/^#/ || /^[ \t]*$/ { next }
	{
		path = $2; sub(/\?.*/, "", path)
		n = split(path, s, "/"); hit = "-"
		for (i = 1; i <= nr && hit == "-"; i++) {
			if (rm[i] != $1 || split(rp[i], t, "/") != n) continue
			ok = 1
			for (k = 1; k <= n && ok; k++)
				if (t[k] ~ /^\{.*\}$/) ok = s[k] != ""
				else ok = s[k] == t[k]
			if (ok) { hit = rm[i] " " rp[i]; used[i] = 1 }
		}
		printf "%d\t%s\n", FNR, hit
	}
	END { for (i = 1; i <= nr; i++) if (!used[i]) printf "route\t%s %s\n", rm[i], rp[i] }
	' "$1" "$2"
}

# subst TEXT ENCODE: TEXT with each {var} (a shell variable's name) replaced by
# its value, URL-encoded when ENCODE is 1; a variable no fixture set fails.
subst() {
	s=$1
	while :; do
		v=$(printf '%s' "$s" | sed -n 's/.*{\([A-Za-z_][A-Za-z0-9_]*\)}.*/\1/p')
		[ -n "$v" ] || break
		eval "set_=\${$v+x} val=\${$v-}"
		if [ -z "$set_" ]; then
			echo "no fixture set \$$v" >"$T/subst.err"
			return 1
		fi
		[ "$2" = 1 ] && val=$(jq -rn --arg v "$val" '$v | @uri')
		while case $s in *"{$v}"*) true ;; *) false ;; esac; do
			s="${s%%"{$v}"*}$val${s#*"{$v}"}"
		done
	done
	printf '%s' "$s"
}

xy init >/dev/null
"$XINYONG" serve --routes | awk '{ print $1, $2 }' >"$T/routes"

# -- the coverage check, first shown able to fail
printf 'GET\t/api/v1/no-such-route\t-\t200\t200\t200\t200\t200\nGET\t/healthz\t-\t200\t200\t200\t200\t200\n' >"$T/bad.tsv"
match_rows "$T/routes" "$T/bad.tsv" >"$T/bad.match"
is "a row naming no route is seen" "$(grep -c '^1	-$' "$T/bad.match")" 1
like "a route without a row is seen" "$(cat "$T/bad.match")" 'route	GET /api/v1/batches/\{id\}/errors'
printf 'GET\t/api/v1/batches/{x}/errors\t-\t200\t200\t200\t200\t200\n' >"$T/var.tsv"
is "a {var} row names its route" "$(match_rows "$T/routes" "$T/var.tsv" | head -1)" \
	"1	GET /api/v1/batches/{id}/errors"

match_rows "$T/routes" "$MATRIX" >"$T/match"
is "every row of matrix.tsv names a served route" \
	"$(awk -F'\t' '$1 != "route" && $2 == "-" { printf "line %s ", $1 }' "$T/match")" ""
is "every served route has a row in matrix.tsv" \
	"$(awk -F'\t' '$1 == "route" { printf "%s; ", $2 }' "$T/match")" ""

# -- the walk
start_server --rate 0
for f in "$HTTP"/matrix.d/*.sh; do
	. "$f"
done
token() { # a role's column number: its Authorization header (none for 1)
	case $1 in 2) echo "$UNIT_SJ" ;; 3) echo "$UNIT_SC" ;; 4) echo "$ADMIN" ;; 5) echo "$AUDIT" ;; esac
}
ROLES="anonymous unit_sj unit_sc admin auditor"
# Every cell is queued (cells_add), then sent by one curl (cells_run: one after the other
# in the rows' order, as they were sent one curl each before).  $T/walk.tsv says what to
# check, one line each:
#   F ROW MESSAGE        a row refused before sending: not ok
#   C N ROLE WANT        cell N (its answer: line N of $T/cells.tsv)
#   R ROW                the row's end: ok, or not ok naming its cells
: >"$T/walk.tsv"
n=0
while IFS='	' read -r m p b c1 c2 c3 c4 c5 extra; do
	n=$((n + 1))
	case $m in '#'* | '') continue ;; esac
	row="line $n: $m $p"
	if [ -z "$c5" ] || [ -n "$extra" ]; then
		printf 'F\t%s: not 8 tab-separated fields\n' "$row" >>"$T/walk.tsv"
		continue
	fi
	if ! url=$(subst "$p" 1) || ! data=$(subst "$b" 0); then
		printf 'F\t%s: %s\n' "$row" "$(cat "$T/subst.err")" >>"$T/walk.tsv"
		continue
	fi
	i=1
	for want in $c1 $c2 $c3 $c4 $c5; do
		role=$(echo $ROLES | cut -d' ' -f$i)
		set -- "H:X-Matrix-Role: $role"
		[ $i -gt 1 ] && set -- "$@" "H:$(token $i)"
		case $data in
		-) ;;
		@*)
			f=${data#@}
			case $f in /*) ;; *) f="$ROOT/tests/$f" ;; esac
			ct=application/octet-stream
			case $f in *.json) ct=application/json ;; esac
			set -- "$@" "H:Content-Type: $ct" "D:@$f"
			;;
		*) set -- "$@" 'H:Content-Type: application/json' "D:$data" ;;
		esac
		i=$((i + 1))
		[ "$want" = - ] && continue
		cells_add "$m" "$url" "$@"
		printf 'C\t%s\t%s\t%s\n' $CELL "$role" "$want" >>"$T/walk.tsv"
	done
	printf 'R\t%s\n' "$row" >>"$T/walk.tsv"
done <"$MATRIX"
cells=$CELL
cells_run
# the checks, in the rows' order; the API's answers to $T/matrix.tsv for oapi-check.py
# (the document describes the API; the site's pages and assets are t0190's)
awk -F'\t' '$3 ~ /^\/api\// || $3 ~ /^\/(healthz|readyz|metrics)$/' "$T/cells.tsv" | cut -f2- >"$T/matrix.tsv"
awk -F'\t' '
FILENAME == ARGV[1] { st[$1] = $4; body[$1] = $6; next }
$1 == "F" { print "not ok - " $2; next }
$1 == "R" {
	if (bad == "") print "ok - " $2
	else { print "not ok - " $2; print "#   " bad }
	bad = ""
	next
}
{
	s = st[$2]
	want = $4
	if (want ~ /^[1-5]xx$/ ? substr(s, 1, 1) == substr(want, 1, 1) && length(s) == 3 : s == want) next
	b = ""
	while (length(b) < 160 && (getline l < body[$2]) > 0) b = b l " "
	close(body[$2])
	bad = bad " " $3 ": expected " want ", got " s " " substr(b, 1, 160) ";"
}' "$T/cells.tsv" "$T/walk.tsv"
like "the matrix sent its cells" "$cells" '^[1-9][0-9]+$'

# -- every answer against docs/openapi.yaml
/usr/bin/python3 "$HTTP/oapi-check.py" "$ROOT/docs/openapi.yaml" "$T/matrix.tsv" >"$T/oapi.out" 2>&1
is "all $cells answers match docs/openapi.yaml (operation, status, content type, schema)" \
	"$(cat "$T/oapi.out")" ""
req GET /readyz
is "the server still answers after the matrix" "$ST" 200
stop_server
is "stops with 0" "$SRV_RC" 0
