import { expect, test, type Page } from '@playwright/test';

// Issue 14: an episode view shows the replacement pods of the same episode (the new revision, the surge),
// collapsed by default to one summary lane per revision ("web · rev b8d8… · 3 new pods · all ready by
// T+4.0 s"); clicking the summary lane expands it into one lane per pod (`expand=rev:<workload>:<rev>` in
// the URL). The engine carries them (episode.replacementUids) and the API's episode document has their lanes.

const ROLLOUT = { cluster: 'fixture-rollout', namespace: 'default', episode: 'rollout:default:web:1795326091000' };
const LARGE = { cluster: 'large-rollout', namespace: 'shop', episode: 'rollout:shop:web:1767614400000' };

interface Lane {
  readonly uid: string;
  readonly name: string;
  readonly revision?: string;
  readonly keyTimes: { readonly firstReady?: { readonly at: number } };
}
interface Doc {
  readonly lanes: readonly Lane[];
  readonly episodes: readonly { readonly id: string; readonly start: string; readonly podUids: readonly string[]; readonly replacementUids: readonly string[] }[];
}

const qs = (v: { cluster: string; namespace: string; episode: string }) => new URLSearchParams(v).toString();

async function episodeDoc(page: Page, v: typeof ROLLOUT): Promise<Doc> {
  const res = await page.request.get(`/api/timeline?${qs(v)}`);
  expect(res.ok()).toBe(true);
  return (await res.json()) as Doc;
}

/** "T+4.0 s": the summary's time of the last replacement ready, relative to the first delete. */
function relative(t: number, t0: number): string {
  const d = t - t0;
  return `T${d < 0 ? '−' : '+'}${(Math.abs(d) / 1000).toFixed(1)} s`;
}

test.use({ viewport: { width: 1600, height: 1000 } });

test('fixture-rollout: one summary lane for the new revision, 3 new pods; expanding shows exactly 3 lanes', async ({ page }) => {
  const doc = await episodeDoc(page, ROLLOUT);
  const ep = doc.episodes.find((e) => e.id === ROLLOUT.episode);
  expect(ep?.podUids).toHaveLength(3);
  // The API's episode document has the replacements' lanes, each with its ready time.
  const byUid = new Map(doc.lanes.map((l) => [l.uid, l]));
  const fresh = (ep?.replacementUids ?? []).map((u) => byUid.get(u));
  expect(fresh.map((l) => l?.revision)).toEqual(['b8d86886d', 'b8d86886d', 'b8d86886d']);
  const ready = fresh.map((l) => l?.keyTimes.firstReady?.at ?? NaN);
  expect(ready.every(Number.isFinite)).toBe(true);
  const t0 = Date.parse(ep?.start ?? '');

  await page.goto(`/timeline?${qs(ROLLOUT)}`);
  const summaries = page.getByTestId('replacement-summary');
  await expect(summaries).toHaveCount(1);
  const s = summaries.first();
  await expect(s).toHaveAttribute('data-key', 'rev:web:b8d86886d');
  await expect(s).toHaveAttribute('data-count', '3');
  await expect(s).toHaveAttribute('aria-expanded', 'false');
  await expect(s).toHaveText(`web · rev b8d8… · 3 new pods · all ready by ${relative(Math.max(...ready), t0)}`);
  // Collapsed: the 3 terminated pods have lanes, the replacements only their summary (and so has the export).
  const canvas = page.getByTestId('lanes-canvas');
  await expect(canvas).toHaveAttribute('data-pod-rows', '3');
  const collapsedSvg = await (await page.request.get((await page.getByTestId('export-svg').getAttribute('href')) ?? '')).text();
  expect([...collapsedSvg.matchAll(/<g data-pod-uid="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual([...(ep?.podUids ?? [])].sort());
  await page.waitForTimeout(200);
  await page.screenshot({ path: test.info().outputPath('replacements-collapsed.png') });

  // A click on the summary lane (on the canvas, in the plot) expands it: exactly its 3 pods get lanes.
  const y = Number(await s.getAttribute('data-y'));
  const box = await page.getByTestId('lanes').boundingBox();
  if (!box) throw new Error('no swimlane');
  await page.mouse.click(box.x + box.width / 2, box.y + y + 8);
  await expect(s).toHaveAttribute('aria-expanded', 'true');
  await expect(canvas).toHaveAttribute('data-pod-rows', '6');
  await expect(page).toHaveURL(/[?&]expand=rev%3Aweb%3Ab8d86886d(&|$)/);
  await page.screenshot({ path: test.info().outputPath('replacements-expanded.png') });
  // The export is the view on screen: expanded, its SVG holds the 6 pod lanes (collapsed, the 3 terminated).
  await expect(page.getByTestId('export-menu')).toHaveAttribute('data-lanes', /^([^,]+,){5}[^,]+$/);
  const svg = await (await page.request.get((await page.getByTestId('export-svg').getAttribute('href')) ?? '')).text();
  expect([...svg.matchAll(/<g data-pod-uid="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual([...(ep?.podUids ?? []), ...(ep?.replacementUids ?? [])].sort());

  // The URL reopens it expanded (here in the dark theme); the button (keyboard) collapses it again.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(page.getByTestId('replacement-summary')).toHaveAttribute('aria-expanded', 'true');
  await expect(canvas).toHaveAttribute('data-pod-rows', '6');
  await page.waitForTimeout(200);
  await page.screenshot({ path: test.info().outputPath('replacements-expanded-dark.png') });
  await page.getByTestId('replacement-summary').focus();
  await page.keyboard.press('Enter');
  await expect(canvas).toHaveAttribute('data-pod-rows', '3');
  await expect(page).not.toHaveURL(/expand=/);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.waitForTimeout(200);
  await page.screenshot({ path: test.info().outputPath('replacements-collapsed-dark.png') });
});

test('large-rollout: the 500 replacements are one summary lane of 500 new pods, and 500 lanes expanded', async ({ page }) => {
  const doc = await episodeDoc(page, LARGE);
  const ep = doc.episodes.find((e) => e.id === LARGE.episode);
  expect(ep?.replacementUids).toHaveLength(500);
  const revisions = new Set(doc.lanes.filter((l) => ep?.replacementUids.includes(l.uid)).map((l) => l.revision));
  expect(revisions.size).toBe(1);
  const [rev] = [...revisions];

  await page.goto(`/timeline?${qs(LARGE)}`);
  const s = page.getByTestId('replacement-summary');
  await expect(s).toHaveCount(1, { timeout: 15_000 });
  await expect(s).toHaveAttribute('data-count', '500');
  await expect(s).toContainText('500 new pods · all ready by T+');
  await expect(page.getByTestId('lanes-canvas')).toHaveAttribute('data-pod-rows', '500');
  await s.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lanes-canvas')).toHaveAttribute('data-pod-rows', '1000');
  await expect(page).toHaveURL(new RegExp(`expand=rev%3Aweb%3A${rev}`));
});
