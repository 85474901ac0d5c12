// 登录: name and password, errors next to the fields in Chinese; then the
// page of ?next= (a page of this site only) or the role's home.
import { ApiError, arg, fieldError, pageError } from './common.js';
import { homeOf, login, session } from './session.js';

/** ?next= when it is a path of this site (never another host). */
function nextPage(role) {
	const n = arg('next');
	if (/^\/(?!\/)[^\\]*$/.test(n) && !n.startsWith('/login.html')) return n;
	return homeOf(role);
}

const form = document.getElementById('login-form');
form.addEventListener('submit', async (ev) => {
	ev.preventDefault();
	pageError('login-error', '');
	fieldError('name', '');
	fieldError('password', '');
	const name = document.getElementById('name').value.trim();
	const password = document.getElementById('password').value;
	if (!name) return fieldError('name', '请输入用户名');
	if (!password) return fieldError('password', '请输入密码');
	const button = document.getElementById('login-submit');
	button.disabled = true;
	try {
		const s = await login(name, password);
		location.assign(nextPage(s.role));
	} catch (e) {
		button.disabled = false;
		if (e instanceof ApiError && e.status === 401) fieldError('password', '用户名或密码错误');
		else if (e instanceof ApiError && e.field === 'name') fieldError('name', e.message);
		else if (e instanceof ApiError && e.field === 'password') fieldError('password', e.message);
		else pageError('login-error', e instanceof ApiError ? e.message : '登录失败，请重试');
	}
});

// already signed in: straight on
session().then((s) => { if (s) location.replace(nextPage(s.role)); }, () => {});
