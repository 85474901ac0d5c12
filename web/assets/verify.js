// 信用报告核验 (verify.html?number=&code=): by the report number and its
// verification code (GET /api/v1/reports/{number}/verify?code=), or by the
// PDF itself (POST /api/v1/reports/{number}/verify, the file's bytes against
// the stored report's SHA-256).  真实有效 with what was issued, or 不一致 /
// 未找到 with the API's reason.
import { ApiError, api, apiPost, arg, el, fill, seg, subjectHref } from './common.js';
import { onSubmit } from './office-common.js';

const MAX_PDF = 16 * 1024 * 1024; // XY_REPORT_PDF_MAX
const NUMBER = /XY[0-9]{14}/i;

const number = (s) => String(s || '').trim().toUpperCase();
const code = (s) => String(s || '').replace(/[\s-]/g, '').toUpperCase();

function checkNumber(v, id) {
	if (!number(v)) return { [id]: '请填写报告编号' };
	if (!/^XY[0-9]{14}$/.test(number(v))) return { [id]: '报告编号为 XY 加 14 位数字' };
	return {};
}

/** Beijing time of an ISO instant, as the report prints it. */
function beijing(iso) {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return iso;
	const p = Object.fromEntries(new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai',
		year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
		second: '2-digit', hourCycle: 'h23' }).formatToParts(d).map((x) => [x.type, x.value]));
	return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}（北京时间）`;
}

const VERDICT = { genuine: ['真实有效', 'ok'], altered: ['不一致', 'warn'], unknown: ['未找到', 'warn'] };

/** The answer {number, status, method, message, (sha256), (report)}. */
function show(v) {
	const [word, cls] = VERDICT[v.status] || [v.status, 'warn'];
	const r = v.report;
	document.getElementById('result-panel').hidden = false;
	fill('result',
		el('p', { role: 'status', id: 'verdict' }, el('strong', { class: `tag ${cls} verdict` }, word), ' ', v.message),
		r ? el('dl', { class: 'facts', id: 'issued' },
			el('dt', {}, '报告编号'), el('dd', {}, r.number),
			el('dt', {}, '信用主体'), el('dd', {}, el('a', { href: subjectHref(r.subject.code) }, r.subject.name)),
			el('dt', {}, '主体代码'), el('dd', {}, r.subject.code),
			el('dt', {}, '生成时间'), el('dd', {}, beijing(r.generated_at)),
			el('dt', {}, '数据截止'), el('dd', {}, r.data_as_of),
			el('dt', {}, '文件 SHA-256'), el('dd', { class: 'hash' }, r.sha256))
			: el('dl', { class: 'facts', id: 'issued' },
				el('dt', {}, '报告编号'), el('dd', {}, v.number),
				v.sha256 ? [el('dt', {}, '所传文件 SHA-256'), el('dd', { class: 'hash' }, v.sha256)] : null),
		v.status === 'genuine' ? null : el('p', { class: 'meta' }, v.status === 'altered'
			? '请向报告出具方索取原文件，或按报告编号和验证码核验。'
			: '请核对报告编号和验证码；本平台没有出具与之相符的报告。'));
	document.getElementById('h-result').focus();
}

/** The verdict, also when the API says 404 (an unknown number or pair). */
async function verdict(call) {
	document.getElementById('result-panel').hidden = true;
	try {
		show(await call());
	} catch (e) {
		if (e instanceof ApiError && e.status === 404 && e.body && e.body.status) return show(e.body);
		throw e;
	}
}

onSubmit(document.getElementById('code-form'), 'code-error', { number: 'f-number', code: 'f-code' },
	(v) => verdict(() => api(`reports/${seg(number(v.number))}/verify`, { code: code(v.code) })),
	(v) => {
		const bad = checkNumber(v.number, 'f-number');
		if (!code(v.code)) bad['f-code'] = '请填写验证码';
		else if (!/^[A-Z2-7]{16}$/.test(code(v.code))) bad['f-code'] = '验证码为 16 位字母 A–Z 和数字 2–7';
		return bad;
	});

const fileInput = document.getElementById('f-file');
onSubmit(document.getElementById('file-form'), 'file-error', { number: 'f-pdf-number', file: 'f-file' },
	async (v) => {
		const f = fileInput.files[0];
		const head = new TextDecoder().decode(await f.slice(0, 5).arrayBuffer());
		if (head !== '%PDF-') throw new ApiError(422, { field: 'file', message: `“${f.name}”不是 PDF 文件` });
		await verdict(() => apiPost(`reports/${seg(number(v.number))}/verify`,
			new Blob([f], { type: 'application/pdf' })));
	},
	(v) => {
		const f = fileInput.files[0];
		const bad = {};
		if (!f) bad['f-file'] = '请选择报告 PDF 文件';
		else if (f.size > MAX_PDF) bad['f-file'] = '报告文件超过 16 MB，不是本平台出具的报告';
		return { ...bad, ...checkNumber(v.number, 'f-pdf-number') };
	});
// a downloaded report's name holds its number (NUMBER.pdf, 公共信用信息报告-NAME-NUMBER.pdf)
fileInput.addEventListener('change', () => {
	const m = fileInput.files[0] && fileInput.files[0].name.match(NUMBER);
	if (m) document.getElementById('f-pdf-number').value = m[0].toUpperCase();
});

document.getElementById('f-number').value = arg('number');
document.getElementById('f-code').value = arg('code');
if (arg('number') && arg('code')) document.getElementById('code-form').requestSubmit();
