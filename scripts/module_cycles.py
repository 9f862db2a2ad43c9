#!/usr/bin/env python3
"""File-level `use` graph of a crate's src/, and its cycles (strongly connected components)."""
import os, re, sys

root = sys.argv[1]  # .../src
verbose = '-v' in sys.argv

def modpath(rel):
    p = rel[:-3].split('/')
    if p[-1] in ('mod', 'lib', 'main'):
        p = p[:-1]
    return tuple(p)

files = {}
for d, _, fs in os.walk(root):
    for f in fs:
        if f.endswith('.rs'):
            rel = os.path.relpath(os.path.join(d, f), root)
            files[modpath(rel)] = os.path.join(d, f)

def code(path):
    text = open(path).read()
    m = re.search(r'#\[cfg\(test\)\]\s*(#\[[^\]]*\]\s*)*mod tests\b', text)
    if m:
        text = text[:m.start()]
    # Inside an inline `mod name { ... }`, `super` is this file's own module: drop those paths.
    for m in reversed(list(re.finditer(r'\bmod \$?\w+\s*\{', text))):
        depth, j = 0, m.end() - 1
        while j < len(text):
            if text[j] == '{': depth += 1
            elif text[j] == '}':
                depth -= 1
                if depth == 0: break
            j += 1
        text = text[:m.end()] + text[m.end():j].replace('super::', 'SELF::') + text[j:]
    out = []
    for line in text.split('\n'):
        s = line.strip()
        if s.startswith('//'):
            continue
        out.append(line)
    return '\n'.join(out)

# root re-exports: name -> module
reexp = {}
lib = code(files[()])
for m in re.finditer(r'pub use (\w+)::\{([^}]*)\}|pub use (\w+)::(\w+)', lib):
    if m.group(1):
        for n in m.group(2).split(','):
            n = n.strip().split(' as ')[-1].strip()
            if n: reexp[n] = (m.group(1),)
    else:
        reexp[m.group(4)] = (m.group(3),)

def resolve(segs):
    # longest prefix that is a file module
    if segs and segs[0] in reexp and (segs[0],) not in files:
        return reexp[segs[0]]
    best = None
    for i in range(1, len(segs) + 1):
        if tuple(segs[:i]) in files:
            best = tuple(segs[:i])
    return best

def expand(prefix, body):
    # expand `a::{b, c::{d}}` into lists of segments
    res = []
    body = body.strip()
    m = re.match(r'^([\w:]*?)::\{(.*)\}$', body, re.S)
    if m:
        pre = prefix + [s for s in m.group(1).split('::') if s]
        inner, depth, cur = m.group(2), 0, ''
        parts = []
        for ch in inner:
            if ch == '{': depth += 1
            if ch == '}': depth -= 1
            if ch == ',' and depth == 0:
                parts.append(cur); cur = ''
            else:
                cur += ch
        parts.append(cur)
        for p in parts:
            p = p.strip()
            if not p: continue
            if '{' in p:
                res += expand(pre, p)
            else:
                res.append(pre + [s for s in p.split(' as ')[0].split('::') if s])
        return res
    if body.startswith('{'):
        return expand(prefix, '::' + body) if False else expand(prefix, 'x::' + body)[0:0] or [prefix + [s.strip()] for s in body.strip('{}').split(',') if s.strip()]
    return [prefix + [s for s in body.split(' as ')[0].split('::') if s]]

edges = {}
for mod, path in files.items():
    if mod == ():
        continue
    src = code(path)
    children = set(re.findall(r'^\s*(?:pub(?:\([^)]*\))?\s+)?mod (\w+);', src, re.M))
    targets = set()
    def add(abs_segs, why):
        t = resolve(abs_segs)
        if t is not None and t != mod and t != ():
            targets.add((t, why))
    # use statements
    for m in re.finditer(r'\buse\s+([^;]+);', src):
        body = m.group(1).strip()
        if body.startswith('crate::') or body.startswith('crate::{'):
            for segs in expand([], body[len('crate::'):] if not body.startswith('crate::{') else body[len('crate::'):]):
                add(segs, 'use crate::' + '::'.join(segs))
        elif body.startswith('super::'):
            base = list(mod[:-1]) if os.path.basename(path) not in ('mod.rs',) else list(mod[:-1])
            for segs in expand([], body[len('super::'):]):
                add(base + segs, 'use super::' + '::'.join(segs))
        else:
            first = re.split(r'::|\{', body)[0].strip()
            if first in children or first == 'self':
                rest = body[len('self::'):] if first == 'self' else body
                for segs in expand([], rest):
                    add(list(mod) + segs, 'use ' + '::'.join(segs))
    # inline paths
    for m in re.finditer(r'(?<![\w$])crate::((?:\w+::)*\w+)', src):
        add(m.group(1).split('::'), 'crate::' + m.group(1))
    for m in re.finditer(r'(?<![\w$:])super::((?:\w+::)*\w+)', src):
        add(list(mod[:-1]) + m.group(1).split('::'), 'super::' + m.group(1))
    for c in children:
        for m in re.finditer(r'(?<![\w:])' + c + r'::(\w+)', src):
            add(list(mod) + [c, m.group(1)], c + '::' + m.group(1))
    edges[mod] = targets

graph = {m: sorted({t for t, _ in ts}) for m, ts in edges.items()}
# Tarjan
index, low, stack, on, sccs, i = {}, {}, [], set(), [], [0]
def strong(v):
    index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
    for w in graph.get(v, []):
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        c = []
        while True:
            w = stack.pop(); on.discard(w); c.append(w)
            if w == v: break
        sccs.append(c)
sys.setrecursionlimit(10000)
for v in graph:
    if v not in index: strong(v)
name = lambda m: '::'.join(m)
if verbose:
    for m in sorted(graph):
        print(name(m), '->', ', '.join(name(t) for t in graph[m]))
bad = [c for c in sccs if len(c) > 1]
for c in bad:
    cs = set(c)
    print('CYCLE (%d): %s' % (len(c), ', '.join(sorted(name(m) for m in c))))
    for m in sorted(c):
        for t, why in sorted(edges[m]):
            if t in cs:
                print('   %s -> %s  (%s)' % (name(m), name(t), why))
if not bad:
    print('no cycles among', len(graph), 'modules')
