// The app benchmark's measuring code inside the page, installed before the
// app's own scripts. It is plain JavaScript in a string because it runs in
// Chromium, and the engine's TypeScript has no DOM. Every figure is taken in
// the page itself, so the bench process's round trips to the browser never
// land in a measurement.
//
// "Shown" means the DOM holds the thing (a MutationObserver sees it, the
// moment React commits) and the frame that draws it has been produced: a
// requestAnimationFrame callback runs just before that frame is drawn, and a
// message posted from it runs once the frame is handed to the compositor.
// The rows report that second time; `dom` is kept beside it.

/** A condition on the page: [kind, argument]. */
export type Shown =
  | ['layers', number] // layer-0 … layer-(n-1) drawn, n slabs in all
  | ['state', string] // data-testid="container-state" holds this word
  | ['rows', number] // the containers table stands for exactly n containers, its first rows drawn
  | ['noneRunning', null] // the containers view says no container is running
  | ['path', string] // a tree row with this data-path
  | ['testId', string] // an element with this data-testid
  | ['liveWrite', string] // the container's live writes show a change at this path
  | ['rowHeader', string]; // a table row headed by this text (a container's name)

/** When a condition showed: ms from the navigation or the click; epoch ms for a change armed with arm(). */
export interface Timing {
  /** The DOM held it. */
  dom: number;
  /** The frame showing it was produced. */
  painted: number;
}

export interface ScrollRecord {
  /** requestAnimationFrame deltas, ms. */
  frames: number[];
  /** Durations of the main-thread tasks over 50 ms (PerformanceObserver "longtask"). */
  longTasks: number[];
  /** Where the scroll ended and how far it could go, px. */
  scrollTop: number;
  maxScroll: number;
  /** Rows in the DOM at the end (a virtualized list keeps this small). */
  rowsInDom: number;
  /** The data-path of each row in the DOM at the end, when rows carry one. */
  paths: string[];
}

