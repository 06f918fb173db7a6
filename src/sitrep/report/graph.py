"""Draw the derivation graph as inline SVG, with no script and no library.

Nodes are documents, edges are derivations origin → copy.  Only documents
that share an origin with another one (groups of two or more, or a wire
story whose origin is virtual) and the ends of derivation edges are drawn;
single-document groups are only counted, which keeps a pile of hundreds of
articles down to the few clusters worth looking at.

Layout (deterministic, in the spirit of Sugiyama et al. 1981 layered
drawing, without the crossing-minimisation sweeps):

1. *Bands*: the connected components of group membership and edges, one
   horizontal band each, largest first.
2. *Layers*: a node's column is its longest-path depth from the component's
   sources, so every origin sits left of its copies; a cycle (two edges
   claiming opposite directions) is broken at its earliest document.
3. *Rows*: the first column by ingest order, each next one by the mean row of
   a node's parents (the barycentre heuristic), ties by ingest order.

Every label, tooltip and attribute goes through ``esc``: titles are hostile.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass

from sitrep.report.html_common import esc, pct
from sitrep.report.html_provenance import ROLES

NODE_W, NODE_H = 210, 30
COL_PITCH = NODE_W + 150  # the gap holds the edge labels
ROW_PITCH = 42
BAND_GAP = 14
MARGIN = 12
LABEL_CHARS = 24
NODE_CAP = 600  # beyond this, bands are left out (and said so): a page, not a poster
WEAK_CONFIDENCE = 0.5  # sitrep.provenance.derivation.MIN_CONFIDENCE: weaker edges join no group
_WIRE = re.compile(r"wire:([^:]+):")


@dataclass
class Node:
    id: str
    label: str
    tooltip: str
    classes: list[str]
    seq: int
    href: str | None = None
    x: int = 0
    y: int = 0


@dataclass
class Link:
    origin: str
    copy: str
    label: str
    tooltip: str
    classes: list[str]
    edge: dict | None = None  # the derivation, or None for a virtual wire link


@dataclass
class Drawing:
    svg: str  # "" when nothing is drawn
    nodes: int = 0
    edges: int = 0
    singletons: int = 0  # documents alone in their origin group and on no edge
    left_out_bands: int = 0
    left_out_docs: int = 0


def short(text: str | None, n: int = LABEL_CHARS) -> str:
    """``text`` cut to ``n`` characters (raw, before escaping: never inside an entity)."""
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def draw(report: dict) -> Drawing:
    """The derivation graph of a sitrep.json dict, as an ``<svg>`` string and counts."""
    docs = {d["id"]: d for d in report.get("documents", [])}
    nodes, links, groups = _graph(report, docs)
    bands = _bands(nodes, links, groups)
    drawing = Drawing("", singletons=sum(
        1 for g in report.get("origin_groups", []) if g["size"] == 1 and g["origin"] is not None
        and g["documents"][0] not in nodes))
    kept, total = [], 0
    for band in bands:
        if total + len(band) > NODE_CAP and kept:
            drawing.left_out_bands += 1
            drawing.left_out_docs += sum(1 for n in band if n in docs)
            continue
        kept.append(band)
        total += len(band)
    if not kept:
        return drawing
    shown = {n for band in kept for n in band}
    links = [lk for lk in links if lk.origin in shown and lk.copy in shown]
    width, height = _place(kept, nodes, links)
    if any(nodes[lk.copy].x <= nodes[lk.origin].x for lk in links):
        width += 160  # room for the loops and labels of backward edges
    drawing.svg = _svg(kept, nodes, links, width, height)
    drawing.nodes = sum(1 for n in shown if n in docs)
    drawing.edges = sum(1 for lk in links if lk.edge is not None)
    return drawing


# -- the graph -------------------------------------------------------------------


def _graph(report: dict, docs: dict[str, dict]) -> tuple[dict[str, Node], list[Link], list[list[str]]]:
    """Nodes, links (derivations and virtual wire links) and the drawn groups' node ids."""
    nodes: dict[str, Node] = {}
    links: list[Link] = []
    groups: list[list[str]] = []
    for g in report.get("origin_groups", []):
        virtual = g["origin"] is None
        if g["size"] < 2 and not virtual:
            continue
        groups.append([i for i in g["documents"] if i in docs] + ([g["group_id"]] if virtual else []))
        for doc_id in g["documents"]:
            if doc_id in docs:
                nodes[doc_id] = _doc_node(docs[doc_id])
        if virtual:
            # The agency's own story is not in the pile: stand it in, left of its reprints.
            m = _WIRE.match(g["group_id"])
            agency = m.group(1) if m else g["group_id"]
            nodes[g["group_id"]] = Node(g["group_id"], short(f"wire: {agency}"),
                                        f"virtual origin {g['group_id']}: the wire story itself, not in the pile",
                                        ["node", "virtual"], seq=0)
            for doc_id in g["documents"]:
                if doc_id in docs and (docs[doc_id].get("origin_group") or {}).get("role") == "syndicated":
                    links.append(Link(g["group_id"], doc_id, "", "syndicated from the wire story",
                                      ["link", "virtual"]))
    for e in report.get("derivations", []):
        for end in (e["origin_id"], e["copy_id"]):
            if end not in nodes:
                nodes[end] = _doc_node(docs[end]) if end in docs else Node(
                    end, short(end), f"document {end} (not in this report)", ["node", "missing"], seq=10**9)
        links.append(_edge_link(e, docs))
    return nodes, links, groups


