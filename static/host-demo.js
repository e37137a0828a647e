// The example host: gets a resident's token from "its own backend" (the demo server signs one
// with the published demo key), opens the widget in an iframe with the bank's colour, answers
// the widget's ready message with the token, and lists the events the widget sends.
const widgetOrigin = window.location.origin;
const frame = document.getElementById('widget');
const events = document.getElementById('events');
let token = null;

window.addEventListener('message', (e) => {
  if (e.origin !== widgetOrigin || e.source !== frame.contentWindow) return;
  const data = e.data || {};
  if (data.type === 'quan:ready' && token) {
    frame.contentWindow.postMessage({ type: 'quan:token', token }, widgetOrigin);
  } else if (data.type === 'quan:event') {
    const li = document.createElement('li');
    li.textContent = JSON.stringify(data);
    li.dataset.name = data.name;
    events.append(li);
  }
});

document.getElementById('who').addEventListener('submit', async (e) => {
  e.preventDefault();
  const sub = document.getElementById('sub').value.trim();
  const res = await fetch('/api/v1/demo/host-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub, name: '示例用户' }),
  });
  token = (await res.json()).token;
  frame.src = `${widgetOrigin}/?accent=%23005bac`;
  frame.hidden = false;
});
