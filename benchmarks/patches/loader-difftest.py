"""Compare the patched loader with the current one on every fixture, the sample data and edge cases.

    python loader-difftest.py PATCHED_PROJECT_DIR [ORIGINAL_LOADER_PY]
"""
import sys, types, glob, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import validators.loader as new
src = open(sys.argv[2] if len(sys.argv) > 2 else "/work/main/validators/loader.py").read()
old = types.ModuleType("validators.oldloader"); old.__package__ = "validators"
sys.modules["validators.oldloader"] = old
exec(compile(src, "oldloader", "exec"), old.__dict__)
files = glob.glob("/work/main/tests/fixtures/**/*.yaml", recursive=True) + glob.glob("/work/main/data/**/*.yaml", recursive=True) + glob.glob("/work/main/benchmarks/out/data-small/**/*.yaml", recursive=True)
cases = ["a: *x\n", "a: &x 1\nb: &x 2\nc: *x\n", "a: 1\n---\nb: 2\n", "", "# c\n", "---\n", "a: &a [*a]\n", "~\n",
 "a: &a [1, 2]\nb: *a\nc: [*a, *a]\n", "<<: {a: 1}\nb: 2\n", "a: 1\na: 2\n", "? [1, 2]\n: v\nk: 1\n", "a: !!python/object:os.system x\n",
 "a: !!binary aGVsbG8=\n", "x: &b [&a [1], *a]\ny: *b\n", "a: &a\n  b: &b [*a]\n", "k: !custom {a: 1}\n", "&k key: 1\n*k : 2\n",
 "a: 2026-02-30\nb: 2026-02-03\nc: 12\nd: 1.5\ne: true\nf: no\ng: 1:30\nh: null\ni: ''\nj: 0x1F\n", "a: \"x\nb: 2\n",
 "- " + "[" * 120 + "1" + "]" * 120 + "\n",
 "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
 "? !!python/object:x k\n: 1\n", "a: !!str 12\nb: !!int '7'\n", "a: [1, 2]\n...\n", "a: &r\n  - *r\nb: *r\n", "x: &a {k: &b [1]}\ny: *b\nz: *a\n",
 "? &k [1]\n: 2\nb: *k\n", "a: !!python/object &q [1]\nb: *q\n", "a: 1\na: &z [2]\nb: *z\n", "!!map\na: 1\n", "- !!seq [1]\n- !!set {a}\n",
 "a: b: c\n", "a:\n\t- 1\n", "x: |\n  text\n   more\n", "x: &a 1\ny: *a\n", "a: &big [" + ",".join(["1"]*5000) + "]\nb: *big\nc: *big\nd: *big\n"]
for c in cases:
    p = Path(tempfile.mktemp(suffix=".yaml")); p.write_text(c); files.append(str(p))
diff = 0
def key(r):
    s, f = r
    return (s.data if s else "NONE", s.positions if s else None, s.key_positions if s else None, [(x.code, x.line, x.column, x.message, x.path, x.hint) for x in f])
for f in files:
    p = Path(f)
    try:
        ka = key(old.load_file(p, "x.yaml"))
    except Exception as e:
        ka = ("EXC", repr(e))
    try:
        kb = key(new.load_file(p, "x.yaml"))
    except Exception as e:
        kb = ("EXC", repr(e))
    if ka != kb:
        diff += 1
        print("DIFF", f, open(f, errors="replace").read()[:100].replace("\n","\\n"))
        for j,(x,y) in enumerate(zip(ka,kb)):
            if x != y: print("   part", j, "\n    old:", str(x)[:400], "\n    new:", str(y)[:400])
print(len(files), "files,", diff, "differences")
