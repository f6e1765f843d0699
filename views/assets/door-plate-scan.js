// 扫门牌: a button `[data-scan]` reads a door plate's QR code with the phone's camera (zxing, served by the app) and
// types the household's code into the field its `data-scan-target` names, as if typed (an `input` event). The door
// plate's code holds `…/villager?code=<户号>`. Without a camera or the library the button stays hidden: the code can be
// typed.
(() => {
  if (!window.ZXingBrowser || !navigator.mediaDevices) return;
  const doorPlateCode = (text) => {
    try {
      const code = new URL(text, location.origin).searchParams.get('code');
      return code && /^[A-Za-z0-9-]{1,20}$/.test(code) ? code.toUpperCase() : null;
    } catch {
      return null;
    }
  };
  for (const button of document.querySelectorAll('[data-scan]')) {
    const target = document.getElementById(button.dataset.scanTarget);
    const box = document.getElementById(button.dataset.scanVideo);
    if (!target || !box) continue;
    const label = button.textContent;
    let controls = null;
    const stop = () => {
      if (controls) controls.stop();
      controls = null;
      box.hidden = true;
      button.textContent = label;
    };
    button.hidden = false;
    button.addEventListener('click', async () => {
      if (controls) return stop();
      box.hidden = false;
      button.textContent = '停止扫码';
      try {
        controls = await new window.ZXingBrowser.BrowserQRCodeReader().decodeFromConstraints(
          { video: { facingMode: 'environment' } },
          box.querySelector('video'),
          (result) => {
            const code = result && doorPlateCode(result.getText());
            if (!code) return;
            target.value = code;
            target.dispatchEvent(new Event('input', { bubbles: true }));
            stop();
          },
        );
      } catch {
        stop();
        button.hidden = true;
        target.focus();
      }
    });
  }
})();
