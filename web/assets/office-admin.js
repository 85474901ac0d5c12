// 系统管理 (信用办): users, tokens (the secret shown once), units, column
// mappings, memoranda (load and replace), list entries (add, exit).  Reads
// for the admin and the auditor; the forms are the admin's (the auditor's
// are disabled: the API would answer 403).
import { el, fill, table } from './common.js';
import { done, doneAfter, officePage, onSubmit, required } from './office-common.js';
import { get, send } from './session.js';

const ROLE = { unit: '信源单位操作员', admin: '信用办管理员', auditor: '审计员' };
const STATE = { valid: '有效', revoked: '已撤销', expired: '已过期' };
const ENTRY = { active: '有效', pending: '未生效', expired: '已届满', exited: '已移出' };
const isAdmin = { v: false };

function actionButton(text, label, fn, box) {
	const b = el('button', { type: 'button', class: 'secondary', 'aria-label': label }, text);
	b.disabled = !isAdmin.v;
	b.addEventListener('click', async () => {
		b.disabled = true;
		try {
			await fn();
		} catch (e) {
			fill(box, el('p', { class: 'error', role: 'alert' }, e.message));
			b.disabled = false;
		}
	});
	return b;
}

// ---- users ----
async function showUsers() {
	const v = await get('users');
	fill('users', table(`用户（${v.users.length}）`, [
		{ label: '用户名', cell: (u) => u.name },
		{ label: '角色', cell: (u) => u.role_zh || ROLE[u.role] || u.role },
		{ label: '单位', cell: (u) => u.unit || '—' },
		{ label: '状态', cell: (u) => (u.disabled ? '已停用' : '启用') },
		{ label: '操作', cell: (u) => (u.disabled ? '' : actionButton('停用', `停用 ${u.name}`, async () => {
			await send('PATCH', `/api/v1/users/${encodeURIComponent(u.name)}`, { disabled: true });
			await doneAfter('user-result', `已停用 ${u.name}。`, showUsers);
		}, 'user-result')) },
	], v.users));
}
onSubmit(document.getElementById('user-form'), 'user-error',
	{ name: 'u-name', unit: 'u-unit', password: 'u-password' }, async (v) => {
		const body = { name: v.name.trim(), role: v.role, password: v.password };
		if (v.unit.trim()) body.unit = v.unit.trim();
		await send('POST', '/api/v1/users', body);
		document.getElementById('user-form').reset();
		await doneAfter('user-result', `已添加用户 ${body.name}。`, showUsers);
	}, (v) => {
		const bad = required(v, { name: ['u-name', '用户名'], password: ['u-password', '初始密码'] });
		if (v.role === 'unit' && !v.unit.trim()) bad['u-unit'] = '信源单位操作员须填写所属单位';
		return bad;
	});

// ---- tokens ----
async function showTokens() {
	const v = await get('tokens');
	fill('tokens', table(`令牌（${v.tokens.length}）`, [
		{ label: '编号', cell: (t) => String(t.id) },
		{ label: '角色', cell: (t) => t.role_zh || ROLE[t.role] || t.role },
		{ label: '单位', cell: (t) => t.unit || '—' },
		{ label: '用途', cell: (t) => t.label || '' },
		{ label: '到期', cell: (t) => (t.expires || '').slice(0, 10) },
		{ label: '状态', cell: (t) => STATE[t.state] || t.state },
		{ label: '操作', cell: (t) => (t.state !== 'valid' ? '' : actionButton('撤销', `撤销令牌 ${t.id}`, async () => {
			await send('DELETE', `/api/v1/tokens/${t.id}`);
			await doneAfter('token-result', `已撤销令牌 ${t.id}。`, showTokens);
		}, 'token-result')) },
	], v.tokens));
}
onSubmit(document.getElementById('token-form'), 'token-error',
	{ unit: 't-unit', label: 't-label', expires_days: 't-days' }, async (v) => {
		const body = { role: v.role };
		if (v.unit.trim()) body.unit = v.unit.trim();
		if (v.label.trim()) body.label = v.label.trim();
		if (v.expires_days) body.expires_days = Number(v.expires_days);
		const t = await send('POST', '/api/v1/tokens', body);
		try {
			await showTokens();
		} finally { // the secret is shown once, whatever became of the list
			fill('token-result', el('div', { role: 'status' },
				el('p', {}, `令牌 ${t.id} 已生成。请立即复制保存：关闭或刷新本页后不再显示。`),
				el('p', { class: 'secret', id: 'token-secret' }, t.token)));
		}
	}, (v) => {
		const bad = {};
		if (v.role === 'unit' && !v.unit.trim()) bad['t-unit'] = '信源单位操作员的令牌须填写所属单位';
		if (v.expires_days && !/^[1-9]\d*$/.test(v.expires_days)) bad['t-days'] = '有效天数须为正整数';
		return bad;
	});

