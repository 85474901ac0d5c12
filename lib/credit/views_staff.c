/* xinyong: the staff pages' views (issue 10, views.h "the staff pages"):
 * who is signed in, as GET /api/v1/session answers it. */
#include <jansson.h>

#include "xinyong/auth.h"
#include "xinyong/views.h"
#include "views_internal.h"

xy_code xy_view_principal(const xy_principal *p, const char *unit, const char *csrf,
			  json_t **out, xy_error *err)
{
	static const xy_view_opts now = { false, NULL };
	char today[11];
	*out = NULL;
	if (xy__view_date(&now, today, err))
		return err->code;
	*out = json_pack("{s:o,s:s,s:s,s:o,s:o,s:s}", "user",
			 xy__opt_str(p->user_id ? p->user : NULL), "role", xy_role_name(p->role),
			 "role_zh", xy_role_name_zh(p->role), "unit", xy__opt_str(unit), "csrf",
			 xy__opt_str(csrf), "today", today);
	return *out ? XY_OK : xy__view_nomem(err);
}
