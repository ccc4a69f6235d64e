import time, sys, shutil, tempfile, cProfile, pstats, os
sys.path.insert(0, '.')
from pathlib import Path
tmp = Path(tempfile.mkdtemp())
data = tmp / "data"
shutil.copytree('/tmp/kast-corpus-publiceren-10000', data)
from web import create_app
app = create_app({"KAST_DATA": str(data), "KAST_INDEX": str(tmp/"index"), "KAST_VAR": str(tmp/"var"), "TESTING": True,
                  "KAST_DATABASE_URL": f"sqlite:///{tmp}/acc.db", "SECRET_KEY": "x"})
site = app.extensions["kast"]
c = app.test_client()
c.get("/zoeken?q=bibob")
prof = cProfile.Profile()
for round in range(3):
    p = site.data_dir / "practices/synthetisch-00001.md"
    p.write_text(p.read_text().replace("Monitor", f"Monitor{round}x"))
    t=time.perf_counter(); prof.enable(); res = site.reload([p]); prof.disable(); print("reload", res.ok, time.perf_counter()-t)
pstats.Stats(prof).sort_stats('cumtime').print_stats(35)