// ---- units and categories ----
async function showUnits() {
	const [u, c] = await Promise.all([get('units'), get('categories')]);
	const KIND = { department: '市有关部门', county: '县（市）区', park: '园区', city: '市' };
	fill('unit-names', u.units.map((x) => el('option', { value: x.name })));
	fill('units', table('', [
		{ label: '序号', cell: (x) => String(x.sort) },
		{ label: '单位', cell: (x) => x.name },
		{ label: '类别', cell: (x) => KIND[x.kind] || x.kind },
		{ label: '行政区划代码', cell: (x) => x.division || '—' },
		{ label: '曾用名', cell: (x) => (x.former_names || []).join('、') || '—' },
	], u.units));
	fill('m-category', c.categories.map((x) => el('option', { value: x.name }, x.name)));
}
onSubmit(document.getElementById('unit-add-form'), 'unit-add-error',
	{ name: 'un-name', kind: 'un-kind', division: 'un-division' }, async (v) => {
		const body = { name: v.name.trim(), kind: v.kind };
		if (v.division.trim()) body.division = v.division.trim();
		const u = await send('POST', '/api/v1/units', body);
		document.getElementById('unit-add-form').reset();
		await doneAfter('unit-result', `已新增信源单位 ${u.name}。`, showUnits);
	}, (v) => {
		const bad = required(v, { name: ['un-name', '单位名称'] });
		const d = v.division.trim();
		if (v.kind === '区县' && !d) bad['un-division'] = '县（市）区须填写行政区划代码';
		else if (d && !/^\d{6}$/.test(d)) bad['un-division'] = '行政区划代码须为 6 位数字';
		return bad;
	});
onSubmit(document.getElementById('unit-rename-form'), 'unit-rename-error',
	{ unit: 'ur-unit', name: 'ur-name' }, async (v) => {
		const u = await send('PATCH', `/api/v1/units/${encodeURIComponent(v.unit.trim())}`, { name: v.name.trim() });
		document.getElementById('unit-rename-form').reset();
		await doneAfter('unit-result', `已将 ${v.unit.trim()} 更名为 ${u.name}（原名称保留为曾用名）。`, showUnits);
	}, (v) => required(v, { unit: ['ur-unit', '现名称'], name: ['ur-name', '新名称'] }));

// ---- mappings ----
async function showMaps() {
	const v = await get('mappings');
	fill('maps', v.length ? table(`已保存的映射（${v.length}）`, [
		{ label: '单位', cell: (m) => m.unit },
		{ label: '类别', cell: (m) => m.category },
		{ label: '列名', cell: (m) => m.column },
		{ label: '字段', cell: (m) => `${m.field_name || ''}（${m.field}）` },
		{ label: '操作', cell: (m) => actionButton('删除', `删除映射 ${m.column}`, async () => {
			await send('DELETE', `/api/v1/mappings?${new URLSearchParams({ unit: m.unit, category: m.category, column: m.column })}`);
			await doneAfter('map-result', `已删除 ${m.unit} 的列名映射“${m.column}”。`, showMaps);
		}, 'map-result') },
	], v) : el('p', { class: 'status' }, '尚无列名映射。'));
}
onSubmit(document.getElementById('map-form'), 'map-error',
	{ unit: 'm-unit', category: 'm-category', column: 'm-column', field: 'm-field' }, async (v) => {
		await send('PUT', '/api/v1/mappings', { unit: v.unit.trim(), category: v.category,
			column: v.column.trim(), field: v.field.trim() });
		await doneAfter('map-result', `已保存：${v.unit} 的“${v.column}”对应 ${v.field}。`, showMaps);
	}, (v) => required(v, { unit: ['m-unit', '单位'], column: ['m-column', '列名'], field: ['m-field', '字段代码'] }));