def _doc_node(d: dict) -> Node:
    role = (d.get("origin_group") or {}).get("role")
    classes = ["node", f"role-{role}" if role in ROLES else "role-none"]
    tip = [f"#{d['seq']} {d.get('title') or '(untitled)'}"]
    if role:
        tip.append(f"role: {role}")
    q, s = d.get("quality"), d.get("spin")
    if q:
        tip.append(f"quality {q['score']:.2f}" + (" — content farm" if q["content_farm"] else ""))
        if q["content_farm"]:
            classes.append("farm")
    if s and s["spun"]:
        tip.append(f"spun ({s['score']:.0%} of words substituted)")
        classes.append("spun")
    return Node(d["id"], f"#{d['seq']} " + short(d.get("title") or "(untitled)"), "\n".join(tip),
                classes, d["seq"], href=f"#doc-{d['id']}")


def _edge_link(e: dict, docs: dict[str, dict]) -> Link:
    def name(i: str) -> str:
        return f"#{docs[i]['seq']}" if i in docs else i

    tip = (f"{name(e['origin_id'])} → {name(e['copy_id'])}: {e['relation']}\n"
           f"{pct(e['coverage_origin'])} of the origin is in the copy; "
           f"{pct(e['coverage_copy'])} of the copy comes from the origin\n"
           f"confidence {e['confidence']:.2f}; direction: {'; '.join(e['direction']) or '—'}")
    return Link(e["origin_id"], e["copy_id"],
                f"{e['relation']} {pct(e['coverage_origin'])}/{pct(e['coverage_copy'])}", tip,
                ["edge", "rel-" + re.sub(r"[^a-z_]", "", e["relation"])] + (["weak"] if _weak(e) else []), edge=e)


def _weak(e: dict) -> bool:
    """An edge too unsure to join groups (below the grouping threshold) or without a direction."""
    return e["confidence"] < WEAK_CONFIDENCE or e["direction"][:1] == ["undetermined"]


# -- layout ----------------------------------------------------------------------


