import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes `files` (name → text) into a fresh temp folder and returns its path. */
export function writeFixtureFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-fixture-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A small publication with every case the read API must get right. TEST_NOW is 2026-06-01. */
export const READ_FIXTURE: Record<string, string> = {
  '2024-01-10-first-steps.md': `---
title: First steps with Kiji
date: 2024-01-10 09:00:00 +0900
author: dirtyf
tags: [GraphQL, Intro]
categories: [guides]
---

## Why Kiji

Kiji serves **Markdown** posts over GraphQL.

<script>alert("x")</script>
<a href="javascript:alert(1)">click</a>
<img src="/a.png" onerror="alert(1)">
`,
  '2024-02-20-tuning.md': `---
title: Tuning the feed
date: 2024-02-20 10:00:00 +0000
author: DirtyF
tags: [GraphQL, Performance]
categories: guides
---

A post about speed. It has two sentences.
`,
  '2024-3-5-kanji.md': `---
title: "液浸冷却の可能性とは？"
date: 2024-03-05
author: 田中 花子
tags: [冷却, データセンター]
category: インフラ
---

液浸冷却はデータセンターの消費電力を下げる技術です。今後の普及が期待されます。

### 仕組み

サーバーを液体に浸して冷やします。
`,
  '2024-04-01-zebra.md': `---
title: Zebra crossings and APIs
date: 2024-04-01 08:00:00 +0000
author: lee
tags: [Intro]
categories: [essays]
---

An essay.
`,
  '2024-05-01-secret-draft.md': `---
title: Secret draft about unicorns
date: 2024-05-01 08:00:00 +0000
author: lee
tags: [DraftOnlyTag]
published: false
---

Not for readers yet.
`,
  '2030-01-01-future.md': `---
title: Scheduled for the future
date: 2030-01-01 00:00:00 +0000
author: lee
tags: [Intro]
categories: [essays]
---

Not yet.
`,
};
