// blocker's own page in place of a blocked one. What it shows is a view: the label from
// its own address (so it shows even before the service worker answers), and from the
// daemon's view, when the worker has one, the day of the period, a reason of the
// person's own (or a reminder) and the way to ask for a pause.

"use strict";

function labelOf(address) {
  return new URL(address).searchParams.get("label") || "";
}

function show(id, text) {
  const element = document.getElementById(id);
  element.textContent = text;
  element.hidden = false;
}

function lastDayText(day) {
  const [year, month, date] = day.split("-").map(Number);
  const options = { weekday: "long", day: "numeric", month: "long" };
  if (year !== new Date().getFullYear()) {
    options.year = "numeric";
  }
  return new Date(year, month - 1, date).toLocaleDateString(undefined, options);
}

function render(label, view) {
  if (label) {
    // As the person wrote it in the block list, never as the site names itself.
    document.getElementById("blocker-label").textContent = label;
  }
  if (!view) {
    return;
  }
  if (view.day && view.days) {
    const ends = view.last_day ? ` Your period's last day is ${lastDayText(view.last_day)}.` : "";
    show("blocker-day", `Day ${view.day} of ${view.days}.${ends}`);
  }
  const reasons = Array.isArray(view.reasons) ? view.reasons.filter((r) => typeof r === "string") : [];
  if (reasons.length > 0) {
    // The person's own words first: a different one each time the page comes up.
    show("blocker-reason", reasons[Math.floor(Math.random() * reasons.length)]);
    document.getElementById("blocker-reminder").hidden = true;
  } else if (typeof view.reminder === "string" && view.reminder) {
    show("blocker-reminder", view.reminder);
  }
}

// "18:42" from the daemon's "2026-12-02T18:42:00+01:00": the daemon's clock and zone.
function clockOf(moment) {
  return typeof moment === "string" ? moment.slice(11, 16) : "";
}

function pauseAnswerText(answer) {
  if (!answer || !answer.ok) {
    return (answer && answer.error) || "The pause could not be asked for.";
  }
  const command = answer.cancel_command || `blocker cancel ${answer.request}`;
  return (
    `Asked. Your pause starts at ${clockOf(answer.matures_at)}, after your cooldown, and ` +
    `ends at ${clockOf(answer.ends_at)}. Until it starts you can take it back from the ` +
    `tray, or with the command “${command}”.`
  );
}

async function askForPause() {
  const button = document.getElementById("blocker-pause");
  button.disabled = true;
  const answer = await chrome.runtime.sendMessage({ kind: "pause" });
  show("blocker-pause-answer", pauseAnswerText(answer));
  button.disabled = Boolean(answer && answer.ok);
}

async function closeThisTab() {
  const tab = await chrome.tabs.getCurrent();
  if (tab && tab.id !== undefined) {
    await chrome.tabs.remove(tab.id);
  } else {
    window.close();
  }
}

const label = labelOf(location.href);
render(label, null);
chrome.runtime.sendMessage({ kind: "view" }).then(
  (answer) => render(label, answer && answer.view),
  () => {},
);
document.getElementById("blocker-close").addEventListener("click", closeThisTab);
document.getElementById("blocker-pause").addEventListener("click", askForPause);
document.getElementById("blocker-close").focus();