def _bands(nodes: dict[str, Node], links: list[Link], groups: list[list[str]]) -> list[list[str]]:
    """Connected components, largest first, then by earliest document; members by seq."""
    parent = {n: n for n in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for lk in links:
        parent[find(lk.origin)] = find(lk.copy)
    # Members of a group share a band even when no stored edge joins them.
    for g in groups:
        for n in g[1:]:
            parent[find(n)] = find(g[0])
    comps: dict[str, list[str]] = defaultdict(list)
    for n in nodes:
        comps[find(n)].append(n)
    bands = [sorted(c, key=lambda n: (nodes[n].seq, n)) for c in comps.values()]
    bands.sort(key=lambda b: (-len(b), nodes[b[0]].seq, b[0]))
    return bands


def _layers(band: list[str], links: list[Link]) -> dict[str, int]:
    """Longest-path depth of each node from the band's sources (Kahn's order)."""
    inside = set(band)
    out: dict[str, list[str]] = defaultdict(list)
    indeg = dict.fromkeys(band, 0)
    for lk in links:
        if lk.origin in inside and lk.copy in inside and lk.origin != lk.copy:
            out[lk.origin].append(lk.copy)
            indeg[lk.copy] += 1
    depth = dict.fromkeys(band, 0)
    done: set[str] = set()
    queue = deque(n for n in band if indeg[n] == 0)
    while len(done) < len(band):
        if not queue:  # a cycle: release its earliest remaining document
            queue.append(next(n for n in band if n not in done))
        n = queue.popleft()
        if n in done:
            continue
        done.add(n)
        for m in out[n]:
            if m in done:
                continue
            depth[m] = max(depth[m], depth[n] + 1)
            indeg[m] -= 1
            if indeg[m] == 0:
                queue.append(m)
    return depth


def _place(bands: list[list[str]], nodes: dict[str, Node], links: list[Link]) -> tuple[int, int]:
    parents: dict[str, list[str]] = defaultdict(list)
    for lk in links:
        parents[lk.copy].append(lk.origin)
    top, width = MARGIN, 0
    for band in bands:
        depth = _layers(band, links)
        columns: dict[int, list[str]] = defaultdict(list)
        for n in band:  # band is in seq order
            columns[depth[n]].append(n)
        row: dict[str, float] = {}
        for col in sorted(columns):
            def bary(n: str) -> float:
                rows = [row[p] for p in parents[n] if p in row]
                return sum(rows) / len(rows) if rows else float("inf")

            ordered = columns[col] if col == 0 else sorted(columns[col], key=lambda n: (bary(n), nodes[n].seq, n))
            for i, n in enumerate(ordered):
                row[n] = i
                nodes[n].x = MARGIN + col * COL_PITCH
                nodes[n].y = top + i * ROW_PITCH
        rows = max(len(c) for c in columns.values())
        width = max(width, MARGIN + max(columns) * COL_PITCH + NODE_W + MARGIN)
        top += rows * ROW_PITCH - (ROW_PITCH - NODE_H) + BAND_GAP
    return width, top - BAND_GAP + MARGIN


# -- SVG -------------------------------------------------------------------------


def _svg(bands, nodes: dict[str, Node], links: list[Link], width: int, height: int) -> str:
    parts = [
        f'<svg class="derivations" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Derivation graph: documents and who copied whom">',
        '<defs><marker id="sitrep-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ]
    for i, band in enumerate(bands):
        ys = [nodes[n].y for n in band]
        parts.append(f'<rect class="band{" alt" if i % 2 else ""}" x="0" y="{min(ys) - BAND_GAP // 2}" '
                     f'width="{width}" height="{max(ys) - min(ys) + NODE_H + BAND_GAP}"/>')
    for lk in links:
        parts.append(_link_svg(lk, nodes[lk.origin], nodes[lk.copy]))
    shown = {n for band in bands for n in band}
    for n in sorted((nodes[i] for i in shown), key=lambda n: (n.y, n.x)):
        parts.append(_node_svg(n))
    parts.append("</svg>")
    return "".join(parts)


def _node_svg(n: Node) -> str:
    body = (f"<title>{esc(n.tooltip)}</title>"
            f'<rect x="{n.x}" y="{n.y}" width="{NODE_W}" height="{NODE_H}" rx="5"/>'
            f'<text x="{n.x + 8}" y="{n.y + NODE_H // 2 + 4}">{esc(n.label)}</text>')
    cls = esc(" ".join(n.classes))
    if n.href:
        return f'<a class="{cls}" href="{esc(n.href)}" data-doc="{esc(n.id)}">{body}</a>'
    return f'<g class="{cls}" data-node="{esc(n.id)}">{body}</g>'


def _link_svg(lk: Link, a: Node, b: Node) -> str:
    y1, y2 = a.y + NODE_H // 2, b.y + NODE_H // 2
    if b.x > a.x:  # the normal case: left to right, an S-curve
        x1, x2 = a.x + NODE_W, b.x
        mid = (x1 + x2) // 2
        d = f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"
        # Just above the arrowhead: fanned-out edges have parted there, and
        # each copy's row is its own, so labels rarely collide.
        lx, ly, anchor = x2 - 10, y2 - 5, "end"
    else:  # same column or backwards (a broken cycle): loop out to the right
        x1, x2 = a.x + NODE_W, b.x + NODE_W
        bulge = max(x1, x2) + 50
        d = f"M{x1},{y1} C{bulge},{y1} {bulge},{y2} {x2},{y2}"
        lx, ly, anchor = bulge + 4, (y1 + y2) // 2 + 4, "start"
    label = (f'<text x="{lx}" y="{ly}" text-anchor="{anchor}">{esc(lk.label)}</text>' if lk.label else "")
    return (f'<g class="{esc(" ".join(lk.classes))}" data-origin="{esc(lk.origin)}" data-copy="{esc(lk.copy)}">'
            f"<title>{esc(lk.tooltip)}</title>"
            f'<path d="{d}" marker-end="url(#sitrep-arrow)"/>{label}</g>')
