// Code page: counts down "you can ask for a new code in N seconds" and enables the resend button
// when it reaches zero. Without JavaScript the page still works: the button stays usable and the
// server answers an early click with the remaining wait.
(() => {
  const wait = document.querySelector('[data-countdown]');
  if (!wait) return;
  const button = document.getElementById(wait.getAttribute('data-countdown-for') || '');
  const persian = document.documentElement.lang === 'fa';
  const format = (n) => (persian ? String(n).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]) : String(n));
  const deadline = Date.now() + Number(wait.getAttribute('data-countdown')) * 1000;
  if (button) button.disabled = true;
  const tick = () => {
    const left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) {
      wait.hidden = true;
      if (button) {
        button.disabled = false;
        button.classList.remove('is-waiting');
        button.removeAttribute('aria-describedby');
      }
      return;
    }
    wait.textContent = wait.textContent.replace(/[0-9\u06f0-\u06f9]+/, format(left));
    setTimeout(tick, 250);
  };
  tick();
})();
