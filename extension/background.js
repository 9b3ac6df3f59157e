// blocker's service worker: sees every navigation of every tab and turns a blocked page
// into blocker's own page. It needs no page's cooperation: a load, a pushState or
// replaceState, back and forward, a hash change, a new tab and a tab restored with its
// window all reach it as webNavigation events (the content script only adds an earlier
// look at a page load and hides the page meanwhile).
//
// The list comes from the policy (chrome.storage.managed, written by the daemon into
// Chromium's managed-policy folder), so nothing the page or the person does in the
// browser can change it.

"use strict";

// Firefox runs this file as an event page, where there is no importScripts: its
// manifest (made at build time) lists matcher.js before this file instead.
if (typeof importScripts === "function") {
  importScripts("matcher.js");
}

const { compileTargets, findMatch } = BlockerMatcher;

function loadTargets() {
  return chrome.storage.managed.get(null).then(compileTargets, (error) => {
    // Without a policy (a browser the block does not manage) there is nothing to stop;
    // URLBlocklist still refuses typed addresses.
    console.warn("blocker: cannot read the managed list", error);
    return [];
  });
}

// The list, read once and again when the policy changes. Chromium fills an extension's
// managed storage once it has installed it; should the change event of that first
// filling be missed, an empty list is read anew on every look, so a late list still
// counts (one read per navigation only while there is nothing to stop).
let targets = loadTargets();

async function currentTargets() {
  const known = await targets;
  if (known.length === 0) {
    targets = loadTargets();
    return targets;
  }
  return known;
}

chrome.storage.onChanged.addListener((_changes, area) => {
  if (area === "managed") {
    targets = loadTargets();
    targets.then(sweepTabs);
  }
});

function interstitial(target) {
  const page = new URL(chrome.runtime.getURL("blocked.html"));
  page.searchParams.set("label", target.label);
  return page.href;
}

async function look(tabId, address) {
  const target = findMatch(await currentTargets(), address);
  if (target === null) {
    return;
  }
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

// The content script saw a blocked address first; the decision is still made here, on
// the list read afresh (the content script read it when its page started).
chrome.runtime.onMessage.addListener((message, sender) => {
  if (message && message.kind === "look" && sender.tab && sender.tab.id !== undefined) {
    targets = loadTargets();
    look(sender.tab.id, String(message.address));
  }
});
