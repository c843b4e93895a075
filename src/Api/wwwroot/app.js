// The service's web page: plain JavaScript against the same HTTP API any client uses.
"use strict";

const $ = (id) => document.getElementById(id);
// Uploads queued for ingestion (202) are not documents yet: they are shown from their status URL until done.
// Answered turns of the conversation go with the next question, so a follow-up like "and on weekends?" makes sense.
const state = { sources: [], answer: "", question: "", turns: [], controller: null, pollTimer: null, queued: new Map(), collections: [], collectionTyped: false };
const MaxTurns = 10;

$("api-key").value = localStorage.getItem("rag.apiKey") ?? "";
$("api-key").addEventListener("change", () => { localStorage.setItem("rag.apiKey", $("api-key").value); refreshAll(); });
$("collection").addEventListener("input", () => { state.collectionTyped = true; });
$("collection").addEventListener("change", () => { localStorage.setItem("rag.collection", $("collection").value); newConversation(); refreshDocuments(); });

function headers(extra = {}) {
  const key = $("api-key").value.trim();
  return key ? { ...extra, "X-Api-Key": key } : extra;
}

function collectionUrl(path = "") {
  return `/v1/collections/${encodeURIComponent($("collection").value.trim())}${path}`;
}

// Every error the API sends is problem+json; show what it says a person should do.
async function problemMessage(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

function showError(element, message) {
  element.textContent = message;
  element.hidden = !message;
}

async function loadModels() {
  const response = await fetch("/v1/models", { headers: headers() });
  if (!response.ok) { $("models").textContent = await problemMessage(response); return; }
  const models = (await response.json()).data;
  $("models").textContent = models.map((m) => `${m.kind}: ${m.id}`).join(" · ");
  $("demo-banner").hidden = !models.some((m) => m.demo);
}

// The collections this key may use, offered as suggestions; typing a new name creates one with its first upload.
async function loadCollections() {
  const response = await fetch("/v1/collections", { headers: headers() });
  if (!response.ok) return;
  state.collections = (await response.json()).collections;
  const options = state.collections.map((c) => {
    const option = document.createElement("option");
    option.value = c.name;
    option.label = `${c.documents} document${c.documents === 1 ? "" : "s"}`;
    return option;
  });
  $("collection-names").replaceChildren(...options);
}

// The page opens on the collection last chosen in this browser while it holds documents, else on the one that most
// recently stored a document, else on the first there is.
function pickCollection() {
  const stored = localStorage.getItem("rag.collection");
  const named = state.collections.find((c) => c.name === stored);
  if (named?.documents > 0) return stored;
  const latest = state.collections.filter((c) => c.documents > 0 && c.last_document_at)
    .sort((a, b) => Date.parse(b.last_document_at) - Date.parse(a.last_document_at))[0];
  return latest?.name ?? named?.name ?? state.collections[0]?.name ?? stored ?? "default";
}

async function refreshDocuments() {
  clearTimeout(state.pollTimer);
  await loadCollections();
  const rows = $("documents").querySelector("tbody");
  let documents = [];
  // A name no upload has created yet has no documents to ask for (the API would answer 404).
  if (state.collections.some((c) => c.name === $("collection").value.trim())) {
    const response = await fetch(collectionUrl("/documents?limit=200"), { headers: headers() });
    if (response.ok) documents = (await response.json()).documents;
    else showError($("upload-error"), await problemMessage(response));
  }
  rows.replaceChildren();
  for (const [url, upload] of state.queued) {
    const response = await fetch(url, { headers: headers() });
    const status = response.ok ? await response.json() : upload;
    if (status.status === "completed" && documents.some((d) => d.id === status.id)) state.queued.delete(url);
    else rows.append(documentRow(status));
    if (status.status === "failed") state.queued.delete(url);
  }
  for (const doc of documents) rows.append(documentRow(doc));
  $("documents-empty").hidden = rows.children.length > 0;
  if (state.queued.size > 0) state.pollTimer = setTimeout(refreshDocuments, 1000);
}

function documentRow(doc) {
  const row = document.createElement("tr");
  row.dataset.id = doc.id;
  const name = document.createElement("td");
  name.textContent = doc.name;
  const status = document.createElement("td");
  status.className = `status status-${doc.status}`;
  status.textContent = doc.status;
  if (doc.error) status.title = doc.error;
  const chunks = document.createElement("td");
  chunks.textContent = doc.chunk_count ?? "";
  if (doc.status === "pending" || doc.status === "processing") {
    row.append(name, status, chunks, document.createElement("td"));
    return row;
  }
  const actions = document.createElement("td");
  const remove = document.createElement("button");
  remove.className = "secondary";
  remove.textContent = "Delete";
  remove.addEventListener("click", async () => {
    const response = await fetch(collectionUrl(`/documents/${doc.id}`), { method: "DELETE", headers: headers() });
    if (!response.ok) showError($("upload-error"), await problemMessage(response));
    refreshDocuments();
  });
  actions.append(remove);
  row.append(name, status, chunks, actions);
  return row;
}

$("upload-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const files = $("files").files;
  if (files.length === 0) return;
  const form = new FormData();
  for (const file of files) form.append("files", file, file.name);
  $("upload").disabled = true;
  showError($("upload-error"), "");
  try {
    const response = await fetch(collectionUrl("/documents"), { method: "POST", body: form, headers: headers() });
    if (!response.ok) showError($("upload-error"), await problemMessage(response));
    else if (response.status === 202) {
      for (const upload of (await response.json()).documents) {
        if (upload.status === "pending") state.queued.set(upload.url, upload);
      }
    }
    $("files").value = "";
  } finally {
    $("upload").disabled = false;
    refreshDocuments();
  }
});