export const pageProbe = String.raw`(() => {
  const giveUpMs = 20000;
  const afterPaint = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(null);
      }),
    );

  const holds = {
    layers(n) {
      const slabs = document.querySelectorAll('[data-testid^="layer-"]:not([data-testid="layer-rw"])');
      return slabs.length === n && !!document.querySelector('[data-testid="layer-0"]') && !!document.querySelector('[data-testid="layer-' + (n - 1) + '"]');
    },
    state(word) {
      const el = document.querySelector('[data-testid="container-state"]');
      return !!el && el.textContent.trim() === word;
    },
    rows(n) {
      // A windowed table draws only the rows in view and says how many there are in aria-rowcount (header row included).
      const table = document.querySelector('[data-testid="container-list"]');
      if (!table) return false;
      const drawn = table.querySelectorAll('tbody tr:not([aria-hidden])').length;
      const count = table.hasAttribute('aria-rowcount') ? Number(table.getAttribute('aria-rowcount')) - 1 : drawn;
      return count === n && drawn > 0;
    },
    noneRunning() {
      const main = document.querySelector('main');
      return !document.querySelector('[data-testid="container-list"]') && !!main && main.textContent.includes('No container is running');
    },
    path(p) {
      return !!document.querySelector('[data-path="' + CSS.escape(p) + '"]');
    },
    testId(id) {
      return !!document.querySelector('[data-testid="' + CSS.escape(id) + '"]');
    },
    liveWrite(p) {
      return !!document.querySelector('[data-testid="live-writes"] [data-path="' + CSS.escape(p) + '"]');
    },
    rowHeader(text) {
      return [...document.querySelectorAll('tbody th[scope="row"]')].some((th) => th.textContent.trim() === text);
    },
  };
  const check = ([kind, arg]) => holds[kind](arg);

  // When the DOM first holds the condition, and when that frame was produced (performance.now() times).
  function when(shown) {
    if (check(shown)) return Promise.reject(new Error('already shown before the measurement: ' + JSON.stringify(shown)));
    return new Promise((resolve, reject) => {
      const observer = new MutationObserver(() => {
        if (!check(shown)) return;
        const dom = performance.now();
        observer.disconnect();
        clearTimeout(timer);
        afterPaint().then((painted) => resolve({ dom, painted }));
      });
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error('not shown within ' + giveUpMs + ' ms: ' + JSON.stringify(shown)));
      }, giveUpMs);
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  }

  let pending = null;

  window.strataBench = {
    /** This page's clock in epoch ms, to compare with the bench process's. */
    now: () => performance.timeOrigin + performance.now(),

    /** Whether the condition holds now. */
    holds: (shown) => check(shown),

    /** Moves the app to a hash route; ms from the move until the condition shows. */
    async navigate(hash, shown) {
      const seen = when(shown);
      const start = performance.now();
      location.hash = hash;
      const t = await seen;
      return { dom: t.dom - start, painted: t.painted - start };
    },

    /** Waits (unmeasured) for a condition; resolves at once if it holds. */
    async settle(shown) {
      if (!check(shown)) await when(shown);
      await afterPaint();
    },

    /** Moves the app to a hash route and waits (unmeasured) for the condition. */
    async visit(hash, shown) {
      location.hash = hash;
      await window.strataBench.settle(shown);
    },

    /** Watches for a change something outside the page makes; armed() gives epoch ms times. */
    arm(shown) {
      pending = when(shown).then((t) => ({ dom: performance.timeOrigin + t.dom, painted: performance.timeOrigin + t.painted }));
      pending.catch(() => {});
    },

    /** Watches for a click's effect; armed() gives ms from the click event's own timestamp. */
    armClick(shown) {
      let clickedAt = null;
      document.addEventListener('click', (e) => (clickedAt = e.timeStamp), { capture: true, once: true });
      pending = when(shown).then((t) => {
        if (clickedAt === null) throw new Error('the condition showed before any click: ' + JSON.stringify(shown));
        return { dom: t.dom - clickedAt, painted: t.painted - clickedAt };
      });
      pending.catch(() => {});
    },

    armed: () => pending,

    /**
     * Scrolls the element from top to bottom at an even pace over ms (as a
     * scrollbar dragged end to end: every frame brings rows not drawn before),
     * recording every frame and every long task. A null selector records an
     * idle page for ms instead.
     */
    scroll(selector, ms) {
      const el = selector === null ? null : document.querySelector(selector);
      if (selector !== null && !el) return Promise.reject(new Error('nothing to scroll: ' + selector));
      const maxScroll = el ? el.scrollHeight - el.clientHeight : 0;
      if (el && maxScroll <= 0) return Promise.reject(new Error(selector + ' does not scroll'));
      if (el) el.scrollTop = 0;
      const frames = [];
      const longTasks = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push(e.duration);
      });
      observer.observe({ type: 'longtask' });
      return new Promise((resolve) => {
        let start = null;
        let last = null;
        const step = (t) => {
          if (start === null) start = t;
          else frames.push(t - last);
          last = t;
          const progress = Math.min(1, (t - start) / ms);
          if (el) el.scrollTop = progress * maxScroll;
          if (progress < 1) return requestAnimationFrame(step);
          // Two more frames: the last scroll's rendering and its long task, if any, are counted.
          afterPaint().then(afterPaint).then(() => {
            for (const e of observer.takeRecords()) longTasks.push(e.duration);
            observer.disconnect();
            const rows = el ? el.querySelectorAll('[role="treeitem"], tbody tr:not([aria-hidden])') : [];
            const withPath = el ? [...el.querySelectorAll('[data-path]')] : [];
            resolve({
              frames,
              longTasks,
              scrollTop: el ? el.scrollTop : 0,
              maxScroll,
              rowsInDom: rows.length,
              paths: withPath.map((row) => row.getAttribute('data-path')),
            });
          });
        };
        requestAnimationFrame(step);
      });
    },
  };
})();`;
