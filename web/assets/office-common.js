// What the office's pages (信用办: office.html, office-reports.html,
// grades.html, office-inspect.html, office-admin.html) share: the role gate
// with the office's tabs, and a form's field errors from the API's error.field.
import { ApiError, el, fieldError, fill, pageError } from './common.js';
import { requireRole } from './session.js';

const TABS = [['office.html', '工作台'], ['office-reports.html', '统计与通报'],
	['grades.html', '信用分级'], ['office-inspect.html', '双随机抽查'], ['office-admin.html', '系统管理']];

/** The gate of an office page (admin and auditor): the session, or null
 * (sent to the login, or 无权访问 shown).  Draws the tabs above the page. */
export async function officePage() {
	const s = await requireRole('admin', 'auditor');
	if (!s) return null;
	const here = location.pathname.replace(/^\//, '');
	document.getElementById('office-tabs').replaceWith(el('nav', { 'aria-label': '信用办导航' },
		el('ul', { class: 'tabs' }, TABS.map(([href, text]) => el('li', {},
			el('a', { href, 'aria-current': href === here ? 'page' : null }, text))))));
	return s;
}

/**
 * A form's submit: run(values) with the form's named values; errors go next
 * to the field the API names (fields: {api field: input id}) or in the
 * form's box (boxId).  Each listed input is cleared first.  check(values)
 * may return {id: message} to refuse before sending.
 */
export function onSubmit(form, boxId, fields, run, check = () => ({})) {
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const v = Object.fromEntries(new FormData(form).entries());
		for (const id of Object.values(fields)) fieldError(id, '');
		pageError(boxId, '');
		const bad = check(v);
		const ids = Object.keys(bad);
		if (ids.length) {
			for (const id of ids.reverse()) fieldError(id, bad[id]);
			return;
		}
		const button = form.querySelector('button[type="submit"]');
		if (button) button.disabled = true;
		try {
			await run(v);
		} catch (e) {
			const input = e instanceof ApiError && e.field && fields[e.field];
			if (input) fieldError(input, e.message);
			else pageError(boxId, e instanceof ApiError ? e.message : '页面出错，请刷新重试');
		} finally {
			if (button) button.disabled = false;
		}
	});
}

/** Required fields: {id: message} for each id whose value (in v by name) is empty. */
export function required(v, names) {
	const out = {};
	for (const [name, [id, label]] of Object.entries(names))
		if (!String(v[name] ?? '').trim()) out[id] = `请填写${label}`;
	return out;
}

/** A short success line in element id. */
export const done = (id, msg) => fill(id, el('span', { role: 'status' }, msg));
/**
 * Announces msg at id once refresh() has shown again the lists the action changed, so what
 * is announced is already on the page (and a test or a screen-reader user that follows the
 * announcement finds it there).  Announced even when the refresh fails: the action itself was
 * done; the refresh's failure then goes on to the form's error.
 */
export async function doneAfter(id, msg, refresh) {
	try {
		await refresh();
	} finally {
		done(id, msg);
	}
}

/** This month as YYYY-MM (the server's clock decides the data; this only fills a form). */
export function thisMonth() {
	const d = new Date();
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** A percentage of a 0..1 ratio, or 一 when there is none. */
export const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
