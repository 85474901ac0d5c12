/* xinyong serve: the handlers of the route table (routes.c), by audience.
 * Private to src/serve/. */
#ifndef XINYONG_SERVE_ROUTES_H
#define XINYONG_SERVE_ROUTES_H

#include "serve.h"

/* health (routes.c) */
void h_healthz(srv_req *r);
void h_readyz(srv_req *r);
void h_metrics(srv_req *r);

/* sessions (routes_session.c) */
void h_login(srv_req *r);
void h_logout(srv_req *r);

/* public (routes_public.c) */
void h_subjects(srv_req *r);
void h_subject(srv_req *r);
void h_list(srv_req *r);

/* units (routes_unit.c) */
void h_upload(srv_req *r);
void h_batches(srv_req *r);
void h_batch(srv_req *r);
void h_batch_errors(srv_req *r);
void h_checks(srv_req *r);
/* a unit's own work: checks and feedback, cases, commitments, watch, notices */
void h_checks_list(srv_req *r);
void h_check(srv_req *r);
void h_feedback(srv_req *r);
void h_cases(srv_req *r);
void h_case(srv_req *r);
void h_case_step(srv_req *r);
void h_commitments(srv_req *r);
void h_commitment(srv_req *r);
void h_commitment_add(srv_req *r);
void h_commitment_check(srv_req *r);
void h_watches(srv_req *r);
void h_watch_add(srv_req *r);
void h_watch_remove(srv_req *r);
void h_notices(srv_req *r);

/* office (routes_office.c) */

#endif