// Server-Sent Events over a POST: EventSource only does GET, so the stream is parsed here.
async function* readEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) type = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) yield { type, data: JSON.parse(data.join("\n")) };
    }
  }
}

function renderAnswer() {
  const answer = $("answer");
  // The box scrolls inside; a streamed answer stays scrolled to its end unless the reader scrolled up.
  const atEnd = answer.scrollTop + answer.clientHeight >= answer.scrollHeight - 4;
  answer.replaceChildren();
  let last = 0;
  for (const match of state.answer.matchAll(/\[(\d+)\]/g)) {
    answer.append(document.createTextNode(state.answer.slice(last, match.index)));
    const n = Number(match[1]);
    if (state.sources.some((s) => s.n === n)) {
      const link = document.createElement("a");
      link.className = "cite";
      link.textContent = match[0];
      link.dataset.n = String(n);
      link.addEventListener("click", () => showCitation(n));
      answer.append(link);
    } else {
      answer.append(document.createTextNode(match[0]));
    }
    last = match.index + match[0].length;
  }
  answer.append(document.createTextNode(state.answer.slice(last)));
  if (atEnd) answer.scrollTop = answer.scrollHeight;
}

function sourceLabel(source) {
  return source.page ? `${source.document_name}, page ${source.page}` : source.document_name;
}

function renderSources() {
  const list = $("sources");
  list.replaceChildren();
  for (const source of state.sources) {
    const item = document.createElement("li");
    item.value = source.n;
    item.dataset.n = String(source.n);
    item.textContent = `${sourceLabel(source)} (score ${source.score.toFixed(3)})`;
    item.addEventListener("click", () => showCitation(source.n));
    list.append(item);
  }
}

function showCitation(n) {
  const source = state.sources.find((s) => s.n === n);
  if (!source) return;
  $("citation-title").textContent = `[${n}] ${sourceLabel(source)}`;
  $("citation-text").textContent = source.text;
  $("citation").hidden = false;
  for (const item of $("sources").children) item.classList.toggle("active", item.dataset.n === String(n));
}
$("citation-close").addEventListener("click", () => { $("citation").hidden = true; });

function renderThread() {
  const thread = $("thread");
  thread.replaceChildren();
  for (const turn of state.turns) {
    const item = document.createElement("li");
    const question = document.createElement("strong");
    question.textContent = turn.question;
    const answer = document.createElement("p");
    answer.textContent = turn.answer;
    item.append(question, answer);
    thread.append(item);
  }
  $("new-conversation").hidden = state.turns.length === 0;
}

function newConversation() {
  state.turns = [];
  state.question = "";
  state.answer = "";
  state.sources = [];
  renderThread();
  renderAnswer();
  renderSources();
  $("citation").hidden = true;
  $("stats").textContent = "";
}
$("new-conversation").addEventListener("click", newConversation);

// The answer on screen becomes an earlier turn once the next question is asked.
function keepAnsweredTurn() {
  if (!state.question) return;
  state.turns.push({ question: state.question, answer: state.answer });
  if (state.turns.length > MaxTurns) state.turns.shift();
  state.question = "";
  renderThread();
}

$("ask-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!question) return;
  keepAnsweredTurn();
  const history = state.turns.flatMap((t) => [{ role: "user", content: t.question }, { role: "assistant", content: t.answer }]);
  state.answer = "";
  state.sources = [];
  state.controller = new AbortController();
  renderAnswer();
  renderSources();
  $("citation").hidden = true;
  $("stats").textContent = "";
  showError($("ask-error"), "");
  $("ask").disabled = true;
  $("stop").hidden = false;
  const started = performance.now();
  let firstToken = null;
  try {
    const response = await fetch(collectionUrl("/ask"), {
      method: "POST",
      headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
      body: JSON.stringify({ question, stream: true, history }),
      signal: state.controller.signal,
    });
    if (!response.ok) { showError($("ask-error"), await problemMessage(response)); return; }
    for await (const { type, data } of readEvents(response)) {
      if (type === "sources") {
        state.sources = data.sources;
        renderSources();
      } else if (type === "delta") {
        firstToken ??= performance.now();
        state.answer += data.text;
        renderAnswer();
        $("stats").textContent = `first token after ${Math.round(firstToken - started)} ms…`;
      } else if (type === "done") {
        state.question = question;
        const t = data.timings ?? {};
        const rate = t.tokens_per_second ? `${t.tokens_per_second.toFixed(1)} tok/s` : "";
        const ttft = t.time_to_first_token_ms ?? (firstToken ? firstToken - started : null);
        $("stats").textContent = [
          ttft != null ? `time to first token ${Math.round(ttft)} ms` : "",
          rate,
          data.usage ? `${data.usage.completion_tokens} tokens` : "",
        ].filter(Boolean).join(" · ");
      } else if (type === "error") {
        showError($("ask-error"), data.detail || data.title);
      }
    }
  } catch (error) {
    if (error.name !== "AbortError") showError($("ask-error"), String(error));
  } finally {
    $("ask").disabled = false;
    $("stop").hidden = true;
    state.controller = null;
  }
});
$("stop").addEventListener("click", () => state.controller?.abort());

function refreshAll() {
  loadModels();
  refreshDocuments();
}

async function openPage() {
  loadModels();
  await loadCollections();
  // Someone quick may have named a collection while the list loaded: theirs wins over the page's pick.
  if (state.collectionTyped) return;
  $("collection").value = pickCollection();
  refreshDocuments();
}
openPage();
