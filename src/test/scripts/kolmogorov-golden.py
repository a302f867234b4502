"""Writes src/test/resources/golden/kolmogorov-grid.json: SciPy's kstwo.sf and ks_2samp exact p-values
over a grid that visits every method of the Simard-L'Ecuyer split (Ruben-Gambino ends, Durbin matrix,
Pomeranz, 2*Smirnov, Pelz-Good, Miller's large-n form) and both exact two-sample paths.
Run: python3 src/test/scripts/kolmogorov-golden.py (needs SciPy; the tests only read the JSON)."""
import json
import numpy as np
import scipy
from scipy import stats
from scipy.stats._stats_py import _attempt_exact_2kssamp

ns = [1, 2, 3, 5, 10, 17, 44, 100, 140, 141, 545, 1000, 2500, 16667, 100000, 100001, 300000, 2000000]
zs = [0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.3, 1.6, 2.0, 2.5, 3.5, 5.0]
sf = []
for n in ns:
    xs = sorted({min(0.999, z / np.sqrt(n)) for z in zs} | {0.5 / n + 1e-3 / n, 0.75 / n, 0.55, 0.8, 1 - 0.5 / n})
    for x in xs:
        if 0 < x < 1:
            sf.append({"n": n, "x": float(x), "sf": float(stats.kstwo.sf(x, n))})
exact = []
for n1, n2 in [(5, 7), (20, 25), (30, 40), (50, 50), (100, 230), (300, 300), (120, 2000), (1000, 1500)]:
    g = np.gcd(n1, n2)
    lcm = n1 // g * n2
    for z in [0.5, 0.9, 1.2, 1.6, 2.2, 3.0]:
        d = round(z * np.sqrt((n1 + n2) / (n1 * n2)) * lcm) / lcm
        if 0 < d <= 1:
            ok, dd, p = _attempt_exact_2kssamp(n1, n2, g, d, "two-sided")
            if ok:
                exact.append({"n": n1, "m": n2, "d": float(d), "pvalue": float(p)})
json.dump({"generated_by": f"SciPy {scipy.__version__}, NumPy {np.__version__}",
           "notes": ["kstwo_sf: scipy.stats.kstwo.sf(x, n)",
                     "ks_2samp_exact: the two-sided exact p-value ks_2samp(method='exact') gives for statistic d"
                     " (scipy.stats._stats_py._attempt_exact_2kssamp)",
                     "written by src/test/scripts/kolmogorov-golden.py"],
           "kstwo_sf": sf, "ks_2samp_exact": exact},
          open("src/test/resources/golden/kolmogorov-grid.json", "w"), indent=None)
print(len(sf), len(exact))
