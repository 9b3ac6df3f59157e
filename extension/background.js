// blocker's service worker: sees every navigation of every tab and turns a blocked page
// into blocker's own page. It needs no page's cooperation: a load, a pushState or
// replaceState, back and forward, a hash change, a new tab and a tab restored with its
// window all reach it as webNavigation events (the content script only adds an earlier
// look at a page load and hides the page meanwhile).
//
// Two sources name the pages to stop, and a page either names is stopped:
//   * the managed policy (chrome.storage.managed), written by the daemon into the
//     browser's policy folder: nothing the page or the person does in the browser can
//     change it, and it holds when the daemon cannot be reached; the browser reloads it
//     only every few seconds;
//   * the daemon's view, live through blocker's native-messaging host: a page added to
//     the list reaches an open browser within a second, with what blocker's page says
//     (the day of the period, the person's reasons). Kept while the daemon is away.

"use strict";

// Firefox runs this file as an event page, where there is no importScripts: its
// manifest (made at build time) lists matcher.js before this file instead.
if (typeof importScripts === "function") {
  importScripts("matcher.js");
}

const { compileTargets, findMatch } = BlockerMatcher;

const HOST = "blocker_daemon"; // the host's name in its manifest; see enforce/nativehost.py
const VIEW_VERSION = 1; // the daemon's view this worker reads; see blocker/core/extension_view.py
const URGE_AGAIN_AFTER_MS = 5000; // one stop, seen by several navigation events, is one urge
const RECONNECT_FIRST_MS = 5000;
const RECONNECT_LONGEST_MS = 5 * 60 * 1000;

function loadManaged() {
  return chrome.storage.managed.get(null).then(compileTargets, (error) => {
    // Without a policy (a browser the block does not manage) there is nothing to stop;
    // URLBlocklist still refuses typed addresses.
    console.warn("blocker: cannot read the managed list", error);
    return [];
  });
}

// The policy's list, read once and again when the policy changes. Chromium fills an
// extension's managed storage once it has installed it; should the change event of that
// first filling be missed, an empty list is read anew on every look, so a late list
// still counts (one read per navigation only while there is nothing to stop).
let managed = loadManaged();

const live = {
  port: null,
  view: null, // the daemon's last view, kept when it goes away
  targets: [],
  reachable: false,
  retryMs: RECONNECT_FIRST_MS,
  pauses: new Map(), // a pause asked for by blocker's page, waiting for the daemon's answer
  asked: 0,
};

async function currentTargets() {
  let known = await managed;
  if (known.length === 0) {
    managed = loadManaged();
    known = await managed;
  }
  return live.targets.length === 0 ? known : [...live.targets, ...known];
}

chrome.storage.onChanged.addListener((_changes, area) => {
  if (area === "managed") {
    managed = loadManaged();
    managed.then(sweepTabs);
  }
});

// -- the daemon, through the native host ------------------------------------------------

function connect() {
  let port;
  try {
    port = chrome.runtime.connectNative(HOST);
  } catch (error) {
    console.warn("blocker: no native host", error);
    reconnectLater();
    return;
  }
  live.port = port;
  port.onMessage.addListener(fromHost);
  port.onDisconnect.addListener(() => {
    // The host is gone (its manifest removed with the block, or it failed): the last
    // view stays, and the policy's list holds whatever happens here.
    console.warn("blocker: native host disconnected", chrome.runtime.lastError);
    live.port = null;
    live.reachable = false;
    answerWaitingPauses({ ok: false, error: "blocker's daemon cannot be reached just now" });
    reconnectLater();
  });
}

function reconnectLater() {
  setTimeout(connect, live.retryMs);
  live.retryMs = Math.min(live.retryMs * 2, RECONNECT_LONGEST_MS);
}

function fromHost(message) {
  if (!message || typeof message !== "object") {
    return;
  }
  if (message.kind === "view" && message.view && message.view.version === VIEW_VERSION) {
    live.retryMs = RECONNECT_FIRST_MS;
    live.reachable = true;
    live.view = message.view;
    live.targets = compileTargets(message.view);
    sweepTabs();
  } else if (message.kind === "daemon") {
    live.reachable = Boolean(message.reachable);
  } else if (message.kind === "pause") {
    const waiting = live.pauses.get(message.asked);
    live.pauses.delete(message.asked);
    if (waiting) {
      waiting(message.answer || { ok: false, error: "no answer" });
    }
  }
}

