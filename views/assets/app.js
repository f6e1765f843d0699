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
});
