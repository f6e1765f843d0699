// Progressive touches only: every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // Move the reader to the first wrong field when a form comes back with errors.
  const invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
  // Ask before deactivating: nothing is deleted, but the person can no longer log in.
  for (const button of document.querySelectorAll('.btn-danger')) {
    button.addEventListener('click', (event) => {
      if (!window.confirm('确定要停用吗？停用后不能登录或使用，记录会保留，之后可以重新启用。'))
        event.preventDefault();
    });
  }
});
