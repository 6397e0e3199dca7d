"""The report's stylesheet, inlined into report.html (no external resource allowed).

System fonts only; light, print-friendly: navigation hidden and one page per sheet
when printed.
"""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0;
  --soft: #f6f8fa; --accent: #0969da; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--fg);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
header.report { border-bottom: 1px solid var(--line); padding-bottom: 1rem; margin-bottom: 1rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 2.25rem 0 .75rem; padding-bottom: .3rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
h4, h5, h6 { margin: 1rem 0 .4rem; }
h4 { font-size: 1.05rem; } h5 { font-size: .98rem; } h6 { font-size: .92rem; }
h4.small { font-size: .85rem; color: var(--muted); text-transform: uppercase;
  letter-spacing: .04em; margin-top: 1.25rem; }
p { margin: .4rem 0 .7rem; overflow-wrap: break-word; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font: .85em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono",
  monospace; overflow-wrap: anywhere; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
  padding: .6rem .8rem; overflow-x: auto; white-space: pre; }
pre code { font-size: .82rem; overflow-wrap: normal; }
.sub, .meta, .note, .pg, figcaption { color: var(--muted); }
.sub { margin: 0; }
.meta { font-size: .85rem; margin: 0 0 .75rem; }
.note { font-style: italic; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .3rem 1.25rem;
  padding: .6rem 0; margin: 0; border-bottom: 1px solid var(--line); }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .35rem .55rem; text-align: left;
  vertical-align: top; }
thead th, table.kv th { background: var(--soft); font-weight: 600; }
table.kv th { width: 15rem; }
.table-wrap { overflow-x: auto; margin: .5rem 0 1rem; }
figure { margin: 0; }
figcaption { font-size: .8rem; }
.warnings li { margin: .25rem 0; }
.warnings code { color: var(--warn); }
.outline, .items, .links { list-style: none; padding-left: 0; margin: .4rem 0 .8rem; }
.outline li { margin: .15rem 0; }
.lvl2 { padding-left: 1.25rem; } .lvl3 { padding-left: 2.5rem; }
.lvl4, .lvl5, .lvl6 { padding-left: 3.75rem; }
.items li { margin: .2rem 0; padding-left: 1.6em; text-indent: -1.6em; }
.items .d1 { margin-left: 1.5rem; } .items .d2 { margin-left: 3rem; }
.items .d3 { margin-left: 4.5rem; } .items .d4, .items .d5 { margin-left: 6rem; }
.mk { display: inline-block; min-width: 1.6em; text-indent: 0; color: var(--muted); }
.caption { font-style: italic; color: var(--muted); font-size: .9rem; }
.chip { display: inline-block; padding: 0 .55rem; margin: 0 .3rem .3rem 0; font-size: .85rem;
  border: 1px solid var(--line); border-radius: 999px; background: var(--soft); }
article.page { border: 1px solid var(--line); border-radius: 8px; padding: .25rem 1.25rem 1rem;
  margin: 1.25rem 0; }
.page-grid { display: grid; grid-template-columns: 200px minmax(0, 1fr); gap: 1.5rem; }
.thumb img { display: block; width: 100%; height: auto; border: 1px solid var(--line); }
.nothumb { height: 260px; display: grid; place-items: center; color: var(--muted);
  background: var(--soft); border: 1px dashed var(--line); font-size: .85rem; }
footer { max-width: 1100px; margin: 0 auto; padding: 0 1.5rem 2rem; color: var(--muted);
  font-size: .8rem; }
@media (max-width: 720px) { .page-grid { grid-template-columns: 1fr; }
  .thumb img { max-width: 200px; } }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  a { color: inherit; }
  #pages, article.page + article.page { break-before: page; }
  article.page { border: 0; padding: 0; margin: 0; }
  .table-wrap { overflow: visible; }
  pre { white-space: pre-wrap; }
  tr, img, figure { break-inside: avoid; }
}
"""
