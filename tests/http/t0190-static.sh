#!/bin/sh
# The public site's files (src/serve/static.c, docs/portal.md): pages and
# assets of --web DIR from memory, content types, ETag/304, Cache-Control,
# HEAD, the pages' CSP; nothing outside DIR (.., %2f, %00, dotfiles, symlinks
# out, other directories); a file over the limit refuses the start; every
# page route has its file and every page its route; web/assets/fields.js is
# what scripts/web-fields.sh makes of data/fields.tsv.
. "$(dirname "$0")/lib.sh"
WEB="$ROOT/web"

# -- the route table and web/ agree
"$XINYONG" serve --routes | awk '$1 == "GET" && $2 ~ /\.html$/ { print substr($2, 2) }' | sort >"$T/routed"
(cd "$WEB" && ls ./*.html | sed 's|^\./||' | sort) >"$T/pages"
is "every page of web/ has a route and every page route a file" "$(diff "$T/routed" "$T/pages" && echo same)" same
like "/ and /assets/{file} are routes" "$("$XINYONG" serve --routes | awk '{ print $1, $2 }')" 'GET /assets/\{file\}'
is "web/assets/fields.js is current (scripts/web-fields.sh)" \
	"$(sh "$ROOT/scripts/web-fields.sh" "$ROOT/data/fields.tsv" | diff - "$WEB/assets/fields.js" && echo same)" same
is "no inline script or style, no inline handlers in the pages" \
	"$(grep -lE '<script>|<script [^>]*>[^<]|<style|style=| on[a-z]+=' "$WEB"/*.html)" ""
is "the pages fetch nothing from elsewhere" "$(grep -lE '(src|href)="(https?:)?//' "$WEB"/*.html)" ""
is "the scripts set no HTML from strings" "$(grep -lE 'innerHTML|outerHTML|insertAdjacentHTML|document\.write' "$WEB"/assets/*.js)" ""

xy init >/dev/null
start_server

# -- pages and assets
req GET /
is "/ 200" "$ST" 200
is "/ is the home page" "$(cmp -s "$T/body" "$WEB/index.html" && echo same)" same
is "html type" "$(header Content-Type)" "text/html; charset=utf-8"
like "the pages' CSP: scripts and styles from the server only" "$(header Content-Security-Policy)" \
	"^default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'"
like "... frames and base refused" "$(header Content-Security-Policy)" "frame-ancestors 'none'; base-uri 'none'"
is "nosniff stays" "$(header X-Content-Type-Options)" nosniff
is "X-Frame-Options stays" "$(header X-Frame-Options)" DENY
is "revalidated each time" "$(header Cache-Control)" no-cache
ETAG=$(header ETag)
like "a strong ETag" "$ETAG" '^"[0-9a-f]{32}"$'
req GET /index.html
is "/index.html is the same file" "$(header ETag)" "$ETAG"
for f in common.js site.css favicon.svg fields.js; do
	req GET "/assets/$f"
	is "/assets/$f 200" "$ST" 200
	is "/assets/$f whole" "$(cmp -s "$T/body" "$WEB/assets/$f" && echo same)" same
done
req GET /assets/common.js
is "js type" "$(header Content-Type)" "text/javascript; charset=utf-8"
req GET /assets/site.css
is "css type" "$(header Content-Type)" "text/css; charset=utf-8"
CSS_ETAG=$(header ETag)
req GET /assets/favicon.svg
is "svg type" "$(header Content-Type)" "image/svg+xml"

# -- ETag, 304, HEAD
: >"$T/body" # (curl writes no file for an empty body)
req GET /assets/site.css -H "If-None-Match: $CSS_ETAG"
is "If-None-Match with the ETag: 304" "$ST" 304
is "304 has no body" "$(wc -c <"$T/body")" 0
is "304 repeats the ETag" "$(header ETag)" "$CSS_ETAG"
req GET /assets/site.css -H "If-None-Match: \"x\", W/$CSS_ETAG"
is "a list holding the weak form: 304" "$ST" 304
req GET /assets/site.css -H 'If-None-Match: "0123456789abcdef0123456789abcdef"'
is "another ETag: 200" "$ST" 200
: >"$T/body"
req HEAD /search.html
is "HEAD 200" "$ST" 200
# no body after a HEAD's headers: a GET on the same keep-alive connection
# right after it must read as its own, whole answer (a body sent after the
# HEAD would be taken for the GET's response)
conns=$(curl -s --max-time 10 --head -o /dev/null "$BASE/search.html" --next -s --max-time 10 \
	-o "$T/after-head" -w '%{num_connects}' "$BASE/assets/site.css")
is "HEAD: the GET after it reused the connection" "$conns" 0
is "HEAD: no body (the next answer on the connection is whole)" \
	"$(cmp -s "$T/after-head" "$WEB/assets/site.css" && echo same)" same
is "HEAD: the length of the GET" "$(header Content-Length)" "$(wc -c <"$WEB/search.html" | tr -d ' ')"
req HEAD /api/v1/index
is "HEAD on an API route too" "$ST" 200
req POST /index.html -H 'Content-Type: application/json' -d '{}'
is "POST to a page: 405" "$ST" 405
is "... Allow: GET" "$(header Allow)" GET

# -- nothing outside the table
for p in /assets/.. /assets/. /assets/..%2f..%2fetc%2fpasswd /assets/%2e%2e%2fcommon.js \
	/assets/..%5c..%5cetc%5cpasswd /assets/%2fetc%2fpasswd /assets/.gitignore /.git/config \
	/assets/fields.js/ /assets//common.js /assets/common.js%20 /web/index.html /index.html/.. \
	/assets/COMMON.JS /assets/common.js.map /../../etc/passwd /%2e%2e/etc/passwd /nowhere.html; do
	req GET "$p" --path-as-is
	case $ST in 400 | 404) pass "$p refused ($ST)" ;; *) fail "$p refused" "got $ST" ;; esac
	like "... with the error object" "$(jq -r .error.code "$T/body" 2>&1)" '^(not_found|invalid_parameter)$'
done
req GET /assets/a%00b --path-as-is
is "a NUL in an asset name: 400" "$ST" 400
req GET "/assets/%c0%ae%c0%ae" --path-as-is
is "overlong UTF-8 dots: 400" "$ST" 400
req GET /assets/common.js -H 'Content-Type: application/json' -d '{}'
is "a body on GET: 400" "$ST" 400
stop_server
is "stops with 0" "$SRV_RC" 0

# -- a site with a dotfile, a symlink out, a subdirectory, a file of unknown type
mkdir -p "$T/site/assets/sub" "$T/outside"
echo '<!doctype html><title>t</title>' >"$T/site/index.html"
echo 'secret' >"$T/outside/secret.js"
echo 'x' >"$T/site/assets/sub/deep.js"
echo 'x' >"$T/site/assets/.hidden.js"
echo 'x' >"$T/site/assets/notes.bak"
echo 'x' >"$T/site/search.html.orig"
ln -s "$T/outside/secret.js" "$T/site/assets/link.js"
ln -s "$T/outside" "$T/site/assets/out"
ln -s "$T/outside/secret.js" "$T/site/subject.html"
start_server --web "$T/site"
like "the error log counts what was loaded" "$(cat "$T/error.log")" '--web: 1 files, 32 bytes'
like "... and names what has no type" "$(cat "$T/error.log")" 'notes.bak not served'
for p in /assets/link.js /assets/out/secret.js /assets/.hidden.js /assets/sub/deep.js \
	/assets/notes.bak /subject.html /search.html.orig; do
	req GET "$p"
	is "$p is not served" "$ST" 404
done
req GET /search.html
is "a page without its file: 404" "$ST" 404
req GET /
is "its own index" "$(body)" '<!doctype html><title>t</title>'
stop_server

# -- limits and a missing directory refuse the start
head -c 5000000 /dev/zero >"$T/site/assets/big.js"
fails "a file over 4 MiB refuses the start" 1 "$XINYONG" serve --listen 127.0.0.1:0 --web "$T/site" \
	--spool "$T/spool" --access-log none
like "... naming the file and the limit" "$(cat "$T/.err")" 'big.js is 5000000 bytes; a file may have 4194304'
fails "a missing --web directory refuses the start" 1 "$XINYONG" serve --listen 127.0.0.1:0 \
	--web "$T/nowhere" --spool "$T/spool" --access-log none
like "... saying so" "$(cat "$T/.err")" 'cannot open the directory'

# -- --web none: the API only
start_server --web none
req GET /
is "--web none: / is 404" "$ST" 404
req GET /readyz
is "the server still answers" "$ST" 200
stop_server
is "stops with 0" "$SRV_RC" 0
