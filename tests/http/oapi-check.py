#!/usr/bin/python3
"""Validate saved HTTP responses against docs/openapi.yaml.

    oapi-check.py OPENAPI LIST [--known-only]
    oapi-check.py OPENAPI --inputs

--inputs prints what each operation takes from a client, one a line:
"METHOD PATH query NAME" for a query argument and "METHOD PATH json NAME" for
a string field of its JSON request body (the hostile-client tests fill each
with hostile values).

LIST has one response a line, tab-separated:

    METHOD  PATH  STATUS  CONTENT-TYPE  BODY-FILE

PATH is the path as requested (a query string is ignored; percent-decoded
as the server does, a decoded NUL ending it); it is matched
against the document's path templates ({name} is one segment; a literal
segment wins over a template, as in the server's table).  For each response
the operation's description of that status is looked up (then the
document's `x-server-responses`: statuses any route may answer, such as 401
for bad credentials or 429); its content type must be one the description
names, and a JSON body must validate against that content's schema (JSON
Schema 2020-12, as OpenAPI 3.1 says, with `format` asserted; $ref resolved
within the document).

Prints one line per problem, naming the route, the status and the schema
path, and exits 1 when there is any; 0 and nothing printed otherwise.
--known-only skips responses to paths or methods the document does not have
(the HTTP suites probe unknown paths on purpose; t0010 and the role matrix
check that the document and the served routes are the same set).
"""
import json
import sys
import urllib.parse

import jsonschema
import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def pointer(parts):
    """A JSON pointer (RFC 6901) from path parts."""
    out = ""
    for p in parts:
        out += "/" + str(p).replace("~", "~0").replace("/", "~1")
    return "#" + out


def match_path(doc_paths, path):
    """The template of doc_paths that path matches, or None; literal
    segments count more than templates."""
    segs = path.split("/")
    best, best_score = None, -1
    for tmpl in doc_paths:
        t = tmpl.split("/")
        if len(t) != len(segs):
            continue
        score = 0
        for a, b in zip(t, segs):
            if a.startswith("{") and a.endswith("}"):
                if b == "":
                    break
            elif a == b:
                score += 1
            else:
                break
        else:
            if score > best_score:
                best, best_score = tmpl, score
    return best


def media(ctype):
    return ctype.split(";")[0].strip().lower()


def check(doc, validator_for, method, path, status, ctype, body_file, known_only):
    """A list of problems (strings) of one response."""
    paths = doc.get("paths", {})
    # as the server sees it: percent-decoded (an encoded / splits segments),
    # and a C string (a decoded NUL ends it)
    path = urllib.parse.unquote(path.split("?", 1)[0], errors="surrogateescape").split("\0")[0]
    tmpl = match_path(paths, path)
    m = method.lower()
    if tmpl is None:
        return [] if known_only else ["%s %s %s: no path of the document matches" % (method, path, status)]
    op = paths[tmpl].get(m)
    if op is None:
        return [] if known_only else ["%s %s %s: the document has no %s here" % (method, tmpl, status, method)]
    where = "%s %s %s" % (method, tmpl, status)
    resp, base = None, None
    for key in (status, status[0] + "XX", "default"):
        if key in op.get("responses", {}):
            resp, base = op["responses"][key], ["paths", tmpl, m, "responses", key]
            break
    if resp is None and status in doc.get("x-server-responses", {}):
        resp, base = doc["x-server-responses"][status], ["x-server-responses", status]
    if resp is None:
        return ["%s: status not described (%s)" % (where, pointer(["paths", tmpl, m, "responses"]))]
    while "$ref" in resp:  # a components/responses reference
        ref = resp["$ref"]
        base = ref[2:].split("/")
        resp = doc
        for part in base:
            resp = resp[part.replace("~1", "/").replace("~0", "~")]
    content = resp.get("content")
    with open(body_file, "rb") as f:
        body = f.read()
    if not content:
        if body:
            return ["%s: a body (%d bytes) where %s describes none" % (where, len(body), pointer(base))]
        return []
    mt = media(ctype)
    if mt not in content:  # media ranges, as OpenAPI allows: type/*, then */*
        mt = next((r for r in (mt.split("/")[0] + "/*", "*/*") if r in content), None)
    if mt is None:
        return ["%s: content type %r not among %s of %s" % (where, ctype, sorted(content), pointer(base))]
    schema = content[mt].get("schema")
    if schema is None or not (mt == "application/json" or mt.endswith("+json")):
        return []
    spath = base + ["content", mt, "schema"]
    try:
        value = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        return ["%s: the body is not JSON (%s)" % (where, e)]
    problems = []
    for err in sorted(validator_for(schema).iter_errors(value), key=lambda e: list(e.path)):
        at = "$" + "".join("[%d]" % p if isinstance(p, int) else ".%s" % p for p in err.path)
        problems.append("%s: %s at %s (schema %s)" % (
            where, err.message[:300], at, pointer(spath + list(err.relative_schema_path))))
    return problems


