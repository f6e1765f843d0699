// Progressive touches only: every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // Move the reader to the first wrong field when a form comes back with errors.
  const invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
  // Ask before deactivating: nothing is deleted, but the person can no longer log in.
  for (const button of document.querySelectorAll('.btn-danger')) {
    button.addEventListener('click', (event) => {
      const question =
        button.dataset.confirm || '确定要停用吗？停用后不能登录或使用，记录会保留，之后可以重新启用。';
      if (!window.confirm(question)) event.preventDefault();
    });
  }
  for (const button of document.querySelectorAll('[data-print]')) {
    button.addEventListener('click', () => window.print());
  }
  // The counter: the basket's total as quantities are typed (the next step checks it again on the server).
  const total = document.querySelector('[data-basket-total]');
  if (total) {
    const inputs = [...document.querySelectorAll('input.qty')];
    const update = () => {
      const sum = inputs.reduce((s, i) => s + (Number(i.value) || 0) * Number(i.dataset.price), 0);
      total.querySelector('strong').textContent = String(sum);
      total.hidden = false;
    };
    for (const input of inputs) input.addEventListener('input', update);
    update();
  }
  readAloud();
});

/**
 * 朗读: a button (views/partials/read-aloud.hbs) whose `data-read-aloud` selects what to read. It uses the browser's
 * own speech synthesis and stays hidden unless the browser has a Chinese voice, which some browsers list only after
 * `voiceschanged`. A second press stops the reading.
 */
function readAloud() {
  const buttons = [...document.querySelectorAll('button[data-read-aloud]')];
  const synth = window.speechSynthesis;
  if (!buttons.length || !synth || typeof window.SpeechSynthesisUtterance !== 'function') return;
  const chineseVoice = () => synth.getVoices().find((v) => /^zh/i.test(v.lang));
  const showOrHide = () => {
    const voice = chineseVoice();
    for (const button of buttons) button.hidden = !voice;
  };
  showOrHide();
  synth.addEventListener?.('voiceschanged', showOrHide);
  for (const button of buttons) {
    button.addEventListener('click', () => {
      if (synth.speaking) {
        synth.cancel();
        return;
      }
      const voice = chineseVoice();
      if (!voice) return;
      const utterance = new window.SpeechSynthesisUtterance(textToRead(button.dataset.readAloud));
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.rate = 0.9;
      synth.speak(utterance);
    });
  }
}

/** The text of what the selector finds, in page order: a table row's cells joined, signs said as 加 and 扣. */
function textToRead(selector) {
  const parts = [];
  for (const element of document.querySelectorAll(selector)) {
    const copy = element.cloneNode(true);
    for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
    const cells = copy.matches('tr') ? [...copy.cells] : [copy];
    const text = cells
      .map((cell) => cell.textContent.replace(/\s+/g, ' ').trim())
      .filter(Boolean)
      .join('，')
      .replace(/(^|[\s，])\+(?=\d)/g, '$1加')
      .replace(/(^|[\s，])[−-](?=\d)/g, '$1扣');
    if (text) parts.push(text);
  }
  return parts.join('。');
}
