# Fixtures of the role matrix's portal rows (tests/http/matrix.tsv, "# portal"):
#   portal_asset  an asset of web/assets/ (the pages' shared script)
portal_asset=common.js