def dangling_refs(doc):
    """Each $ref of the document that does not resolve within it."""
    bad = []

    def walk(v):
        if isinstance(v, dict):
            ref = v.get("$ref")
            if isinstance(ref, str):
                node = doc
                for part in ref[2:].split("/") if ref.startswith("#/") else [None]:
                    key = part.replace("~1", "/").replace("~0", "~") if part else None
                    if not isinstance(node, dict) or key not in node:
                        bad.append("a $ref that resolves to nothing: %s" % ref)
                        break
                    node = node[key]
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(doc)
    return bad


def inputs(doc):
    """(method, path, where, name) of each query argument and JSON string field."""
    def deref(v):
        while isinstance(v, dict) and "$ref" in v:
            node = doc
            for part in v["$ref"][2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            v = node
        return v
    for path, item in doc.get("paths", {}).items():
        for m in METHODS:
            op = item.get(m)
            if not op:
                continue
            for prm in op.get("parameters", []):
                prm = deref(prm)
                if prm.get("in") == "query":
                    yield m.upper(), path, "query", prm["name"]
            body = deref(op.get("requestBody", {})).get("content", {}).get("application/json")
            if body:
                for name, sch in deref(body.get("schema", {})).get("properties", {}).items():
                    if "string" in str(deref(sch).get("type", "")):
                        yield m.upper(), path, "json", name


LOADED = {}


def load(path):
    """The document at path, a validator maker for its schemas and its dangling
    $refs, read once per process (a caller may call main many times:
    tests/http/t0071-oapi-check.sh runs its cases in one process)."""
    if path not in LOADED:
        with open(path, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        resolver = jsonschema.RefResolver(base_uri="", referrer=doc)
        cls = jsonschema.Draft202012Validator
        cls.check_schema({"$defs": doc.get("components", {}).get("schemas", {})})

        def validator_for(schema):
            return cls(schema, resolver=resolver, format_checker=cls.FORMAT_CHECKER)

        LOADED[path] = (doc, validator_for, list(dangling_refs(doc)))
    return LOADED[path]


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    known_only = "--known-only" in argv
    if "--inputs" in argv and len(args) == 1:
        with open(args[0], encoding="utf-8") as f:
            for i in inputs(yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))):
                print(" ".join(i))
        return 0
    if len(args) != 2:
        sys.stderr.write("usage: oapi-check.py OPENAPI LIST [--known-only]\n")
        return 2
    doc, validator_for, dangling = load(args[0])
    bad = 0
    for p in dangling:
        print(p)
        bad += 1
    with open(args[1], encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            parts = line.split("\t")
            if len(parts) != 5:
                print("%s:%d: not 5 tab-separated fields" % (args[1], n))
                bad += 1
                continue
            for p in check(doc, validator_for, *parts, known_only):
                print(p)
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
