/* xinyong: source units (信源单位) the office adds and renames — `xinyong
 * registry units add|rename`, POST /api/v1/units, PATCH /api/v1/units/{name}.
 *
 * A unit is known by its name everywhere (imports' --unit, mappings,
 * tables.tsv, users), so a rename keeps the old name as a former name that
 * still finds the unit (xy_registry_unit), for files and configuration
 * written before it.  Each change is audited ("unit.add", "unit.rename" of
 * "unit:NAME", by who; NULL: "library") in the transaction that makes it;
 * afterwards reg is reloaded from the store.
 */
#ifndef XINYONG_UNITS_H
#define XINYONG_UNITS_H

#include <jansson.h>

#include "error.h"
#include "registry.h"
#include "store.h"

/* Add unit name (1-64 characters, no control characters or '/', blanks at
 * the ends trimmed) of kind — department, county, park or their Chinese
 * 部门, 区县 (县（市）区, 县区), 园区 — with division, the GB/T 2260 code of
 * its county-level division (6 digits; NULL or "" for none; required for a
 * county, and no two units share one).  It comes after every unit in the
 * bulletin's order.  Errors name the field (name, kind, division):
 * XY_ERR_ARG for a malformed value, XY_ERR_CONFLICT for a name or division
 * taken.  *id (may be NULL): the new unit's. */
xy_code xy_unit_add(xy_store *s, xy_registry *reg, const char *who, const char *name,
		    const char *kind, const char *division, int64_t *id, xy_error *err);

/* Rename unit (its name or a former name) to name (checked as for add).
 * XY_ERR_NOTFOUND naming "unit" for an unknown unit; XY_ERR_CONFLICT naming
 * "name" when it is the unit's name already or another unit's (former)
 * name.  *id (may be NULL): the unit's. */
xy_code xy_unit_rename(xy_store *s, xy_registry *reg, const char *who, const char *unit,
		       const char *name, int64_t *id, xy_error *err);

/* A unit as the units list (xy_view_units) shows it: {"id","name","kind",
 * "division","sort","former_names":[…]}; a new value, NULL when out of
 * memory (or u is NULL). */
json_t *xy_unit_json(const xy_unit *u);

#endif
