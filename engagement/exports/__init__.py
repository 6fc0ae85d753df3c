"""Exports: raw responses (CSV/XLSX), the aggregated summary (CSV/XLSX) and the
Commitment 4 evidence report (HTML/PDF). Plain functions; the staff views and the
`flask export` commands are thin wrappers around them."""
