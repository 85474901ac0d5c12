// What every page of the portal shares: calling the public API, building DOM
// (text nodes only: data is never parsed as markup), errors in Chinese, paging.
import { FIELD_NAMES } from './fields.js';

/** An answer of the API that is not 2xx: status and the error object. */
export class ApiError extends Error {
	constructor(status, error, body) {
		super((error && error.message) || `服务器返回 ${status}`);
		this.status = status;
		this.code = error && error.code;
		this.field = error && error.field;
		this.body = body;
	}
}

/** A request of the public pages (fetch init) to url: the JSON answer, or an
 * ApiError with the API's error object (429 and no connection in Chinese). */
async function request(url, init) {
	let res;
	try {
		res = await fetch(url, { ...init, headers: { Accept: 'application/json' }, credentials: 'omit' });
	} catch {
		throw new ApiError(0, { code: 'network', message: '无法连接服务器，请稍后重试' });
	}
	let body = null;
	try {
		body = await res.json();
	} catch {
		body = null;
	}
	if (!res.ok) {
		const e = body && body.error;
		if (res.status === 429)
			throw new ApiError(429, { code: 'rate_limited', message: '访问过于频繁，请稍后再试' }, body);
		throw new ApiError(res.status, e || { message: `服务器返回 ${res.status}` }, body);
	}
	return body;
}

/** GET /api/v1/PATH with the query params (empty values left out): the JSON. */
export function api(path, params = {}) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params))
		if (v !== undefined && v !== null && v !== '') q.set(k, v);
	return request(`/api/v1/${path}${q.size ? `?${q}` : ''}`, {});
}

/**
 * POST body (a FormData, or a Blob sent as its type) to /api/v1/PATH as the
 * public: without the cookie, so a staff session in this browser neither
 * files the form nor needs its CSRF token (docs/security.md).  The JSON
 * answer, or an ApiError.
 */
export const apiPost = (path, body) => request(`/api/v1/${path}`, { method: 'POST', body });

/** Path segment for a value (a code, a list type, a document number). */
export const seg = (v) => encodeURIComponent(v);

/**
 * el('a', {href: 'x', class: 'y'}, 'text', child…): an element; string
 * children become text nodes; attributes are set with setAttribute.
 */
export function el(tag, attrs = {}, ...children) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null || v === false) continue;
		if (k === 'text') e.textContent = v;
		else e.setAttribute(k, v === true ? '' : String(v));
	}
	for (const c of children.flat()) {
		if (c === undefined || c === null || c === false) continue;
		e.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return e;
}

/** Replace the children of node (an element or its id) with children. */
export function fill(node, ...children) {
	const n = typeof node === 'string' ? document.getElementById(node) : node;
	n.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
	return n;
}

/** A query argument of this page's URL ('' when absent). */
export const arg = (name) => new URLSearchParams(location.search).get(name) || '';

/** Show msg in the page's error box (id), or clear it. */
export function pageError(id, msg) {
	const n = document.getElementById(id);
	n.textContent = msg || '';
	if (msg) n.setAttribute('role', 'alert');
	else n.removeAttribute('role');
}

/** Mark input (id) invalid with msg next to it (its -error element), or valid. */
export function fieldError(id, msg) {
	const input = document.getElementById(id);
	const out = document.getElementById(`${id}-error`);
	out.textContent = msg || '';
	if (msg) {
		input.setAttribute('aria-invalid', 'true');
		input.focus();
	} else {
		input.removeAttribute('aria-invalid');
	}
}

/** An ApiError for the user: its field's input gets it when the page has one. */
export function showApiError(e, boxId, fields = {}) {
	const msg = e instanceof ApiError ? e.message : '页面出错，请刷新重试';
	const input = e instanceof ApiError && e.field && fields[e.field];
	if (input) fieldError(input, msg);
	else pageError(boxId, msg);
}

/** The subject page's address for a code as the API gives it. */
export const subjectHref = (code) => `subject.html?code=${encodeURIComponent(code)}`;

/** A subject's name as a link to its page. */
export const subjectLink = (s) => el('a', { href: subjectHref(s.code) }, s.name || s.code);

/**
 * Whether the public may apply about record r (the subject view's) for kind:
 * an 异议 (objection) about any record 公示中; a 信用修复 (repair) about
 * 失信 information, one with a publication period (docs/repair.md).
 */
export function mayApply(r, kind) {
	if (r.display !== '公示中') return false;
	const p = r.publication || {};
	return kind !== 'repair' || Boolean(p.repairable_from || p.last);
}

/** The Chinese name of a field code (the code itself when unknown). */
export const fieldName = (code) => FIELD_NAMES[code] || code;

