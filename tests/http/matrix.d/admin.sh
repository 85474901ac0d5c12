# Fixture of the office administration rows of matrix.tsv (# admin): a user
# to disable and re-password, a token to revoke, a list entry to exit, a
# memorandum file to load.  Sourced by the matrix runner after the server and
# the tokens exist; generated names only.
printf 'adm-user-password-1\n' | "$XINYONG" user add adm-user --role auditor >/dev/null 2>&1
adm_user=adm-user
adm_token=$("$XINYONG" token create --role auditor --expires 1d --label matrix-admin --format json |
	jq -r .id)
adm_entry=$("$XINYONG" list add --type 重点关注名单 --subject 91210802MA0XYQA01T \
	--name 营口某建筑工程有限公司 --unit 发改委 --doc 发改关注〔2026〕9号 --from 2026-03-10 \
	--format json | jq -r .entry)
adm_category=行政处罚
export adm_user adm_token adm_entry adm_category
