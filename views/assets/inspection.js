// 入户检查 without signal (issue 21): each finding is kept on the phone (IndexedDB, through idb-keyval) with its own
// idempotency key until the server has it; the page sends what waits whenever the phone is online, so nothing is lost
// and nothing is recorded twice. The service worker keeps this page and its scripts for when there is no signal.
(() => {
  const root = document.querySelector('[data-round]');
  if (!root || !window.idbKeyval) return;
  // One record per finding, keyed by its idempotency key: no read-modify-write of a shared list, so findings typed
  // in quick succession cannot overwrite one another. (idb-keyval keeps each store in a database of its own.)
  const { createStore, set, del, entries } = window.idbKeyval;
  const waitingStore = createStore('vp-inspection-waiting', 'findings');
  const refusedStore = createStore('vp-inspection-refused', 'findings');
  const roundId = root.dataset.round;
  const csrf = root.dataset.csrf;
  const status = root.querySelector('[data-status]');
  const list = root.querySelector('[data-waiting]');
  const sentCount = root.querySelector('[data-sent-count]');
  const newKey = () =>
    window.crypto && crypto.randomUUID
      ? crypto.randomUUID()
      : `k${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
  const formOf = (finding) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(finding.fields)) body.append(name, value);
    if (finding.photo) body.append('photo', finding.photo, finding.photo.name || 'photo.jpg');
    return body;
  };
  const ofRound = async (store) =>
    (await entries(store))
      .map(([, value]) => value)
      .filter((f) => f.roundId === roundId)
      .sort((a, b) => a.at - b.at);
  let sending = false;

  const item = (text, className) => {
    const li = document.createElement('li');
    li.className = className;
    li.textContent = text;
    return li;
  };
  const show = async () => {
    const waiting = await ofRound(waitingStore);
    const refused = await ofRound(refusedStore);
    list.replaceChildren(
      ...waiting.map((w) => item(`待发送：${w.label}，${w.rule}`, 'waiting')),
      ...refused.map((r) => item(`没有记上：${r.label}，${r.rule}。${r.error}`, 'refused')),
    );
    status.hidden = false;
    status.textContent = waiting.length
      ? `还有 ${waiting.length} 条没发送${navigator.onLine ? '，正在发送……' : '。现在没有信号，记录都存在手机上，来信号后会自动发送。'}`
      : '全部已发送。';
    root.dataset.waiting = String(waiting.length);
  };

  const send = async () => {
    if (sending) return;
    sending = true;
    try {
      for (;;) {
        const [finding] = await ofRound(waitingStore);
        if (!finding || !navigator.onLine) break;
        let res;
        try {
          res = await fetch(`/inspection-rounds/${roundId}/entries`, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { accept: 'application/json', 'x-csrf-token': csrf },
            body: formOf(finding),
          });
        } catch {
          break; // no signal after all: it stays waiting
        }
        if (res.status >= 500 || res.status === 401 || res.status === 403) break;
        const body = await res.json().catch(() => ({}));
        if (!res.ok)
          await set(
            finding.fields.idempotencyKey,
            { ...finding, error: body.error?.message ?? `没有记上（${res.status}）` },
            refusedStore,
          );
        else if (body.created && sentCount) sentCount.textContent = String(Number(sentCount.textContent) + 1);
        await del(finding.fields.idempotencyKey, waitingStore);
        await show();
      }
    } finally {
      sending = false;
      await show();
    }
  };

  for (const form of root.querySelectorAll('form[data-entry]')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      data.delete('_csrf');
      // The photo is kept on the phone as it is (IndexedDB stores files), and sent with the finding.
      const photo = data.get('photo');
      data.delete('photo');
      const key = newKey();
      data.set('idempotencyKey', key);
      const select = form.querySelector('select');
      await set(
        key,
        {
          roundId,
          at: Date.now() + Math.random() / 1000,
          fields: Object.fromEntries(data),
          photo: photo && photo.size > 0 ? photo : null,
          label: form.dataset.label,
          rule: select ? select.options[select.selectedIndex].textContent : '',
        },
        waitingStore,
      );
      const count = form.closest('[data-household]')?.querySelector('[data-count]');
      if (count) count.textContent = '已记下';
      form.reset();
      await show();
      send();
    });
  }

  // 找农户: typing (or a scanned door plate) shows only the households that match.
  const find = root.querySelector('[data-find]');
  const filter = (text) => {
    const wanted = text.trim().toUpperCase();
    for (const card of root.querySelectorAll('[data-household]'))
      card.hidden = wanted !== '' && !card.dataset.household.toUpperCase().includes(wanted);
  };
  if (find) find.addEventListener('input', () => filter(find.value));
  window.inspectionRound = { filter, send, show };

  // Submitting needs everything sent first.
  const submit = root.querySelector('form[data-submit]');
  if (submit)
    submit.addEventListener('submit', (event) => {
      if (root.dataset.waiting === '0') return;
      event.preventDefault();
      status.textContent = '还有记录没发送，请等全部发送后再提交。';
      send();
    });

  window.addEventListener('online', send);
  window.addEventListener('offline', show);
  show().then(send);
  if ('serviceWorker' in navigator && window.caches) {
    navigator.serviceWorker
      .register('/inspection-rounds/sw.js', { scope: '/inspection-rounds/' })
      .catch(() => {});
    // This page and its scripts, for when it is opened again with no signal (the worker answers from these caches).
    const scripts = [...document.querySelectorAll('script[src], link[rel="stylesheet"]')].map(
      (el) => el.getAttribute('src') || el.getAttribute('href'),
    );
    caches
      .open('inspection-pages')
      .then((c) => c.add(location.pathname))
      .catch(() => {});
    caches
      .open('inspection-assets')
      .then((c) => c.addAll(scripts))
      .catch(() => {});
  }
})();
