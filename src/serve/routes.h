/* xinyong serve: the handlers of the route table (routes.c), by audience.
 * Private to src/serve/. */
#ifndef XINYONG_SERVE_ROUTES_H
#define XINYONG_SERVE_ROUTES_H

#include "serve.h"

/* health (routes.c) */
void h_healthz(srv_req *r);
void h_readyz(srv_req *r);
void h_metrics(srv_req *r);

/* the public site's pages and assets (static.c) */
void h_static(srv_req *r);

/* sessions (routes_session.c) */
void h_login(srv_req *r);
void h_logout(srv_req *r);
void h_session(srv_req *r);

/* public (routes_public.c) */
void h_subjects(srv_req *r);
void h_subject(srv_req *r);
void h_list(srv_req *r);
void h_list_types(srv_req *r);
void h_licensing(srv_req *r);
void h_penalties(srv_req *r);
void h_memoranda(srv_req *r);
void h_memorandum(srv_req *r);
/* the public credit report (信用报告) and its verification (routes_public.c) */
void h_subject_report(srv_req *r);
void h_report_verify(srv_req *r);
void h_report_verify_pdf(srv_req *r);
/* applications: online 信用修复 / 异议 (routes_public.c) */
void h_application_submit(srv_req *r);
void h_application_status(srv_req *r);

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
void h_case_attachment(srv_req *r);
void h_commitments(srv_req *r);
void h_commitment(srv_req *r);
void h_commitment_add(srv_req *r);
void h_commitment_check(srv_req *r);
void h_watches(srv_req *r);
void h_watch_add(srv_req *r);
void h_watch_remove(srv_req *r);
void h_notices(srv_req *r);
void h_notice_read(srv_req *r);
void h_notices_read_all(srv_req *r);

/* office (routes_office.c) */
void h_units(srv_req *r);
void h_unit_add(srv_req *r);
void h_unit_rename(srv_req *r);
void h_categories(srv_req *r);
void h_category(srv_req *r);
void h_mappings(srv_req *r);
void h_mapping_put(srv_req *r);
void h_mapping_delete(srv_req *r);
void h_users(srv_req *r);
void h_user_add(srv_req *r);
void h_user_patch(srv_req *r);
void h_user_passwd(srv_req *r);
void h_tokens(srv_req *r);
void h_token_create(srv_req *r);
void h_token_revoke(srv_req *r);
void h_memorandum_load(srv_req *r);
void h_entries(srv_req *r);
void h_entry_add(srv_req *r);
void h_entry_exit(srv_req *r);
void h_audit(srv_req *r);
void h_audit_verify(srv_req *r);
void h_grades(srv_req *r);
void h_grade_runs(srv_req *r);
void h_grade_counts(srv_req *r);
void h_subject_grade(srv_req *r);
void h_grade_publication(srv_req *r);
void h_grade_publication_put(srv_req *r);
void h_subject_grades(srv_req *r);
void h_inspect_plan_add(srv_req *r);
void h_inspect_plans(srv_req *r);
void h_inspect_plan(srv_req *r);
void h_inspect_draw(srv_req *r);
void h_inspect_result(srv_req *r);
void h_inspect_draws(srv_req *r);
void h_inspect_draw_show(srv_req *r);
void h_inspect_verify(srv_req *r);

/* office reports (routes_reports.c); the city index is public */
void h_stats(srv_req *r);
void h_quality(srv_req *r);
void h_reconcile(srv_req *r);
void h_bulletin_create(srv_req *r);
void h_bulletin_get(srv_req *r);
void h_index(srv_req *r);
void h_index_chart(srv_req *r);
void h_index_put(srv_req *r);

#endif