function answerWaitingPauses(answer) {
  for (const waiting of live.pauses.values()) {
    waiting(answer);
  }
  live.pauses.clear();
}

function askForPause() {
  if (live.port === null || !live.reachable) {
    return Promise.resolve({
      ok: false,
      error: "blocker's daemon cannot be reached just now; `blocker pause` in a terminal asks it",
    });
  }
  live.asked += 1;
  const asked = live.asked;
  return new Promise((resolve) => {
    live.pauses.set(asked, resolve);
    live.port.postMessage({ kind: "pause", asked });
  });
}

// -- stopping pages -----------------------------------------------------------------------

const lastUrge = new Map(); // tab id -> {label, at}

function countUrge(tabId, label) {
  const now = Date.now();
  const last = lastUrge.get(tabId);
  if (last && last.label === label && now - last.at < URGE_AGAIN_AFTER_MS) {
    return;
  }
  lastUrge.set(tabId, { label, at: now });
  if (live.port !== null) {
    // The label of the list's entry only: the page's address and content stay here.
    live.port.postMessage({ kind: "urge", label });
  }
}

function interstitial(target) {
  const page = new URL(chrome.runtime.getURL("blocked.html"));
  page.searchParams.set("label", target.label);
  return page.href;
}

// Whether the tab is already on (or on its way to) blocker's page: the several events of
// one navigation must not each add blocker's page to its history, or Back would only
// lead from blocker's page to blocker's page.
async function alreadyStopped(tabId) {
  const ours = chrome.runtime.getURL("blocked.html");
  const tab = await chrome.tabs.get(tabId).catch(() => null);
  return tab !== null && [tab.pendingUrl, tab.url].some((url) => url && url.startsWith(ours));
}

async function look(tabId, address) {
  const target = findMatch(await currentTargets(), address);
  if (target === null || (await alreadyStopped(tabId))) {
    return;
  }
  countUrge(tabId, target.label);
  try {
    await chrome.tabs.update(tabId, { url: interstitial(target) });
  } catch (error) {
    // The tab closed in the meantime: nothing left to stop.
    console.warn("blocker: could not replace a blocked page", error);
  }
}

function onNavigation(details) {
  if (details.frameId === 0 && details.tabId >= 0) {
    look(details.tabId, details.url);
  }
}

// onBeforeNavigate replaces the page before its request leaves; the others catch what
// changes the address without a request (history API, hash) or slipped past (prerender).
chrome.webNavigation.onBeforeNavigate.addListener(onNavigation);
chrome.webNavigation.onCommitted.addListener(onNavigation);
chrome.webNavigation.onHistoryStateUpdated.addListener(onNavigation);
chrome.webNavigation.onReferenceFragmentUpdated.addListener(onNavigation);
chrome.webNavigation.onTabReplaced.addListener(({ tabId }) => {
  chrome.tabs.get(tabId).then((tab) => tab.url && look(tabId, tab.url), () => {});
});
chrome.tabs.onRemoved.addListener((tabId) => lastUrge.delete(tabId));

// Tabs open before the extension ran (installed into a running browser, windows
// restored at start) are looked at once, and again whenever the list changes.
async function sweepTabs() {
  for (const tab of await chrome.tabs.query({})) {
    if (tab.id !== undefined && tab.url) {
      look(tab.id, tab.url);
    }
  }
}

chrome.runtime.onStartup.addListener(sweepTabs);
chrome.runtime.onInstalled.addListener(sweepTabs);

function fromOurPage(sender) {
  return sender.id === chrome.runtime.id && String(sender.url).startsWith(chrome.runtime.getURL(""));
}

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (!message || typeof message !== "object") {
    return false;
  }
  // The content script saw a blocked address first; the decision is still made here, on
  // the list read afresh (the content script read it when its page started).
  if (message.kind === "look" && sender.tab && sender.tab.id !== undefined) {
    managed = loadManaged();
    look(sender.tab.id, String(message.address));
    return false;
  }
  // blocker's own page asks what to show, and for a pause when the person wants one.
  if (message.kind === "view" && fromOurPage(sender)) {
    reply({ view: live.view, reachable: live.reachable });
    return false;
  }
  if (message.kind === "pause" && fromOurPage(sender)) {
    askForPause().then(reply);
    return true; // the answer comes later
  }
  return false;
});

connect();
