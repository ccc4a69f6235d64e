"""SPARQL on the kast: the validated graph in Oxigraph (one named graph per source file, one store per
visibility level), guarded queries in killable worker processes, and an external SPARQL 1.1 store for
scale-out.

- `store`: the quads of one visibility level, and stores built from them (in memory or on disk)
- `guard`: what may run (read-only, no SERVICE, no foreign FROM, a size cap)
- `results`: SPARQL results and RDF in the formats of the SPARQL 1.1 Protocol, with a row cap
- `runner`: worker processes with a hard timeout, a concurrency limit and a time budget per client
- `remote`: push the graphs to an external store (one update per changed file) and query it
- `local`: the competency queries and `kast query` on the embedded store
"""
