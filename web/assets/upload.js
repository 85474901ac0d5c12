// 上传数据 (upload.html): a file of a category, sent with XMLHttpRequest so
// the upload's progress shows; then the batch's summary, its unmapped
// columns and rejected rows, and the error report's download.
import { ApiError, el, fieldError, fill, pageError } from './common.js';
import { upload } from './session.js';
import { batchHref, categories, monthOf, showBatch, unitPage } from './unitkit.js';

const FIELDS = { category: 'category', reported_on: 'reported_on', file: 'file', unit: 'category' };
const s = await unitPage();
if (s) {
	document.getElementById('reported_on').value = monthOf(s.today);
	try {
		const cats = await categories();
		document.getElementById('category').append(...cats.map((c) => el('option', { value: c.name }, c.name)));
	} catch (e) {
		pageError('upload-error', e.message);
	}
	const want = new URLSearchParams(location.search).get('category');
	if (want) document.getElementById('category').value = want;
	document.getElementById('upload-form').addEventListener('submit', send);
}

const kb = (n) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);

async function send(ev) {
	ev.preventDefault();
	pageError('upload-error', '');
	for (const f of ['category', 'reported_on', 'file']) fieldError(f, '');
	const cat = document.getElementById('category').value;
	const month = document.getElementById('reported_on').value;
	const file = document.getElementById('file').files[0];
	if (!file) fieldError('file', '请选择要上传的文件');
	if (!/^\d{4}-\d{2}$/.test(month)) fieldError('reported_on', '请选择报送月份');
	if (!cat) fieldError('category', '请选择信息类别');
	if (!cat || !file || !/^\d{4}-\d{2}$/.test(month)) return;
	const q = new URLSearchParams({ category: cat, reported_on: month, filename: file.name });
	if (document.getElementById('strict').checked) q.set('strict', '1');
	const body = new FormData();
	body.append('file', file, file.name);
	const bar = document.getElementById('upload-progress');
	const text = document.getElementById('progress-text');
	const button = document.getElementById('upload-submit');
	document.getElementById('progress-box').hidden = false;
	bar.value = 0;
	text.textContent = `正在上传 ${file.name}…`;
	button.disabled = true;
	let b;
	try {
		b = await upload(`/api/v1/uploads?${q}`, body, (sent, total) => {
			if (total) bar.value = Math.round((sent / total) * 100);
			text.textContent = total && sent >= total ? '上传完成，正在校验入库…' : `已上传 ${kb(sent)}${total ? ` / ${kb(total)}` : ''}`;
		});
	} catch (e) {
		button.disabled = false;
		bar.value = 0;
		text.textContent = '';
		// a refused file answers its batch beside the error
		const refused = e instanceof ApiError && e.body && e.body.batch;
		if (!refused) {
			const input = e instanceof ApiError && e.field && FIELDS[e.field];
			if (input) fieldError(input, e.message);
			else pageError('upload-error', e instanceof ApiError ? e.message : '上传失败，请重试');
			return;
		}
		pageError('upload-error', `整批拒收：${e.message}`);
		b = e.body.batch;
	}
	button.disabled = false;
	bar.value = 100;
	text.textContent = `上传完成：批次 ${b.batch}，${b.rows} 行，拒收 ${b.rejected} 行`;
	document.getElementById('result-panel').hidden = false;
	document.getElementById('result-link').href = batchHref(b.batch);
	await showBatch(document.getElementById('result'), b);
	document.getElementById('h-result').scrollIntoView();
	fill('h-result', `上传结果：批次 ${b.batch}`);
}
