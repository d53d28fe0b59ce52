/**
 * The website chat (Interact) as a customer meets it: a hosted page (`/interact/chat`,
 * what an iframe or a link opens), its script, and an embeddable loader
 * (`/interact/widget.js`) that puts a chat button on any page. Plain DOM, no framework:
 * every word a person wrote goes in as `textContent`, never as markup. Colours and shapes
 * follow Fluent's (Teams') light and dark themes.
 */

export const CHAT_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat with us</title>
<style>
  :root {
    color-scheme: light dark;
    --bg: #ffffff; --bg2: #f5f5f5; --fg: #242424; --fg2: #616161; --stroke: #d1d1d1;
    --brand: #5b5fc7; --brand-hover: #4f52b2; --on-brand: #ffffff; --mine: #e8ebfa; --danger: #c50f1f;
    font-family: "Segoe UI", "Segoe UI Web (West European)", -apple-system, BlinkMacSystemFont, Roboto, "Helvetica Neue", sans-serif;
  }
  @media (prefers-color-scheme: dark) {
    :root { --bg: #292929; --bg2: #1f1f1f; --fg: #ffffff; --fg2: #d6d6d6; --stroke: #666666;
      --brand: #7f85f5; --brand-hover: #9299f7; --on-brand: #000000; --mine: #3d3e66; --danger: #dc626d; }
  }
  * { box-sizing: border-box; }
  html, body { margin: 0; height: 100%; background: var(--bg); color: var(--fg); font-size: 14px; line-height: 20px; }
  main { display: flex; flex-direction: column; height: 100%; max-width: 640px; margin: 0 auto; }
  header { padding: 12px 16px; border-bottom: 1px solid var(--stroke); }
  h1 { margin: 0; font-size: 16px; line-height: 22px; font-weight: 600; }
  #status { margin: 2px 0 0; color: var(--fg2); font-size: 12px; line-height: 16px; min-height: 16px; }
  #lines { flex: 1; overflow-y: auto; padding: 12px 16px; display: flex; flex-direction: column; gap: 8px; background: var(--bg2); }
  .line { max-width: 85%; padding: 8px 12px; border-radius: 4px; background: var(--bg); white-space: pre-wrap; overflow-wrap: anywhere; }
  .line.mine { align-self: flex-end; background: var(--mine); }
  .who { display: block; font-size: 12px; line-height: 16px; color: var(--fg2); }
  .note { align-self: center; color: var(--fg2); font-size: 12px; line-height: 16px; text-align: center; }
  form { display: flex; gap: 8px; padding: 12px 16px; border-top: 1px solid var(--stroke); align-items: flex-end; }
  label { display: block; font-weight: 600; margin-bottom: 4px; }
  input, textarea { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--stroke); border-bottom-color: var(--fg2); border-radius: 4px; padding: 5px 10px; width: 100%; }
  textarea { resize: none; height: 52px; }
  input:focus-visible, textarea:focus-visible { outline: none; border-bottom: 2px solid var(--brand); }
  button { font: inherit; font-weight: 600; border-radius: 4px; padding: 5px 12px; min-height: 32px; cursor: pointer; border: 1px solid var(--stroke); background: var(--bg); color: var(--fg); }
  button.primary { background: var(--brand); border-color: transparent; color: var(--on-brand); }
  button.primary:hover { background: var(--brand-hover); }
  button:focus-visible { outline: 2px solid var(--fg); outline-offset: 1px; }
  button[disabled] { opacity: 0.5; cursor: default; }
  #start { flex-direction: column; align-items: stretch; border-top: 0; flex: 1; justify-content: center; }
  #error { color: var(--danger); margin: 0; padding: 0 16px 8px; }
  #error:empty { display: none; }
  .field { flex: 1; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<main>
  <header>
    <h1 id="title">Chat with us</h1>
    <p id="status" role="status" aria-live="polite"></p>
  </header>
  <form id="start" aria-label="Start a chat">
    <div>
      <label for="name">Your name</label>
      <input id="name" name="name" autocomplete="name" maxlength="80" required>
    </div>
    <button class="primary" type="submit">Start chat</button>
  </form>
  <div id="lines" role="log" aria-label="Conversation" hidden></div>
  <p id="error" role="alert"></p>
  <form id="compose" aria-label="Write a message" hidden>
    <div class="field">
      <label for="text">Message</label>
      <textarea id="text" name="text" maxlength="2000" required></textarea>
    </div>
    <button class="primary" type="submit">Send</button>
    <button id="leave" type="button">End chat</button>
  </form>
</main>
<script src="/interact/chat.js"></script>
</body>
</html>
`;

export const CHAT_PAGE_JS = `(() => {
  'use strict';
  const params = new URLSearchParams(location.search);
  const widgetKey = params.get('key') || '';
  const serviceId = params.get('service') || '';
  const token = params.get('token') || undefined;
  const STORE = 'interact-chat:' + serviceId;
  const $ = (id) => document.getElementById(id);
  const status = $('status'), lines = $('lines'), error = $('error');
  const start = $('start'), compose = $('compose'), text = $('text'), leave = $('leave');
  let chat = sessionStorage.getItem(STORE);
  let after = '';
  let state = '';
  let timer = 0;
  // One poll at a time: a poll asked for while one is on its way runs when that one is
  // back, so two answers never carry the same lines; and a line already shown is skipped.
  let polling = false;
  let again = false;
  const shown = new Set();

  async function post(path, body) {
    const res = await fetch('/api/v1/interact/chats' + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw Object.assign(new Error((json.error && json.error.message) || 'Something went wrong; try again.'), { status: res.status });
    return json;
  }

  function show(message) { error.textContent = message || ''; }

  function note(words) {
    const p = document.createElement('p');
    p.className = 'note';
    p.textContent = words;
    lines.append(p);
    lines.scrollTop = lines.scrollHeight;
  }

  function addLine(m, agentName) {
    const div = document.createElement('div');
    div.className = 'line' + (m.from === 'customer' ? ' mine' : '');
    div.dataset.from = m.from;
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = m.from === 'customer' ? 'You' : agentName || 'Agent';
    const body = document.createElement('span');
    body.className = 'text';
    body.textContent = m.text;
    div.append(who, body);
    lines.append(div);
    lines.scrollTop = lines.scrollHeight;
  }

  let agentName = '';
  function render(view) {
    if (view.state === 'connected' && state !== 'connected') {
      agentName = view.agentName;
      note(view.agentName + ' joined');
    }
    for (const m of view.messages) {
      if (shown.has(m.key)) continue;
      shown.add(m.key);
      addLine(m, agentName);
      after = m.key;
    }
    if (view.state === 'waiting')
      status.textContent = view.beyond
        ? 'Waiting — ' + (view.position - 1) + ' or more are ahead of you'
        : view.position === 1 ? 'Waiting — you are next' : 'Waiting — you are number ' + view.position;
    else if (view.state === 'connected') status.textContent = 'Chatting with ' + view.agentName;
    if (view.state === 'ended' && state !== 'ended') {
      const why = { agent: 'The chat has ended.', customer: 'You ended the chat.', timeout: 'The chat ended while you were away.', canceled: 'The chat ended before anyone answered.' };
      note(why[view.how] || 'The chat has ended.');
      status.textContent = 'Ended';
      compose.hidden = true;
      sessionStorage.removeItem(STORE);
      clearTimeout(timer);
    }
    state = view.state;
  }

  async function poll() {
    clearTimeout(timer);
    if (polling) { again = true; return; }
    polling = true;
    try {
      render(await post('/poll', after ? { chat, after } : { chat }));
      show('');
    } catch (e) {
      if (e.status === 404) { sessionStorage.removeItem(STORE); location.reload(); return; }
      show('Connection lost; trying again…');
    } finally {
      polling = false;
    }
    if (state === 'ended') return;
    if (again) { again = false; poll(); return; }
    timer = setTimeout(poll, 1500);
  }

  function opened() {
    start.hidden = true;
    lines.hidden = false;
    compose.hidden = false;
    text.focus();
  }

  start.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = start.querySelector('button');
    button.disabled = true;
    try {
      const view = await post('', { widgetKey, serviceId, name: $('name').value, ...(token && { token }) });
      chat = view.chat;
      sessionStorage.setItem(STORE, chat);
      opened();
      render(view);
      show('');
      timer = setTimeout(poll, 1500);
    } catch (e) {
      show(e.message);
    } finally {
      button.disabled = false;
    }
  });

  compose.addEventListener('submit', async (event) => {
    event.preventDefault();
    const words = text.value;
    if (!words.trim()) return;
    try {
      await post('/messages', { chat, text: words });
      text.value = '';
      show('');
      poll();
    } catch (e) {
      show(e.message);
    }
  });

  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); compose.requestSubmit(); }
  });

  leave.addEventListener('click', async () => {
    try { await post('/leave', { chat }); } catch (e) { show(e.message); }
    poll();
  });

  if (!widgetKey || !serviceId) {
    start.hidden = true;
    show('This chat is not set up: the page needs its widget key and service.');
  } else if (chat) {
    opened();
    poll();
  }
})();
`;

/**
 * The loader a website embeds: `<script src="https://{app}/interact/widget.js"
 * data-key="wk~…" data-service="svc-…" async></script>` puts a chat button in the corner
 * that opens the hosted page in a panel.
 */
export const WIDGET_JS = `(() => {
  'use strict';
  const script = document.currentScript;
  if (!script) return;
  const origin = new URL(script.src).origin;
  const key = script.dataset.key || '';
  const service = script.dataset.service || '';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = script.dataset.label || 'Chat with us';
  button.setAttribute('aria-expanded', 'false');
  Object.assign(button.style, { position: 'fixed', right: '16px', bottom: '16px', zIndex: '2147483000', padding: '8px 16px', border: '0', borderRadius: '4px', background: '#5b5fc7', color: '#fff', font: '600 14px "Segoe UI", sans-serif', cursor: 'pointer' });
  const frame = document.createElement('iframe');
  frame.title = 'Chat';
  frame.hidden = true;
  frame.src = origin + '/interact/chat?' + new URLSearchParams({ key, service });
  Object.assign(frame.style, { position: 'fixed', right: '16px', bottom: '64px', width: 'min(380px, calc(100vw - 32px))', height: 'min(560px, calc(100vh - 96px))', border: '1px solid #d1d1d1', borderRadius: '8px', zIndex: '2147483000', background: '#fff' });
  button.addEventListener('click', () => {
    frame.hidden = !frame.hidden;
    button.setAttribute('aria-expanded', String(!frame.hidden));
  });
  document.body.append(frame, button);
})();
`;

/** The page may sit in any website's frame; it runs only its own script and talks only to this app. */
export const CHAT_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; frame-ancestors *; base-uri 'none'; form-action 'none'";
