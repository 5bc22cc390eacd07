// app.js: the console's entry point. Loads the labels, draws the tabs, shows one
// screen at a time (#key, #record, #inbox, #import, #payroll, #inspect,
// #duplicates); every screen but
// the key's needs a signed-in officer.

import { onSession, session } from "./api.js";
import { loadLabels, t } from "./i18n.js";
import { el } from "./format.js";
import { keyScreen, signOut } from "./signin.js";
import { recordScreen } from "./forms.js";
import { inboxScreen } from "./inbox.js";
import { importScreen } from "./imports.js";
import { payrollScreen } from "./payments.js";
import { inspectScreen } from "./inspect.js";
import { duplicatesScreen } from "./duplicates.js";

const SCREENS = {
  key: keyScreen,
  record: recordScreen,
  inbox: inboxScreen,
  import: importScreen,
  payroll: payrollScreen,
  inspect: inspectScreen,
  duplicates: duplicatesScreen,
};

function current() {
  const name = location.hash.replace(/^#/, "").split("?")[0];
  if (!(name in SCREENS) || (!session.me && name !== "key")) return "key";
  return name;
}

function drawTabs() {
  const nav = document.getElementById("tabs");
  const shown = current();
  nav.replaceChildren(
    ...Object.keys(SCREENS).map((name) =>
      el(
        "button",
        {
          type: "button",
          id: `tab-${name}`,
          "aria-current": name === shown ? "page" : null,
          disabled: !session.me && name !== "key",
          onclick: () => go(name),
        },
        t(`tab_${name}`),
      ),
    ),
  );
  const who = document.getElementById("who");
  who.hidden = !session.me;
  if (session.me) {
    who.replaceChildren(
      el("span", { id: "holder-name" }, session.me.holder.name),
      el("button", { type: "button", id: "sign-out", onclick: signOut }, t("sign_out")),
    );
  }
}

/** Show a screen (and remember it in the address, so Back works). */
export function go(name) {
  if (location.hash !== `#${name}`) {
    location.hash = name;
  } else {
    show();
  }
}

async function show() {
  drawTabs();
  const main = document.getElementById("screen");
  main.replaceChildren();
  await SCREENS[current()](main);
}

async function start() {
  await loadLabels();
  window.addEventListener("hashchange", show);
  onSession(() => {
    if (!session.me) location.hash = "key";
    // /inspect opens the inspector's screen once signed in
    else if (document.body.dataset.start === "inspect" && current() === "key") {
      location.hash = "inspect"; // drawn by the hashchange
      return;
    }
    show();
  });
  await show();
}

start();