// ---- memoranda ----
onSubmit(document.getElementById('memo-form'), 'memo-error', { file: 'mm-file' }, async (v) => {
	const fd = new FormData();
	fd.append('file', v.file, v.file.name);
	const q = new URLSearchParams({ filename: v.file.name });
	if (v.replace) q.set('replace', '1');
	const r = await send('POST', `/api/v1/memorandum-files?${q}`, fd);
	done('memo-result', `已${v.replace ? '替换' : '载入'}${r.doc}${r.title}（${r.measures} 项措施，第 ${r.version} 版，文件 ${r.file}）。`);
}, (v) => (v.file && v.file.name ? {} : { 'mm-file': '请选择备忘录措施表文件' }));

// ---- list entries ----
async function showEntries() {
	const [v, types] = await Promise.all([get('entries'), get('lists')]);
	fill('list-types', (types.list_types || []).map((t) => el('option', { value: t.name })));
	const rows = v.entries.slice().sort((a, b) => b.entry - a.entry).slice(0, 30);
	fill('entries', table(`最新列入的名单条目（共 ${v.entries.length} 条，显示 ${rows.length} 条）`, [
		{ label: '编号', cell: (e) => String(e.entry) },
		{ label: '名单', cell: (e) => e.list_type },
		{ label: '主体', cell: (e) => e.name || e.subject },
		{ label: '认定单位', cell: (e) => e.unit },
		{ label: '期间', cell: (e) => `${e.from} – ${e.to || ''}` },
		{ label: '状态', cell: (e) => (e.exit ? `已移出（${e.exit}）` : ENTRY[e.status] || e.status) },
	], rows));
}
onSubmit(document.getElementById('entry-form'), 'entry-error',
	{ type: 'e-type', subject: 'e-subject', name: 'e-name', unit: 'e-unit', doc: 'e-doc',
		from: 'e-from', to: 'e-to', reason: 'e-reason' }, async (v) => {
		const body = {};
		for (const k of ['type', 'subject', 'unit', 'doc', 'from', 'to', 'name', 'reason'])
			if (String(v[k] || '').trim()) body[k] = v[k].trim();
		const e = await send('POST', '/api/v1/entries', body);
		await doneAfter('entry-result', `已列入：条目 ${e.entry}，${e.name || e.subject}（${e.list_type}）。`, showEntries);
	}, (v) => {
		const bad = required(v, { type: ['e-type', '名单类型'], subject: ['e-subject', '主体代码'],
			unit: ['e-unit', '认定单位'], doc: ['e-doc', '认定文书号'], from: ['e-from', '列入日期'] });
		if (v.from && v.to && v.to < v.from) bad['e-to'] = '届满日期不能早于列入日期';
		return bad;
	});
onSubmit(document.getElementById('exit-form'), 'exit-error',
	{ entry: 'x-entry', how: 'x-how', date: 'x-date' }, async (v) => {
		await send('POST', `/api/v1/entries/${encodeURIComponent(v.entry.trim())}/exit`, { how: v.how, date: v.date });
		await doneAfter('exit-result', `条目 ${v.entry} 已移出名单（${v.how}）。`, showEntries);
	}, (v) => {
		const bad = required(v, { entry: ['x-entry', '条目编号'], date: ['x-date', '退出日期'] });
		if (v.entry && !/^[1-9]\d*$/.test(v.entry.trim())) bad['x-entry'] = '条目编号须为正整数';
		return bad;
	});

const s = await officePage();
if (s) {
	isAdmin.v = s.role === 'admin';
	if (!isAdmin.v)
		document.querySelectorAll('main form').forEach((f) =>
			f.querySelectorAll('input, select, textarea, button').forEach((e) => { e.disabled = true; }));
	const fail = (e) => fill('admin-error', e.message);
	await Promise.all([showUsers(), showTokens(), showUnits(), showMaps(), showEntries()].map((p) => p.catch(fail)));
}
