"""Design-based survey statistics that reproduce R's `survey` package (svydesign, svymean, svytotal,
svyratio, svyby, svyciprop, rake) and best-worst scaling scores.

Pages, the API and the `peerhub survey` command all call `run.estimate_file` / `bws.*`; nothing
else computes these numbers."""
