// The staff pages' session: log in and out, who is signed in, sending with
// the session cookie and its CSRF token, the role check and the staff header.
// The CSRF token comes with the login (and with GET /api/v1/session, for a
// page opened in a new tab) and is kept in sessionStorage.
import { ApiError, el, fill, SITE_NAME } from './common.js';

const CSRF = 'xy_csrf';
const HOME = { unit: 'unit.html', admin: 'office.html', auditor: 'office.html' };

/** The page a role starts on. */
export const homeOf = (role) => HOME[role] || 'index.html';

/** The error of an answer that is not 2xx (the API's error object when given). */
async function failure(status, read) {
	let body = null;
	try {
		body = await read();
	} catch {
		body = null;
	}
	if (status === 429)
		return new ApiError(429, { code: 'rate_limited', message: '访问过于频繁，请稍后再试' }, body);
	if (status === 403 && body?.error?.code === 'csrf')
		return new ApiError(403, { code: 'csrf', message: '会话已失效，请刷新页面或重新登录' }, body);
	return new ApiError(status, body?.error || { message: `服务器返回 ${status}` }, body);
}

/**
 * send(method, url, body): a request with the session cookie; body is a
 * FormData (multipart), a JSON value, or undefined.  Any method but GET/HEAD
 * carries X-CSRF-Token.  Resolves to the JSON answer (null for 204), throws
 * an ApiError otherwise.
 */
export async function send(method, url, body) {
	const headers = { Accept: 'application/json' };
	const m = method.toUpperCase();
	if (m !== 'GET' && m !== 'HEAD') headers['X-CSRF-Token'] = sessionStorage.getItem(CSRF) || '';
	let payload;
	if (body instanceof FormData || body instanceof Blob) payload = body;
	else if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		payload = JSON.stringify(body);
	}
	let res;
	try {
		res = await fetch(url, { method: m, headers, body: payload, credentials: 'same-origin' });
	} catch {
		throw new ApiError(0, { code: 'network', message: '无法连接服务器，请稍后重试' });
	}
	if (!res.ok) throw await failure(res.status, () => res.json());
	if (res.status === 204) return null;
	return res.json();
}

/** GET /api/v1/PATH?params (empty values left out) with the session. */
export function get(path, params = {}) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params))
		if (v !== undefined && v !== null && v !== '') q.set(k, v);
	return send('GET', `/api/v1/${path}${q.size ? `?${q}` : ''}`);
}

/**
 * upload(url, body, onProgress): POST body (a FormData or a File) with
 * XMLHttpRequest, calling onProgress(sent, total) as the bytes go; resolves
 * to the JSON answer, throws an ApiError (with the answer's body) otherwise.
 */
export function upload(url, body, onProgress) {
	return new Promise((resolve, reject) => {
		const x = new XMLHttpRequest();
		x.open('POST', url);
		x.setRequestHeader('Accept', 'application/json');
		x.setRequestHeader('X-CSRF-Token', sessionStorage.getItem(CSRF) || '');
		x.upload.addEventListener('progress', (e) => {
			if (onProgress) onProgress(e.loaded, e.lengthComputable ? e.total : 0);
		});
		x.addEventListener('error', () =>
			reject(new ApiError(0, { code: 'network', message: '上传中断：无法连接服务器' })));
		x.addEventListener('load', async () => {
			const read = () => JSON.parse(x.responseText);
			if (x.status >= 200 && x.status < 300) {
				try {
					resolve(read());
				} catch {
					reject(new ApiError(x.status, { message: '服务器的回答无法读取' }));
				}
			} else reject(await failure(x.status, read));
		});
		x.send(body);
	});
}

/** Log in: the user {user, role, unit}; throws an ApiError (401: wrong name or password). */
export async function login(name, password) {
	const s = await send('POST', '/api/v1/session', { name, password });
	sessionStorage.setItem(CSRF, s.csrf);
	return s;
}

/** Log out (the cookie's session ends); to the login page. */
export async function logout() {
	try {
		await send('DELETE', '/api/v1/session');
	} finally {
		sessionStorage.removeItem(CSRF);
	}
}

/** Who is signed in: {user, role, role_zh, unit} or null. */
export async function session() {
	try {
		const s = await send('GET', '/api/v1/session');
		if (s.csrf) sessionStorage.setItem(CSRF, s.csrf);
		return s;
	} catch (e) {
		if (e instanceof ApiError && e.status === 401) {
			sessionStorage.removeItem(CSRF);
			return null;
		}
		throw e;
	}
}

/** login.html with ?next= this page. */
export const loginHref = () =>
	`login.html?next=${encodeURIComponent(location.pathname + location.search)}`;

/**
 * The page's gate: resolves to the session when its role is one of roles
 * (drawing the staff header); not signed in → login.html?next=this page
 * (resolves to null); another role → 无权访问 in <main> (null).
 */
export async function requireRole(...roles) {
	let s;
	try {
		s = await session();
	} catch (e) {
		fill('main', el('h1', {}, '无法连接服务器'), el('p', { class: 'error', role: 'alert' }, e.message));
		return null;
	}
	if (!s) {
		location.replace(loginHref());
		return null;
	}
	staffHeader(s);
	if (!roles.includes(s.role)) {
		document.title = `无权访问 - ${SITE_NAME}`;
		fill('main', el('h1', {}, '无权访问'),
			el('p', { class: 'error', role: 'alert' },
				`此页面不向${s.role_zh}开放。`),
			el('p', {}, el('a', { href: homeOf(s.role) }, '回到我的首页')));
		return null;
	}
	return s;
}

/** The staff pages' navigation under the header: links [[href, text]],
 * this page marked. */
export function staffNav(links) {
	const here = location.pathname.replace(/^\//, '');
	document.querySelector('#site-header .wrap').append(
		el('nav', { class: 'site-nav', 'aria-label': '工作导航' }, el('ul', {},
			links.map(([href, text]) => el('li', {}, el('a', { href,
				'aria-current': href === here ? 'page' : null }, text))))));
}

/** The staff header: the site, the role's home, the user, the unit, 退出. */
export function staffHeader(s) {
	const out = el('button', { type: 'button', class: 'secondary', id: 'logout' }, '退出');
	out.addEventListener('click', async () => {
		out.disabled = true;
		try {
			await logout();
		} catch {
			/* the session may be gone already */
		}
		location.assign('login.html');
	});
	fill('site-header', el('div', { class: 'wrap' },
		el('a', { class: 'brand', href: homeOf(s.role) }, SITE_NAME, el('small', {}, '工作平台')),
		el('div', { class: 'who' },
			el('span', { id: 'who-user' }, s.user || '令牌'),
			el('span', { class: 'who-role' }, s.role_zh),
			s.unit ? el('span', { id: 'who-unit' }, s.unit) : null,
			out)));
}