/** A record's fields as a definition list (empty values left out). */
export function factsList(data) {
	const dl = el('dl', { class: 'facts' });
	for (const [k, v] of Object.entries(data || {})) {
		if (v === null || v === '' || typeof v === 'object') continue;
		dl.append(el('dt', {}, fieldName(k)), el('dd', {}, String(v)));
	}
	return dl;
}

/** A table (cards on a phone): cols [{label, cell(row) → Node|string}]. */
export function table(caption, cols, rows) {
	const head = el('tr', {}, cols.map((c) => el('th', { scope: 'col' }, c.label)));
	const body = rows.map((r) =>
		el('tr', {}, cols.map((c) => el('td', { 'data-label': c.label }, c.cell(r) ?? ''))));
	return el('div', { class: 'table-box' },
		el('table', { class: 'cards' }, caption ? el('caption', {}, caption) : null,
			el('thead', {}, head), el('tbody', {}, body)));
}

/** Search words the API takes: a 2+ character name, a USCC or a 身份证号. */
export function checkQuery(q) {
	const s = q.trim();
	if (!s) return '请输入名称、统一社会信用代码或身份证号';
	if ([...s].length < 2) return '名称至少输入 2 个字';
	return '';
}

/** Whether q is an identifier (USCC or 身份证号: 18 characters, or 15 digits). */
export const isIdentifier = (q) => /^[0-9A-Z]{18}$|^[0-9]{17}[0-9X]$|^[0-9]{15}$/i.test(q.trim());

/**
 * Keyset paging: pager(id, load) draws 上一页/下一页 in element id; load(after)
 * fetches a page and returns its `next`.  The cursors of the pages seen are
 * kept, so 上一页 goes back without OFFSET.
 */
export function pager(id, load) {
	const box = document.getElementById(id);
	const stack = ['']; // the cursor of each page shown
	let next = null;
	const prev = el('button', { type: 'button', class: 'secondary' }, '上一页');
	const fwd = el('button', { type: 'button', class: 'secondary' }, '下一页');
	const where = el('span', { class: 'status', 'aria-live': 'polite' });
	async function show() {
		prev.disabled = fwd.disabled = true;
		next = await load(stack[stack.length - 1]);
		prev.disabled = stack.length < 2;
		fwd.disabled = !next;
		where.textContent = `第 ${stack.length} 页`;
	}
	prev.addEventListener('click', () => { stack.pop(); show(); });
	fwd.addEventListener('click', () => { if (next) { stack.push(next); show(); } });
	fill(box, prev, where, fwd);
	return { reset() { stack.length = 1; return show(); } };
}

export const SITE_NAME = '信用中国（示例城市）';
const NAV = [['./', '首页'], ['search.html', '信用查询'], ['publicity.html', '双公示'],
	['lists.html', '红黑名单'], ['memoranda.html', '联合奖惩'], ['inspections.html', '双随机、一公开']];
// the public's forms, linked from every page's footer and the home page, and
// the inspections' results (一公开), which anyone can verify
const SERVICES = [['apply.html', '信用修复与异议申请'], ['application.html', '申请进度查询'],
	['verify.html', '信用报告核验'], ['inspections.html', '抽查结果公示']];

/** The header (site name, navigation with this page marked) and the footer:
 * one source for every page, whose HTML holds the empty landmarks. */
function siteChrome() {
	const here = location.pathname.replace(/^\//, '') || 'index.html';
	const page = (href) => (href === './' ? 'index.html' : href);
	const header = document.getElementById('site-header');
	// staff pages (data-staff) get their header from session.js
	if (header.hasAttribute('data-staff')) fill(header, el('div', { class: 'wrap' },
		el('span', { class: 'brand' }, SITE_NAME)));
	else fill(header, el('div', { class: 'wrap' },
		el('a', { class: 'brand', href: './' }, SITE_NAME),
		el('nav', { class: 'site-nav', 'aria-label': '主导航' }, el('ul', {},
			NAV.map(([href, text]) => el('li', {}, el('a', { href,
				'aria-current': page(href) === here ? 'page' : null }, text)))))));
	fill('site-footer', el('div', { class: 'wrap' },
		el('nav', { class: 'footer-nav', 'aria-label': '在线服务' }, el('ul', {},
			SERVICES.map(([href, text]) => el('li', {}, el('a', { href }, text))))),
		el('p', {}, `${SITE_NAME} · 城市社会信用体系建设领导小组办公室（信用办）`),
		el('p', {}, '本站数据均为系统生成的示例数据，不涉及真实单位和个人。身份证号按规定部分隐藏。')));
}
siteChrome();
