#!/bin/sh
# Regenerates the JSON fixtures in this directory (names and codes are made up).
set -eu
cd "$(dirname "$0")"
O1='{"CF_XDR_MC":"营口市鑫源商贸有限公司","CF_XDR_SHXYM":"91210800MA0XY0001A","CF_WSH":"营市监罚〔2019〕12号","CF_FK":5000,"CF_SFGS":true}'
O2='{"CF_XDR_MC":"盖州市禾丰农资经营部","CF_XDR_SHXYM":"92210881MA0XY0002B","CF_WSH":"盖市监罚〔2020〕7号","CF_FK":1.50,"CF_SFGS":false}'
O3='{"CF_XDR_MC":"鲅鱼圈区㐀𠀀餐饮店","CF_XDR_SHXYM":null,"CF_WSH":"鲅市监罚〔2021〕3号","CF_FK":123456789012345678901234,"CF_SFGS":null}'

printf '[\n  %s,\n  %s,\n  %s\n]\n' "$O1" "$O2" "$O3" >normal.json
printf '\357\273\277[%s]' "$O1" >bom.json
printf '[]\n' >empty-array.json
# element 2 brings a new key (CF_BZ), element 3 leaves out CF_FK; strings with escapes
printf '[%s,\n{"CF_XDR_MC":"盖州\\"禾丰\\"\\u519c资,经营部","CF_BZ":"备注\\n第二行","CF_WSH":"盖市监罚〔2020〕7号"},\n{"CF_XDR_MC":"鲅鱼圈区[}餐饮店","CF_WSH":"x"}]\n' "$O1" >new-key.json
printf '[%s,\n{"CF_XDR_MC":"嵌套公司","CF_WSH":{"nian":2020,"hao":7}},\n%s]\n' "$O1" "$O2" >nested.json
printf '[%s,\n{"CF_XDR_MC":"截断公司","CF_WS' "$O1" >truncated.json
printf '%s\n' "$O1" >not-array.json
printf '[%s] xyz\n' "$O1" >garbage.json
printf '[%s, 42, "字符串", [1,2], %s]\n' "$O1" "$O2" >not-object.json
printf '[%s,\n{"CF_XDR_MC":"坏\377编码"},\n%s]\n' "$O1" "$O2" >bad-utf8.json
printf '[%s,\n{"CF_XDR_MC":"重复","CF_XDR_MC":"键"},\n{"CF_XDR_MC":"数字","CF_FK":01},\n{"CF_XDR_MC":"空\\u0000字节"},\n{},\n%s]\n' "$O1" "$O2" >bad-elements.json
# envelopes as city platforms' APIs return them (other members are skipped)
printf '{\n  "total": 2,\n  "code": 0,\n  "rows": [\n    %s,\n    %s\n  ],\n  "msg": "ok"\n}\n' "$O1" "$O2" >envelope-rows.json
printf '{"code":200,"msg":"成功","data":{"total":2,"page":1,"list":[%s,%s],"pageSize":20},"ts":[1,{"x":"]"}]}\n' "$O1" "$O2" >envelope-nested.json
printf '{"success":true,"result":{"records":[%s]}}' "$O1" >envelope-result.json
# a multi-line object with no array under a known key: refused
printf '{\n  "total": 2,\n  "payload": [%s]\n}\n' "$O1" >envelope-none.json
# NDJSON: a blank line (line 2), an unfinished object (line 4), a final line without newline
printf '%s\n\n%s\n{"CF_XDR_MC":"坏行",\n%s' "$O1" "$O2" "$O3" >ndjson.json
